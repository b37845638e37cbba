""" "How long do I have?" — /time-limits/ and /es/plazos/ (articles/time_limits_page.py)."""

import re
from datetime import date
from html import unescape

import pytest
from django.utils import timezone, translation

from articles import limits
from articles.time_limits_page import TimeLimitsForm
from tests.factories import ArticleFactory

TODAY = date(2026, 12, 5)  # a Saturday


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def ask(client, path="/time-limits/", **params):
    response = client.get(path, params)
    assert response.status_code == 200
    return response, response.content.decode()


def rule_names(page: str) -> list[str]:
    return [unescape(name) for name in re.findall(r'class="time-limit-item__name">([^<]+)<', page)]


def test_the_bare_form_works_without_javascript_and_is_never_stored(client, time_limits):
    response, page = ask(client)
    assert '<form class="time-limits__form" method="get"' in page
    assert 'name="what"' in page and 'name="who"' in page and 'name="date"' in page
    assert 'name="minor"' in page and 'value="1"' in page and 'name="died"' in page
    assert "<script" not in page.split("</header>")[1].split("<footer")[0]
    assert "no-store" in response["Cache-Control"]
    assert "Deadlines that may apply to you" not in page


def test_a_fall_on_a_city_sidewalk_80_days_ago_shows_the_notice_of_claim_first(client, time_limits, today):
    response, page = ask(client, what="fall", who="city", date="2026-09-16")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    names = rule_names(page)
    assert names[0] == "Notice of claim"
    assert (
        "The earliest: <strong>Notice of claim</strong>, which may be due as early as <strong>December 15, 2026</strong>"
        in page
    )
    assert "May be due as early as <strong>December 15, 2026</strong> (in 10 days)." in page
    assert "Until a lawyer agrees in writing to represent you, this deadline is yours." in page
    assert "not legal advice" in page
    assert "General Municipal Law § 50-e" in page and "Lawsuit against a public body" in names
    assert "Injury caused by negligence" not in names  # a private person's 3 years does not apply
    # The call and consultation buttons sit beside the answer.
    answer = page.split('id="answer"')[1]
    assert 'href="tel:' in answer.split("</div>")[0] and "/consultation/" in answer.split("</div>")[0]


def test_every_who_gets_its_own_first_step(client, time_limits, today):
    first = {}
    for who in limits.WHO:
        _, page = ask(client, what="medical", who=who, date="2026-11-20")
        first[who] = rule_names(page)[0]
    assert first == {
        "private": "Medical malpractice",
        "city": "Notice of claim",
        "state": "Claim against the State (Court of Claims)",
        "federal": "Claim against the federal government (FTCA)",
        "port-authority": "Notice of claim to the Port Authority",
        "transit": "Notice of claim",
        "unsure": "Notice of claim",
    }


@pytest.mark.parametrize(
    ("what", "who", "expected_first", "also"),
    [
        (
            "car",
            "private",
            "Hit-and-run: report to the police",
            {"No-fault application", "Injury caused by negligence"},
        ),
        (
            "work",
            "private",
            "Workers' compensation: notice to the employer",
            {"Workers' compensation: claim to the Board"},
        ),
        ("other", "private", "Harm done on purpose (assault, battery)", {"Injury caused by negligence"}),
        (
            "fall",
            "state",
            "Claim against the State (Court of Claims)",
            {"Claim against the State after a notice of intention"},
        ),
        (
            "car",
            "transit",
            "No-fault application",
            {"Lawsuit against New York City Transit", "Lawsuit against the MTA"},
        ),
    ],
)
def test_answers_for_a_few_kinds_of_harm(client, time_limits, today, what, who, expected_first, also):
    _, page = ask(client, what=what, who=who, date="2026-11-20")
    names = rule_names(page)
    assert names[0] == expected_first
    assert also <= set(names)


def test_not_sure_who_shows_every_kind_of_defendant_earliest_first(client, time_limits, today):
    _, page = ask(client, what="fall", who="unsure", date="2026-11-20")
    names = rule_names(page)
    assert {
        "Notice of claim", "Claim against the State (Court of Claims)", "Claim against the federal government (FTCA)",
        "Notice of claim to the Port Authority", "Injury caused by negligence",
    } <= set(names)  # fmt: skip
    dates = [date.fromisoformat(d) for d in re.findall(r'data-due="([\d-]+)"', page)]
    assert dates and dates == sorted(dates)


def test_the_flags_add_the_child_and_death_rules_without_a_computed_date(client, time_limits, today):
    _, plain = ask(client, what="medical", who="private", date="2026-11-20")
    assert "A child's time to sue" not in plain and "Wrongful death" not in rule_names(plain)
    _, page = ask(client, what="medical", who="private", date="2026-11-20", minor="1", died="1")
    names = rule_names(page)
    assert "A child's time to sue" in names and "Wrongful death" in names
    death = page.split('class="time-limit-item__name">Wrongful death<')[1].split("</li>")[0]
    assert "no date is shown" in death and "May be due" not in death


def test_without_a_date_every_rule_shows_its_period_and_no_date(client, time_limits, today):
    _, page = ask(client, what="fall", who="city")
    assert "Without the date it happened we cannot work out dates" in page
    assert "May be due" not in page and "90 days from the day of the incident." in page


def test_a_date_that_has_passed_says_what_may_still_be_possible_and_promises_nothing(
    client, time_limits, today
):
    _, page = ask(client, what="fall", who="city", date="2026-06-01")
    assert "May have been due as early as <strong>August 30, 2026</strong>: that date has passed." in page
    assert "Some dates may already have passed." in page and "please call us today" in page
    assert "Asking a court to allow a late notice of claim" in rule_names(page)
    assert "guarantee" not in page.split('id="answer"')[1].split("<footer")[0].lower()


def test_a_last_day_on_a_weekend_is_flagged_and_the_earlier_date_shown(client, time_limits, today):
    # September 7, 2026 + 90 days = Sunday, December 6, 2026: § 25-a might allow Monday; we show Sunday.
    _, page = ask(client, what="fall", who="city", date="2026-09-07")
    notice = page.split('class="time-limit-item__name">Notice of claim<')[1].split("</li>")[0]
    assert "December 6, 2026" in notice and "December 7, 2026" not in notice
    assert "General Construction Law § 25-a" in notice


def test_mistakes_are_explained_and_nothing_is_answered(client, time_limits, today):
    _, page = ask(client, what="flood", date="2026-13-01")
    assert "Please check 3 answers" in page
    assert "Please choose who may be responsible" in page and "Please enter a date like" in page
    assert 'value="2026-13-01"' not in page  # a value no date input can hold is not echoed (valid HTML)
    _, future = ask(client, what="car", who="private", date="2027-01-01")
    assert "The date cannot be in the future." in future and "Deadlines that may apply" not in future


def test_the_spanish_page_answers_in_spanish(client, time_limits, today):
    response, page = ask(client, "/es/plazos/", what="fall", who="city", date="2026-09-16")
    assert '<html lang="es">' in page
    assert "Aviso de reclamo (notice of claim)" in rule_names(page)
    assert "15 de diciembre de 2026" in page
    assert "Ley General Municipal, art. 50-e" in page
    assert (
        "Hasta que un abogado acepte por escrito representarlo, este plazo es responsabilidad suya." in page
    )
    assert (
        '<link rel="alternate" hreflang="en" href="http://testserver/time-limits/">'
        in page.replace("http://127.0.0.1:8000", "http://testserver")
        or 'hreflang="en"' in page
    )


def test_only_approved_rules_reach_readers(client, time_limits, today):
    rule = time_limits["gml-50-e"]
    rule.name = "Edited but not approved"
    rule.save()
    _, page = ask(client, what="fall", who="city", date="2026-09-16")
    assert "Edited but not approved" not in page and "Notice of claim" in rule_names(page)


def test_the_answer_costs_at_most_three_queries_and_writes_nothing(
    client, time_limits, today, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3) as captured:
        ask(client, what="car", who="unsure", date="2026-11-20", minor="1", died="1")
    assert not [q for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]


def test_linked_from_the_header_articles_that_quote_a_rule_and_the_sitemap(client, time_limits):
    _, home = ask(client, "/")
    assert 'href="/time-limits/"' in home
    article = ArticleFactory(body="You must {{limit:gml-50-e}}.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/time-limits/"' in page.split("<main")[1]
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/time-limits/</loc>" in sitemap and "/es/plazos/" in sitemap


def test_the_forms_texts_are_in_the_pages_language_whichever_language_came_first():
    """The form's labels and options are made once per language (articles/time_limits_page.py fields_in):
    a Spanish form after an English one is Spanish, and the English one after it English again."""

    expected = {
        "en": (
            "What happened?",
            "A car, truck, bus, motorcycle or bicycle crash, or hit as a pedestrian",
            "Please choose who may be responsible, or “I am not sure”.",
        ),
        "es": (
            "¿Qué pasó?",
            "Un choque de auto, camión, autobús, motocicleta o bicicleta, o lo atropellaron como peatón",
            "Elija quién puede ser responsable, o «No estoy seguro».",
        ),
    }
    for language in ("en", "es", "en", "es"):
        with translation.override(language):
            form = TimeLimitsForm({"what": "nonsense"})
            label, car, missing_who = expected[language]
            assert form["what"].label == label
            assert dict(form.fields["what"].choices)["car"] == car
            assert not form.is_valid()
            assert form.errors["who"] == [missing_who]  # error messages stay lazy: in the language too


@pytest.mark.parametrize(("language", "path"), [("en", "/time-limits/"), ("es", "/es/plazos/")])
def test_an_answer_that_is_not_a_choice_gets_the_pages_own_words_not_the_input_echoed(client, language, path):
    response = client.get(path, {"what": "<nope>", "who": "nobody-at-all"})
    page = unescape(response.content.decode())
    assert response.status_code == 200 and "nobody-at-all" not in page and "<nope>" not in page
    with translation.override(language):
        assert translation.gettext("Please choose what happened.") in page
        assert translation.gettext("Please choose who may be responsible, or “I am not sure”.") in page
    assert "valid choice" not in page and "opción válida" not in page


def test_forms_share_their_fields_and_the_latest_date_allowed_moves_with_the_day(monkeypatch):
    """fields_in() makes the fields once per language and day: two forms share them (no deep copy each),
    yet a form that drops a field leaves the others whole, and the next day's form allows the next day."""
    days = iter([date(2026, 12, 6), date(2026, 12, 6), date(2026, 12, 7)])
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: next(days))
    with translation.override("en"):
        first, second = (
            TimeLimitsForm(),
            TimeLimitsForm({"what": "car", "who": "unsure", "date": "2026-12-06"}),
        )
        assert first.fields["what"] is second.fields["what"]
        assert 'max="2026-12-06"' in str(first["date"]) and 'value="1"' in str(first["minor"])
        assert second.is_valid(), second.errors  # the day itself is allowed (the form's own day)
        del first.fields["died"]
        assert "died" in second.fields
        tomorrow = TimeLimitsForm()
        assert (
            'max="2026-12-07"' in str(tomorrow["date"])
            and tomorrow.fields["what"] is not first.fields["what"]
        )


def test_the_form_checks_the_date_against_the_day_it_is_given():
    """The view gives the form the day it answers for: the date field's upper limit and the "not in the
    future" check use that day, so the form and the answer never disagree across midnight."""
    with translation.override("en"):
        form = TimeLimitsForm({"what": "car", "who": "unsure", "date": "2026-12-07"}, today=date(2026, 12, 6))
        assert not form.is_valid()
        assert form.errors["date"] == ["The date cannot be in the future."]
        assert 'max="2026-12-06"' in str(form["date"])
        same_day = TimeLimitsForm(
            {"what": "car", "who": "unsure", "date": "2026-12-07"}, today=date(2026, 12, 7)
        )
        assert same_day.is_valid(), same_day.errors
