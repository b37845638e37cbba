"""Every demo article meets the plain-language goals, as the editor's meter measures it after a save
(articles/plain_language.py on the rendered body_html, with the time-limit rules' approved wording in place):
English at most PLAIN_LANGUAGE_MAX_GRADE (Flesch–Kincaid grade), Spanish at least PLAIN_LANGUAGE_MIN_EASE_ES
(Fernández Huerta ease). The demo articles are the examples editors copy, so they meet the goal the meter asks
of every article; none is excepted."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from articles import plain_language
from articles.management.commands.load_demo_content import article_files
from articles.models import Article

pytestmark = pytest.mark.django_db


def test_every_demo_article_meets_its_plain_language_goal():
    call_command("load_demo_content", stdout=StringIO())
    articles = list(Article.objects.order_by("language", "slug"))
    assert len(articles) == len(article_files())
    assert {article.language for article in articles} == {"en", "es"}
    problems = []
    for article in articles:
        reading = plain_language.measure_html(article.body_html, article.language)
        assert reading is not None, article.slug
        expected_goal = (
            settings.PLAIN_LANGUAGE_MIN_EASE_ES
            if article.language == "es"
            else settings.PLAIN_LANGUAGE_MAX_GRADE
        )
        assert reading.goal == expected_goal
        if not reading.meets_goal:
            words, sentence = reading.longest[0]
            problems.append(
                f"{article.slug}: {reading.summary} Longest sentence ({words} words): {sentence!r}"
            )
    assert not problems, "\n".join(problems)
