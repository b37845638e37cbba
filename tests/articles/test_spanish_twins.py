"""Every English demo article has a Spanish twin, and each twin states the same deadlines.

A Spanish-speaking reader must not get less than an English-speaking one: a topic that exists only in English
sends them to a page they cannot read, and a twin that leaves out a deadline (or adds one) can cost a reader
a claim. Deadlines are quoted from the time-limits table with {{limit:KEY}} (or {{limit:KEY|part}}), so "the
same deadlines" means the same set of keys. The twins are written fresh rather than translated, so their
wording and order may differ; their keys may not.
"""

import re

import pytest

from articles.management.commands.load_demo_content import (
    CONTENT_DIR,
    SPANISH_AREAS_FILE,
    SPANISH_DIR,
    parse,
)

LIMIT_KEY = re.compile(r"\{\{limit:([a-z0-9-]+)(?:\|[a-z]+)?\}\}")


ENGLISH = {data["slug"]: data for data in map(parse, sorted(CONTENT_DIR.glob("*.md")))}
SPANISH = {
    data["slug"]: data
    for path in sorted(SPANISH_DIR.glob("*.md"))
    if path.name != SPANISH_AREAS_FILE
    for data in [parse(path)]
}
TWIN_OF = {data["counterpart"]: slug for slug, data in SPANISH.items() if data.get("counterpart")}


def deadline_keys(data: dict) -> set[str]:
    return set(LIMIT_KEY.findall(f"{data['title']}\n{data['summary']}\n{data['body']}"))


def test_every_spanish_article_is_the_twin_of_one_english_article():
    for slug, data in SPANISH.items():
        assert data.get("language") == "es", slug
        assert data.get("counterpart") in ENGLISH, (
            f"{slug}: counterpart {data.get('counterpart')!r} is not an English demo article"
        )
    counterparts = [data["counterpart"] for data in SPANISH.values()]
    assert len(counterparts) == len(set(counterparts)), "two Spanish articles claim the same English twin"


@pytest.mark.parametrize("english_slug", sorted(ENGLISH))
def test_every_english_article_has_a_spanish_twin(english_slug):
    assert english_slug in TWIN_OF, f"{english_slug} has no Spanish twin in {SPANISH_DIR.name}/"


@pytest.mark.parametrize("english_slug", sorted(ENGLISH))
def test_each_twin_states_the_same_deadlines_as_its_english_article(english_slug):
    spanish_slug = TWIN_OF.get(english_slug)
    if spanish_slug is None:
        pytest.fail(f"{english_slug} has no Spanish twin")
    english, spanish = deadline_keys(ENGLISH[english_slug]), deadline_keys(SPANISH[spanish_slug])
    assert spanish == english, (
        f"{spanish_slug} vs {english_slug}: only in Spanish {sorted(spanish - english)}, "
        f"only in English {sorted(english - spanish)}"
    )


def test_the_twins_are_checked_at_all():
    """The comparison above means something only if the articles quote the table."""
    assert all(deadline_keys(data) for data in ENGLISH.values())
