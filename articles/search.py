"""Site search over published articles: PostgreSQL full text, ranked, with synonyms and typo suggestions.

A search runs in up to three steps, each one ranking query, and stops at the first that finds something:
1. the reader's words with websearch_to_tsquery semantics (quotes, -word, or), OR'd with the legal terms
   from the synonym table that their words map to;
2. relaxed: any of their words (a worried reader types a whole sentence);
3. nothing found: a "Did you mean" suggestion from trigram similarity against published titles and headings.

Each language searches its own articles with its own text search configuration, synonyms and suggestion
words: English pages with lawsite_english, Spanish pages (/es/buscar/) with lawsite_spanish.

The ranking query's SQL is written once per process (articles/search_statement.py); the snippets are cut and
highlighted in Python from the rows' plain text (articles/snippets.py), which asks PostgreSQL, in one more query,
the lexemes of the words this process has not seen yet.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from articles.i18n import Language, search_config, stemmer_config
from articles.models import Article, SearchSynonym, SearchTerm
from articles.page_cache import watch as content_state
from articles.search_statement import PAGE_SIZE, run
from articles.snippets import highlight

MAX_QUERY_LENGTH = 200
SYNONYMS_CACHE_KEY = "search:synonyms"
SYNONYMS_CACHE_SECONDS = 24 * 3600
SUGGESTION_CACHE_KEY = "search:suggestion"
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def clean_query(raw: str) -> str:
    """What we search for: printable text, no NUL/control/surrogate characters, at most 200 characters."""
    text = "".join(
        ch if unicodedata.category(ch)[0] not in {"C"} else " " for ch in (raw or "")[: MAX_QUERY_LENGTH * 4]
    )
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def synonyms(language: str = Language.ENGLISH) -> list[tuple[str, str]]:
    """(phrase, expansion) pairs, cached under the content version, which any synonym edit bumps
    (articles/page_cache.py), so every app process uses an edit on its very next search."""
    version, _ = content_state.current()
    key = f"{SYNONYMS_CACHE_KEY}:{language}:{version}"
    pairs = cache.get(key)
    if pairs is None:
        pairs = list(SearchSynonym.objects.filter(language=language).values_list("phrase", "expansion"))
        cache.set(key, pairs, SYNONYMS_CACHE_SECONDS)
    return pairs


@lru_cache(maxsize=8)
def _folded(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The phrases with accents folded, " " around, worked out once per set of synonyms (keyed by the pairs
    themselves, so an edit is used at once)."""
    return tuple((f" {fold_accents(phrase)} ", expansion) for phrase, expansion in pairs)


# Accents readers often leave out (or add): "diagnostico tardio" is "diagnóstico tardío", "conten" is "contén".
# The tilde of ñ stays: "ano" is not "año".
ACCENTS = {"\u0300", "\u0301", "\u0308"}  # grave, acute, diaeresis


def fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in ACCENTS))


def expansions_for(query: str, language: str = Language.ENGLISH) -> list[str]:
    """The expansions of every synonym phrase found among the query's words, whole words only, with case
    and accents ignored on both sides (one phrase in the admin covers "aseguranza" and "aseguránza")."""
    words = " " + fold_accents(" ".join(WORD.findall(query.lower()))) + " "
    return [
        expansion for phrase, expansion in _folded(tuple(map(tuple, synonyms(language)))) if phrase in words
    ]


@dataclass
class SearchResult:
    query: str
    results: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    relaxed: bool = False
    suggestion: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _run(texts: list[str], page: int, language: str) -> tuple[list, int]:
    rows, total = run(texts, page, language)
    if rows:
        highlight(rows, rows[0].query, search_config(language))
    return rows, total


def suggest(query: str, language: str = Language.ENGLISH) -> str:
    """Replace each unknown word with the closest word from the titles and headings (in the same language)
    that are live now.

    Cached under the content version and how many scheduled publication times have passed (what the
    vocabulary depends on), so the trigram lookup runs once per misspelling between edits, and an edit or a
    scheduled article going live is used at once. After a commit the vocabulary is rebuilt before the version
    moves (articles/apps.py connects rebuild_vocabulary first), so nothing older is kept under a new version."""
    words = [w.lower() for w in WORD.findall(query)][:12]
    if not words:
        return ""
    version, upcoming = content_state.current()
    now = timezone.now()
    times = [datetime.fromisoformat(t) for t in upcoming]
    epoch = sum(1 for t in times if t <= now)
    later = [(t - now).total_seconds() for t in times if t > now]
    digest = hashlib.sha256("\0".join(words).encode()).hexdigest()[:32]
    key = f"{SUGGESTION_CACHE_KEY}:{language}:{version}.{epoch}:{digest}"
    suggestion = cache.get(key)
    if suggestion is None:
        suggestion = _suggest(words, language)
        cache.set(key, suggestion, max(1, int(min([SYNONYMS_CACHE_SECONDS, *later]))))
    return suggestion


def _suggest(words: list[str], language: str) -> str:
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT q.word,
                   CASE WHEN to_tsvector(%s::regconfig, q.word) = ''::tsvector
                             OR EXISTS (SELECT 1 FROM {SearchTerm._meta.db_table} t
                                        WHERE t.language = %s AND t.word = q.word AND t.available_from <= %s)
                        THEN NULL
                        ELSE (SELECT t.word FROM {SearchTerm._meta.db_table} t
                              WHERE t.language = %s AND t.word %% q.word AND t.available_from <= %s
                              ORDER BY similarity(t.word, q.word) DESC, t.word LIMIT 1)
                   END
            FROM unnest(%s::text[]) WITH ORDINALITY AS q(word, n)
            ORDER BY q.n
            """,  # noqa: S608  (table names from the model; the words are parameters)
            # The same clock as Article.objects.published(); the stop words of the page's language.
            [stemmer_config(language), language, now, language, now, words],
        )
        pairs = cursor.fetchall()
    corrected = [better or word for word, better in pairs]
    return " ".join(corrected) if corrected != words else ""


def search(raw_query: str, page: int = 1, language: str = Language.ENGLISH) -> SearchResult:
    query = clean_query(raw_query)
    outcome = SearchResult(query=query, page=max(1, page))
    if not WORD.search(query):
        return outcome
    legal_terms = expansions_for(query, language)
    outcome.results, outcome.total = _run([query, *legal_terms], outcome.page, language)
    if outcome.total == 0:  # a whole sentence rarely matches as a whole: try any of its words
        relaxed = " or ".join(WORD.findall(query))
        outcome.results, outcome.total = _run([relaxed, *legal_terms], outcome.page, language)
        outcome.relaxed = outcome.total > 0
    if outcome.total == 0 and outcome.page == 1:
        outcome.suggestion = suggest(query, language)
    return outcome


def rebuild_vocabulary() -> int:
    """The words of published and scheduled titles and headings, each with the time it goes live, for
    suggestions, per language. Run when articles change."""
    live_from: dict[tuple[str, str], datetime] = {}
    approved_scheduled = Article.objects.scheduled().filter(approved_version__isnull=False)
    articles = (Article.objects.published() | approved_scheduled).only(
        "title", "toc", "published_at", "language"
    )
    for article in articles:
        text = f"{article.title} {article.headings_text()}".lower()
        for word in {w for w in WORD.findall(text) if 3 <= len(w) <= 60}:
            key = (article.language, word)
            live_from[key] = min(live_from.get(key, article.published_at), article.published_at)
    for language in Language.values:
        words = [word for (lang, word) in live_from if lang == language]
        SearchTerm.objects.filter(language=language).exclude(word__in=words).delete()
    SearchTerm.objects.exclude(language__in=Language.values).delete()
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(language=language, word=word, available_from=when)
            for (language, word), when in sorted(live_from.items())
        ],
        update_conflicts=True,
        unique_fields=["language", "word"],
        update_fields=["available_from"],
    )
    return len(live_from)
