"""Every demo article, in both languages, states its deadlines only through the time-limits short forms and
never praises the firm or promises a result (articles/wording.py). Reads the Markdown sources, so it holds
before and after the short forms are rendered."""

from pathlib import Path

import pytest

from articles.management.commands.load_demo_content import (
    PEOPLE,
    PRACTICE_AREAS,
    SPANISH_AREAS_FILE,
    SPANISH_DIR,
    article_files,
    parse,
    parse_spanish_areas,
)
from articles.wording import hand_written_periods, self_praise

ARTICLES = article_files()


def reader_text(path: Path) -> str:
    """What readers see of an article: its title, summary and body (not the slug or other header fields)."""
    fields = parse(path)
    return "\n".join([fields["title"], fields["summary"], fields["body"]])


def test_both_languages_are_read():
    languages = {parse(path).get("language", "en") for path in ARTICLES}
    assert languages == {"en", "es"}
    assert len(ARTICLES) >= 17


@pytest.mark.parametrize("path", ARTICLES, ids=lambda path: path.name)
def test_an_article_states_no_period_by_hand(path):
    assert hand_written_periods(reader_text(path)) == [], (
        "Quote deadlines with {{limit:KEY}} or {{limit:KEY|period}}; mark a number that is not a deadline "
        "with {{as-is:…}} (README, Articles)."
    )


@pytest.mark.parametrize("path", ARTICLES, ids=lambda path: path.name)
def test_an_article_neither_praises_the_firm_nor_promises_a_result(path):
    assert self_praise(reader_text(path)) == []


def demo_texts() -> list[str]:
    """The other public words of the demo content: people, practice areas and their Spanish texts."""
    texts = [person[field] for person in PEOPLE for field in ("bio", "bio_es", "job_title", "job_title_es")]
    texts += [area[field] for area in PRACTICE_AREAS for field in ("name", "summary", "description")]
    for block in parse_spanish_areas(SPANISH_DIR / SPANISH_AREAS_FILE):
        texts += [block["name_es"], block["summary_es"], block["description_es"]]
    return texts


def test_people_and_practice_areas_state_no_period_and_no_praise():
    for text in demo_texts():
        assert hand_written_periods(text) == [], text
        assert self_praise(text) == [], text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("serve it within 90 days of the fall", ["90 days"]),
        ("you have two and a half years", ["two and a half years"]),
        ("within ninety days", ["ninety days"]),
        ("the 30-day wait", ["30-day"]),
        ("1 year and 90 days", ["1 year", "90 days"]),
        ("usually within one business day", ["one business day"]),
        ("twenty-four hours after the crash", ["twenty-four hours"]),
        ("tiene dos años y medio", ["dos años"]),
        ("dentro de un año", ["un año"]),
        ("cuarenta y cinco días", ["cuarenta y cinco días"]),
        ("veinticuatro horas", ["veinticuatro horas"]),
        ("el {{en:90-day notice}}", ["90-day"]),
        ("you must {{limit:gml-50-e}}; the lawsuit waits {{limit:gml-50-h|period}}", []),
        ("for up to {{as-is:three years}}", []),
        ("$2,000 a month, at age 18, CPLR 214(5), § 50-e, 1-800-222-1222", []),
    ],
)
def test_the_period_check_finds_periods_outside_the_short_forms(text, found):
    assert hand_written_periods(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("our expert lawyers", ["expert"]),
        ("the best injury firm", ["the best"]),
        ("we are specialists in malpractice", ["specialists"]),
        ("we guarantee a result", ["guarantee"]),
        ("somos los mejores abogados", ["los mejores"]),
        ("Es mejor hablar con un abogado pronto.", []),
        ("un bufete especialista", ["especialista"]),
        ("le garantizamos una compensación", ["garantizamos"]),
        ("Our lawyers are the best.", ["the best"]),
        ("an expert witness, expert medical testimony", []),
        ("No lo mandaron a otro especialista. The best way to keep records is a diary.", []),
        ("No lawyer can promise a particular result.", []),
        ("Ningún abogado puede prometerle un resultado.", []),
    ],
)
def test_the_praise_check_finds_self_description_and_promises(text, found):
    assert self_praise(text) == found
