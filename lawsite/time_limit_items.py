"""The items of a /time-limits/ answer: one <li> per rule that may apply, written in Python.

An answer lists up to about 25 rules, each an item of a dozen values (its name, the date or the period, the
closed-day warning, what must be done, notes, the source and its link). As a Jinja2 macro the list was the
page's longest loop: about 11 us an item, most of it Jinja2's own lookups, filter calls and escaping of
each value, against about 8 us written here, most of it now the escaping of the rules' long texts (the
fullest answer's 24 items: 265 -> ~190 us, in-process, December 2026). The words come from Rule.words
and the sentence case from Django's capfirst, as everywhere else. The markup is the one the macro wrote,
less its blank lines (tests/articles/test_time_limit_items.py reads it back item by item), and every value
goes through the pages' own escaping and catalogue
(lawsite/template_text.py).

The texts are the page's: the msgids are the ones the template used (locale/es has them).
"""

from django.utils.text import capfirst
from markupsafe import Markup

from articles.limits import Estimate
from lawsite.template_text import escape, gettext, ngettext
from lawsite.templatetags.site import local_date


def time_limit_items(estimates: list[Estimate], level: int, language: str) -> Markup:
    """{{ time_limit_items(answer.deadlines, 3, language) }}: the <li> of each estimate, its name an <h3>
    (level 3) or <h4>, in the page's language."""
    # What every item says the same way, looked up once a list.
    closed_day = gettext(
        "That day is a weekend or a public holiday. New York law (General Construction Law § 25-a) may allow "
        "the next business day, but do not count on it: act before."
    )
    what_must_be_done = gettext("What must be done:")
    source_label = gettext("Source:")
    return Markup(  # noqa: S704  (every value is escaped in _item)
        "\n".join(_item(e, level, language, closed_day, what_must_be_done, source_label) for e in estimates)
    )


def _item(estimate: Estimate, level: int, language: str, closed_day, what_must_be_done, source_label) -> str:
    rule = estimate.rule

    def words(part: str) -> str:
        return rule.words(part, language)

    due = estimate.due
    passed = estimate.has_passed
    if due:
        if passed:
            when = gettext(
                "May have been due as early as <strong>%(date)s</strong>: that date has passed.",
                date=local_date(due),
            )
        else:
            days = estimate.days_left
            when = ngettext(
                "May be due as early as <strong>%(date)s</strong> (in %(days)s day).",
                "May be due as early as <strong>%(date)s</strong> (in %(days)s days).",
                days,
                date=local_date(due),
                days=days,
            )
        when = f'  <p class="time-limit-item__date">{when}</p>\n'
        if estimate.falls_on_a_closed_day:
            when += f'  <p class="time-limit-item__closed">{closed_day}</p>\n'
    else:
        period, trigger = words("period"), words("trigger")
        if rule.is_dated:
            when = gettext("%(period)s %(trigger)s.", period=period, trigger=trigger)
        else:
            when = gettext(
                "%(period)s %(trigger)s: no date is shown, because it starts with an event we did not ask about.",
                period=period,
                trigger=trigger,
            )
        when = f'  <p class="time-limit-item__date">{when}</p>\n'
    notes = words("notes")
    notes = f'  <p class="time-limit-item__notes">{escape(notes)}</p>\n' if notes else ""
    source = escape(words("source"))
    if url := rule.source_url:
        source = f'<a href="{escape(url)}" rel="noopener">{source}</a>'
    return (
        f'<li class="time-limit-item{" time-limit-item--passed" if passed else ""}"'
        f"{f' data-due="{due.isoformat()}"' if due else ''}>\n"
        f'  <h{level} class="time-limit-item__name">{escape(words("name"))}</h{level}>\n'
        f"{when}"
        f"  <p><strong>{what_must_be_done}</strong> {escape(capfirst(words('statement')))}.</p>\n"
        f"{notes}"
        f'  <p class="time-limit-item__source">{source_label} {source}</p>\n'
        "</li>"
    )
