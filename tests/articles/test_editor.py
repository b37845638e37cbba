"""The editor's admin: the state in words, "review pending" until an attorney approves, and the plain-language
meter (textstat) in the live preview and after each save."""

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles import plain_language
from articles.admin.editor import article_state
from tests.articles.test_admin import change_form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

EASY = (
    "You fell. You got hurt. We can help you. Call us today. We will listen to you. "
    "Then we tell you what we think. It is free to ask."
)
HARD = (
    "Notwithstanding the multiplicity of jurisdictional prerequisites, administrative regulations "
    "occasionally necessitate comprehensive documentation substantiating extraordinarily complicated "
    "circumstances, particularly regarding governmental instrumentalities' institutional responsibilities."
)
SPANISH_EASY = (
    "Usted se cayó. Le duele la pierna. Llame hoy. Le vamos a escuchar. No cuesta nada preguntar. "
    "Le decimos qué puede hacer."
)


def test_the_state_says_draft_awaiting_approval_scheduled_or_live():
    assert article_state(ArticleFactory.draft()) == "draft"
    # Past its time but never approved: nothing is public, so it is not "Scheduled" (nor live).
    assert article_state(ArticleFactory(approved=False)) == "awaiting"
    assert article_state(ArticleFactory.scheduled(approved=False)) == "awaiting"
    assert article_state(ArticleFactory.scheduled()) == "scheduled"
    assert article_state(ArticleFactory()) == "live"


def test_the_list_shows_the_four_states_and_fits_its_columns(client, editor):
    ArticleFactory.draft(title="A draft")
    ArticleFactory(
        title="Waiting for an attorney", approved=False, published_at=timezone.now() - timedelta(days=1)
    )
    ArticleFactory.scheduled(title="Coming next week")
    ArticleFactory(title="Already public")
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    for css, label in (
        ("draft", "Draft"),
        ("awaiting", "Awaiting approval"),
        ("scheduled", "Scheduled"),
        ("live", "Live"),
    ):
        assert f'<span class="article-state article-state--{css}">{label}</span>' in html
    for column in ("title", "state", "approval", "language", "reviewed_by", "published"):
        assert f'class="sortable column-{column}' in html or f'class="column-{column}' in html, column
    assert "nav-sidebar" not in html  # the width goes to the titles


def test_the_meter_measures_english_by_flesch_kincaid_against_the_goal_setting(settings):
    easy = plain_language.measure(EASY, "en")
    hard = plain_language.measure(HARD, "en")
    assert easy.score <= 8 < hard.score
    assert easy.meets_goal and not hard.meets_goal
    assert "grade" in easy.summary and "(goal: 8 or lower)" in easy.summary
    settings.PLAIN_LANGUAGE_MAX_GRADE = -5
    assert not plain_language.measure(EASY, "en").meets_goal  # the goal is a setting


def test_the_meter_measures_spanish_by_fernandez_huerta(settings):
    reading = plain_language.measure(SPANISH_EASY, "es")
    assert reading.score >= 70 and reading.meets_goal
    assert "Fernández Huerta" in reading.summary and "(goal: 70 or more" in reading.summary
    settings.PLAIN_LANGUAGE_MIN_EASE_ES = 200
    assert not plain_language.measure(SPANISH_EASY, "es").meets_goal
    # English is measured again as English after a Spanish measure (textstat keeps one global language).
    assert plain_language.measure(EASY, "en").score == plain_language.measure(EASY, "en").score


def test_the_meter_names_the_longest_sentences_and_unexplained_legal_words():
    text = (
        "The statute of limitations can end your case.\n"
        "A notice of claim (a short written warning to the city) is due in 90 days.\n"
        + " ".join(["word"] * 40)
        + " ends here.\n"
        "Comparative fault means a share of the blame can lower what you get."
    )
    reading = plain_language.measure(text, "en")
    assert reading.longest[0][0] == 42
    assert reading.unexplained == ["statute of limitations"]


def test_textstat_is_the_pinned_version_that_needs_no_download():
    requirements = (Path(__file__).resolve().parents[2] / "requirements.txt").read_text()
    assert "textstat==0.7.8\n" in requirements
    plain_language.measure(EASY, "en")
    assert "nltk" not in sys.modules  # 0.7.10+ would load NLTK and download its dictionary


def test_the_live_preview_says_review_pending_and_measures_the_text(client, editor):
    client.force_login(editor)
    url = reverse("markdownx_markdownify")
    html = client.post(url + "?language=es&approved=0", {"content": SPANISH_EASY}).content.decode()
    assert "Review pending — not public until an attorney approves." in html
    assert "Reading ease (Fernández Huerta)" in html
    assert "<p>Usted se cayó." in html  # the text itself follows
    approved = client.post(url + "?language=en&approved=1", {"content": EASY}).content.decode()
    assert "This text is approved. Any change you make waits for an attorney" in approved
    assert "Reading level (Flesch–Kincaid): grade" in approved


def test_the_editor_asks_for_the_preview_in_the_articles_language(client, editor):
    article = ArticleFactory(language="es", slug="un-articulo", approved=False)
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'data-markdownx-urls-path="/markdownx/markdownify/?language=es&amp;approved=0"' in html


def test_saving_says_review_pending_and_gives_the_reading_level(client, editor):
    article = ArticleFactory(body=EASY)
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client, url, body=EASY + "\n\nThe statute of limitations applies.")
    response = client.post(url, data)
    assert response.status_code == 302
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Saved. Review pending — not public until an attorney approves." in said
    assert any(line.startswith("Reading level (Flesch–Kincaid): grade") for line in said)
    assert any("statute of limitations" in line for line in said)


def test_the_staff_preview_says_review_pending_instead_of_reviewed_by(client, editor):
    article = ArticleFactory(approved=False, title="Not approved yet")
    client.force_login(editor)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Legal review pending — not public until an attorney approves." in html
    assert "Legally reviewed by" not in html
    approved = ArticleFactory(title="Approved one")
    html = client.get(approved.get_absolute_url()).content.decode()
    assert "Legally reviewed by" in html and "Legal review pending" not in html
