"""Search snippets, cut and highlighted in Python from an article's plain text (body_text, no table cells).

PostgreSQL's ts_headline parses every word it is given, about 0.2-0.4 ms per 1,200 characters, and finding
where to cut that window with a regular expression cost as much again: snippets were most of the search
query's time. Here PostgreSQL only says what a word's lexeme is under the page's text search configuration
(accents folded, stemmed, stop words dropped), for the words that could match, and each process remembers the
answer: a word is highlighted exactly when PostgreSQL's own configuration makes it one of the query's lexemes.

The snippet reads like ts_headline's did (MaxWords=35, MinWords=15, MaxFragments=2): from a window of
SNIPPET_WINDOW characters starting about SNIPPET_LEAD characters before the first matching word, up to two
fragments of MAX_WORDS words around the densest runs of matches (the most different query words first), in
text order, joined with " … "; with no match in the body (a title-only match), the window's first MIN_WORDS.

An article is read only as far as it must be: up to a window's length past its first word known to match.
"""

import re
from bisect import bisect_left
from html import escape

from django.db import connection
from django.utils.safestring import SafeString, mark_safe

SNIPPET_WINDOW = 1200
SNIPPET_LEAD = 300
MAX_WORDS = 35
MIN_WORDS = 15
MAX_FRAGMENTS = 2
DELIMITER = " … "
# What the text search parser reads as one word (letters and digits; an apostrophe or hyphen splits words).
WORD = re.compile(r"[^\W_]+")
# The lexemes in a tsquery's text form: 'medic' & 'malpractic' | 'neglig' (a quote inside is doubled).
LEXEME = re.compile(r"'((?:[^']|'')+)'")


# Accented letters, each folded to its letter as the search configurations fold them ("médica" is "medica"); one
# character for one, so offsets in the folded text are the text's.
FOLD = {
    accented: base
    for base, letters in {
        "a": "áàâäãå",
        "e": "éèêë",
        "i": "íìîï",
        "o": "óòôöõ",
        "u": "úùûü",
        "n": "ñ",
        "c": "ç",
        "y": "ýÿ",
    }.items()
    for accented in letters
}
ACCENTED = "".join(FOLD) + "".join(FOLD).upper()
CHUNK = 2000  # characters searched at a time for words that may match
MEMO_LIMIT = 50_000  # words remembered per process (a site's vocabulary is a few thousand)

# (configuration, lower-case word) -> the word's lexemes; a process learns its articles' vocabulary once.
_lexemes: dict[tuple[str, str], frozenset[str]] = {}


def query_lexemes(tsquery_text: str) -> frozenset[str]:
    return frozenset(match.replace("''", "'") for match in LEXEME.findall(tsquery_text or ""))


def prefixes(lexemes: frozenset[str]) -> set[str]:
    """A word's lexeme keeps the start of the word (stemming changes the end): a word may have one of these
    lexemes only if it starts, accents folded, with all of a short lexeme ("car", "sue") or all but the last
    letter of a longer one ("injuri" is "injury", "negligent" is "negligencia"). Irregular forms that change
    earlier letters ("dying" is "die") are not highlighted."""
    return {fold(lexeme) if len(lexeme) <= 3 else fold(lexeme)[:-1] for lexeme in lexemes}


def fold(text: str) -> str:
    """Lower case, accents folded, the same length as `text` (str.replace of the accented letters present: far
    faster than a regular expression or str.translate over a whole article)."""
    folded = text.lower()
    if len(folded) != len(text):  # a letter whose lower case is two characters: keep offsets
        folded = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    if not folded.isascii():
        for accented, base in FOLD.items():
            if accented in folded:
                folded = folded.replace(accented, base)
    return folded


class Candidates:
    """The words of one article that start like a query lexeme, found a CHUNK of text at a time.

    A text without accented letters (most English ones) is searched for each start as written, Capitalised and
    in CAPITALS, which costs far less than folding the text first."""

    def __init__(self, text: str, starts: set[str]):
        self.text, self.scanned, self.found = text, 0, []  # found: (start, end, lower-case word), in order
        self.accented = any(letter in text for letter in ACCENTED)
        forms = starts if self.accented else {f for s in starts for f in (s, s.capitalize(), s.upper())}
        self.forms = sorted(forms)

    def scan(self, until: int) -> None:
        """Find the candidates starting before `until` (the text's end at most)."""
        text = self.text
        while self.scanned < min(until, len(text)):
            low, high = self.scanned, min(len(text), self.scanned + CHUNK)
            pad = high + 60  # a word starting inside the chunk may end past it
            part = fold(text[low:pad]) if self.accented else text[low:pad]
            found = {}
            for form in self.forms:
                at = part.find(form, 0, high - low + len(form) - 1)
                while 0 <= at < high - low:
                    if (low + at == 0 or not text[low + at - 1].isalnum()) and low + at not in found:
                        word = WORD.match(text, low + at)
                        found[low + at] = (low + at, word.end(), word.group().lower())
                    at = part.find(form, at + 1, high - low + len(form) - 1)
            self.found += sorted(found.values())
            self.scanned = high


def lexemes_of(words: set[str], config: str) -> dict[str, frozenset[str]]:
    """Each lower-case word's lexemes under `config`, asking PostgreSQL (one query) only for words not seen."""
    unknown = [word for word in words if (config, word) not in _lexemes]
    if unknown:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w, tsvector_to_array(to_tsvector(%s::regconfig, w)) FROM unnest(%s::text[]) AS w",
                [config, unknown],
            )
            found = cursor.fetchall()
        if len(_lexemes) + len(found) > MEMO_LIMIT:
            _lexemes.clear()
        for word, lexemes in found:
            _lexemes[(config, word)] = frozenset(lexemes)
    return {word: _lexemes.get((config, word), frozenset()) for word in words}


def highlight(articles: list, tsquery_text: str, config: str) -> None:
    """Set each article's snippet_html: its snippet, HTML-escaped, with the query's words in <mark>.

    Each article's candidates are read up to a window's length past the first one this process already knows
    to match (or to the end): the first real match is at or before it, so its window is covered. The words
    not known yet are looked up together, in one query for the page."""
    wanted = query_lexemes(tsquery_text)
    starts = prefixes(wanted)
    scans = []
    for article in articles:
        scan = Candidates(article.body_text, starts) if wanted else Candidates("", set())
        while scan.scanned < len(scan.text):
            scan.scan(scan.scanned + CHUNK)
            known = next(
                (at for at, _, w in scan.found if _lexemes.get((config, w), frozenset()) & wanted), None
            )
            if known is not None:
                scan.scan(known + SNIPPET_WINDOW + 1)
                break
        scans.append(scan)
    lexemes = lexemes_of({word for scan in scans for _, _, word in scan.found}, config)
    for article, scan in zip(articles, scans, strict=True):
        # Where each matching word starts: where it ends, and which query lexeme it is.
        hits = {
            at: (end, min(lexemes[word] & wanted)) for at, end, word in scan.found if lexemes[word] & wanted
        }
        article.snippet_html = snippet(article.body_text, hits)


def window(text: str, first: int | None) -> tuple[int, int]:
    """SNIPPET_WINDOW characters from about SNIPPET_LEAD before `first`, without words cut at either end."""
    start = 0 if first is None else max(0, first - SNIPPET_LEAD)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if space >= 0 else len(text)
    end = start + SNIPPET_WINDOW
    if end < len(text):
        space = text.rfind(" ", start, end + 1)
        end = space if space > start else end
    return start, min(end, len(text))


def snippet(text: str, hits: dict[int, tuple[int, str]]) -> SafeString:
    """The snippet of `text` (body_text: words separated by one space), given where each matching word starts,
    ends and which query lexeme it is. Words are counted by the spaces between them, so no step here reads
    the window word by word."""
    start, end = window(text, min(hits) if hits else None)
    inside = [at for at in sorted(hits) if start <= at and hits[at][0] <= end]
    words = Words(text, start, end, inside)
    if not inside:
        return mark_safe(escape(text[start : words.end(min(MIN_WORDS, words.count) - 1)]))  # noqa: S308
    lexeme = [hits[at][1] for at in inside]
    fragments: list[tuple[int, int]] = []  # ranges of word numbers [a, b)
    for _ in range(MAX_FRAGMENTS):
        free = [n for n in range(len(inside)) if not any(a <= words.number[n] < b for a, b in fragments)]
        if not free:
            break
        # The run of up to MAX_WORDS words from a match with the most different query words, then matches.
        numbers = [words.number[n] for n in free]
        best, best_score, best_last = 0, (-1, -1), 0
        for i, first in enumerate(numbers):
            j = bisect_left(numbers, first + MAX_WORDS, i)
            run = {lexeme[free[k]] for k in range(i, j)}
            if (len(run), j - i) > best_score:
                best, best_score, best_last = first, (len(run), j - i), numbers[j - 1]
        room = MAX_WORDS - (best_last - best + 1)
        a = max(0, best - room // 2)
        b = min(words.count, a + MAX_WORDS)
        a = max(0, b - MAX_WORDS)
        for fa, fb in fragments:  # never show a word twice: stop at the fragment already chosen
            a, b = (max(a, fb), b) if best >= fb else (a, min(b, fa))
        fragments.append((a, b))
    parts: list[tuple[int, int]] = []
    for a, b in sorted(fragments):
        if parts and parts[-1][1] == a:  # touching: one fragment
            parts[-1] = (parts[-1][0], b)
        else:
            parts.append((a, b))
    html = DELIMITER.join(words.html(a, b, hits) for a, b in parts)
    return mark_safe(html)  # noqa: S308  escaped piece by piece: only our own <mark> tags are markup


class Words:
    """The words of text[start:end] (separated by one space), numbered from 0. A match's number comes from the
    spaces before it; where another word starts, from walking space to space from the nearest match."""

    def __init__(self, text: str, start: int, end: int, inside: list[int]):
        self.text, self.start, self.stop, self.inside = text, start, end, inside
        self.number, position, count = [], start, 0
        for at in inside:
            count += text.count(" ", position, at)
            self.number.append(count)
            position = at
        self.count = count + text.count(" ", position, end) + 1 if end > start else 0
        # Where the word holding each match starts (a match may follow a quote: «negligencia).
        self.starts = [text.rfind(" ", start, at) + 1 or start for at in inside]

    def begin(self, n: int) -> int:
        i = bisect_left(self.number, n)  # the first match numbered n or more
        if i < len(self.number) and self.number[i] - n <= n - (self.number[i - 1] if i else 0):
            position = self.starts[i]
            for _ in range(self.number[i] - n):  # back, word by word
                position = self.text.rfind(" ", self.start, position - 1) + 1 or self.start
            return position
        position, number = (self.starts[i - 1], self.number[i - 1]) if i else (self.start, 0)
        for _ in range(n - number):  # forward, word by word
            position = self.text.find(" ", position, self.stop) + 1
        return position

    def end(self, n: int) -> int:
        space = self.text.find(" ", self.begin(n), self.stop)
        return self.stop if space < 0 else space

    def html(self, a: int, b: int, hits: dict) -> str:
        html, position, stop = [], self.begin(a), self.end(b - 1)
        for at in self.inside[bisect_left(self.inside, position) :]:
            if hits[at][0] > stop:
                break
            html += [escape(self.text[position:at]), "<mark>", escape(self.text[at : hits[at][0]]), "</mark>"]
            position = hits[at][0]
        html.append(escape(self.text[position:stop]))
        return "".join(html)
