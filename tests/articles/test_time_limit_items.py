"""lawsite/time_limit_items.py: each rule of a /time-limits/ answer as an <li>, in every state an item can be
in, escaped as the pages escape, in the page's language. (The pages built from the real table are checked by
test_time_limits_page.py.)"""

from datetime import date
from html.parser import HTMLParser

import pytest
from django.utils import translation

from articles.limits import CAVEAT, DEADLINE, INCIDENT, Estimate, Period, Rule
from lawsite import page_state
from lawsite.time_limit_items import time_limit_items

TODAY = date(2026, 12, 7)  # a Monday
NINETY_DAYS = Period(days=90)


def rule(key="notice", *, kind=DEADLINE, starts=INCIDENT, period=NINETY_DAYS, notes="", url="", **words):
    english = {
        "name": "Notice of claim",
        "statement": "serve a notice of claim within 90 days (General Municipal Law § 50-e)",
        "period": "90 days",
        "trigger": "after the incident",
        "source": "General Municipal Law § 50-e",
        "notes": notes,
        **words,
    }
    spanish = {**english, "name": "Aviso de reclamo", "statement": "presente un aviso de reclamo"}
    return Rule(
        key=key,
        kind=kind,
        starts=starts,
        period=period,
        what=frozenset({"fall"}),
        who=frozenset({"city"}),
        text={"en": english, "es": spanish},
        source_url=url,
    )


def render(estimates, level=3, language="en"):
    with translation.override(language), page_state.rendering():
        return str(time_limit_items(estimates, level, language))


class Items(HTMLParser):
    """Each <li>: its attributes, and the text of each element inside it by class (or tag)."""

    def __init__(self, html):
        super().__init__()
        self.items, self.open = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li":
            self.items.append({"li": attrs, "text": {}, "links": []})
        elif tag == "a":
            self.items[-1]["links"].append(attrs)
        self.open.append(attrs.get("class") or tag)

    def handle_endtag(self, tag):
        self.open.pop()

    def handle_data(self, data):
        if self.items and self.open:
            texts = self.items[-1]["text"]
            texts[self.open[-1]] = texts.get(self.open[-1], "") + data


def test_a_date_to_come_names_the_day_the_days_left_and_a_closed_day():
    # 90 days after October 5, 2026 is Sunday, January 3, 2027: 27 days from today, and a closed day.
    due = Period(days=90).after(date(2026, 10, 5))
    html = render([Estimate(rule(), due, TODAY)])
    (item,) = Items(html).items
    assert item["li"] == {"class": "time-limit-item", "data-due": "2027-01-03"}
    assert item["text"]["time-limit-item__name"] == "Notice of claim"
    assert (
        '<p class="time-limit-item__date">May be due as early as <strong>January 3, 2027</strong> (in 27 days).'
        in html
    )
    assert "weekend or a public holiday" in item["text"]["time-limit-item__closed"]
    assert "<h3 " in html and "<h4 " not in html
    assert "<p><strong>What must be done:</strong> Serve a notice of claim within 90 days" in html
    assert item["links"] == []  # no address: the source is plain text
    assert item["text"]["time-limit-item__source"] == "Source: General Municipal Law § 50-e"
    assert "time-limit-item__notes" not in html


def test_one_day_left_is_singular_and_an_open_day_has_no_warning():
    due = date(2026, 12, 8)  # a Tuesday
    html = render([Estimate(rule(), due, TODAY)])
    assert "(in 1 day)." in html
    assert "time-limit-item__closed" not in html


def test_a_passed_date_is_marked_and_said_to_have_passed():
    html = render([Estimate(rule(), date(2020, 4, 9), TODAY)])
    (item,) = Items(html).items
    assert item["li"] == {"class": "time-limit-item time-limit-item--passed", "data-due": "2020-04-09"}
    assert "May have been due as early as <strong>April 9, 2020</strong>: that date has passed." in html


def test_without_a_date_a_rule_shows_its_period_and_why_there_is_no_date():
    dated, undated = rule(), rule("wait", kind=CAVEAT, starts="notice", period=Period(days=30))
    html = render([Estimate(dated, None, TODAY), Estimate(undated, None, TODAY)], level=4)
    first, second = Items(html).items
    assert first["li"] == second["li"] == {"class": "time-limit-item"}  # no data-due without a date
    assert first["text"]["time-limit-item__date"] == "90 days after the incident."
    assert second["text"]["time-limit-item__date"] == (
        "90 days after the incident: no date is shown, because it starts with an event we did not ask about."
    )
    assert html.count("<h4 class") == 2


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_words_are_escaped_and_in_the_pages_language(language):
    hostile = rule(
        name="Fish & <chips>",
        notes='Say "no" & don\'t <sign>',
        url="https://example.org/law?a=1&b=2",
    )
    html = render([Estimate(hostile, None, TODAY)], language=language)
    (item,) = Items(html).items
    assert "<chips>" not in html and "<sign>" not in html
    assert "Say &quot;no&quot; &amp; don&#x27;t &lt;sign&gt;" in html  # Django's escaping, not MarkupSafe's
    assert item["links"] == [{"href": "https://example.org/law?a=1&b=2", "rel": "noopener"}]
    assert 'href="https://example.org/law?a=1&amp;b=2"' in html
    if language == "en":
        assert '<h3 class="time-limit-item__name">Fish &amp; &lt;chips&gt;</h3>' in html
    else:  # the Spanish name (the Spanish text has the same hostile notes)
        assert item["text"]["time-limit-item__name"] == "Aviso de reclamo"
        assert "<strong>Qué hay que hacer:</strong> Presente un aviso de reclamo." in html
        assert item["text"]["time-limit-item__source"].startswith("Fuente: ")


def test_an_empty_list_is_empty():
    assert render([]) == ""
