"""What an article's Markdown must not say by hand: a deadline outside the time-limits table, or praise of the
firm that New York's advertising rules forbid. Pure (no database, no settings).

- **Periods.** Every deadline an article states is quoted from the time-limits table with the short form
  (`{{limit:KEY}}`, `{{limit:KEY|period}}`, …; README "Articles"), so it reads the same everywhere and changes
  everywhere at once. `hand_written_periods()` finds a number, in digits or words, English or Spanish ("90
  days", "two and a half years", "30-day", "dos años y medio", "un año"), followed by days, weeks, months,
  years or hours, that is not inside one of those forms. A number that is not a deadline (an age, how long a
  case usually takes, the no-fault "90 of the first 180 days" test) is written `{{as-is:…}}` on purpose.
- **Self-praise and promises.** Rule 7.4 of the New York Rules of Professional Conduct limits "specialist"
  and "expert" claims, and no lawyer may promise a result. `self_praise()` finds "best", "specialist",
  "expert" and their Spanish equivalents in a sentence about the firm (one that says we, our, firm, lawyer,
  team…; "a referral to a specialist" is about doctors, and an expert witness or expert testimony is always
  fine), and "guarantee"/"promise" anywhere unless a negation comes just before ("no lawyer can promise").

tests/articles/test_article_wording.py runs both over every demo article, in both languages.
"""

import re

# The short forms rendered at save time (articles/markdown.py). {{en:…}}/{{es:…}} keep their words: an English
# term inside a Spanish article may not smuggle in a period either.
_QUOTED = re.compile(r"\{\{(?:limit|as-is|firm):[^{}\n]*\}\}")
_FOREIGN_TERM = re.compile(r"\{\{(?:en|es):([^{}\n]*)\}\}")

_NUMBER_WORDS = (
    # English
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    # Spanish ("un"/"una" count: "un año" is a period)
    "un|uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince|dieciséis|"
    "dieciseis|diecisiete|dieciocho|diecinueve|veinte|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|"
    "noventa|cien|ciento"
)
_NUMBER = rf"(?:\d+(?:[.,]\d+)*½?|½|veinti\w+|{_NUMBER_WORDS})"
_SPACE = r"[\s\u00a0]+"  # a no-break space counts
_JOIN = r"[\s\u00a0-]+"  # "90-day", "two-year"
# "ninety-five", "twenty four", "cuarenta y cinco", "one hundred twenty"
_NUMBERS = rf"{_NUMBER}(?:(?:{_SPACE}(?:and|y){_SPACE}|{_JOIN}){_NUMBER})*"
_HALF = rf"(?:{_SPACE}(?:and a half|and one half|y medio|y media))?"
_UNIT = r"(?:days?|weeks?|months?|years?|hours?|d[ií]as?|semanas?|mes|meses|a[ñn]os?|horas?)"
PERIOD = re.compile(
    rf"(?<![\w§])({_NUMBERS}){_HALF}{_JOIN}(?:(?:calendar|business|working){_JOIN})?{_UNIT}\b",
    re.IGNORECASE,
)

_PRAISE = re.compile(
    r"\b(?:the|our)\s+best\b|\bbest\s+(?:lawyers?|attorneys?|firm)\b|\bspeciali[sz](?:ts?|e|es|ed|ing)\b|\bexpertise\b|"
    r"\bexperts?\b(?!\s+(?:medical\s+)?(?:witness(?:es)?|testimony|opinions?|evidence))|"
    r"\bespecialistas?\b|\bespecializ\w*|\bexpert[oa]s?\b|\b(?:el|la|los|las)\s+mejor(?:es)?\b",
    re.IGNORECASE,
)
# A sentence about the firm: praise words only count there ("a referral to a specialist" is about doctors).
_ABOUT_THE_FIRM = re.compile(
    r"\b(?:we|we're|our|us|firm|lawyers?|attorneys?|team|nosotros|nuestr[oa]s?|somos|bufete|firma|"
    r"abogad[oa]s?|equipo)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]+")
_PROMISE = re.compile(r"\bguarantee[sd]?\b|\bpromise[sd]?\b|\bgarantiz\w*|\bgarant[ií]as?\b|\bprome\w+", re.I)
# A negation shortly before makes it the opposite of a promise: "no lawyer can promise", "no garantizan".
_NEGATION = re.compile(
    r"\b(?:no|not|never|cannot|can't|nobody|no one|none|nunca|ningún|ninguna|nadie|ni)\b[^.;:!?]{0,30}$",
    re.IGNORECASE,
)


def strip_short_forms(text: str) -> str:
    return _FOREIGN_TERM.sub(r"\1", _QUOTED.sub(" ", text))


def hand_written_periods(text: str) -> list[str]:
    """The periods written by hand in `text` (Markdown with short forms), in the order they appear."""
    return [" ".join(match.group(0).split()) for match in PERIOD.finditer(strip_short_forms(text))]


def self_praise(text: str) -> list[str]:
    """Words that praise the firm or promise a result."""
    text = strip_short_forms(text)
    found = [
        match.group(0)
        for sentence in _SENTENCE.findall(text)
        if _ABOUT_THE_FIRM.search(sentence)
        for match in _PRAISE.finditer(sentence)
    ]
    found += [
        match.group(0)
        for match in _PROMISE.finditer(text)
        if not _NEGATION.search(text[max(0, match.start() - 40) : match.start()])
    ]
    return found
