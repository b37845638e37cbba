"""The time-limits table (articles/models/time_limits.py), its calendar (articles/limits.py) and the Markdown
short form that quotes it (articles/markdown.py)."""

import dataclasses
import itertools
import re
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from articles import limits
from articles.approval import record_rule_approval
from articles.limits import Estimate, Period, estimates, is_court_business_day, next_due
from articles.markdown import ShortFormError, render_markdown
from articles.migrations import _time_limit_rules as seed
from articles.models import Article, TimeLimitRule, short_form_rules
from articles.models.time_limits import ANSWER_PARTS, answer_rules, approved_rules, intake_rules
from tests.factories import ArticleFactory

# The keys the article writers quote (kept in step with the shared list of keys and the demo content).
KEYS = [
    "gml-50-e",
    "gml-50-e-death",
    "gml-50-e-late",
    "gml-50-h",
    "gml-50-i",
    "gml-50-i-death",
    "ccla-10-injury",
    "ccla-10-injury-claim",
    "ccla-10-death",
    "ftca",
    "ftca-suit",
    "port-authority",
    "port-authority-notice",
    "nyct-1212",
    "mta-1276",
    "cplr-214-5",
    "cplr-214-a",
    "cplr-214-a-foreign-object",
    "cplr-214-a-cancer",
    "cplr-215-3",
    "cplr-208",
    "cplr-3012-a",
    "eptl-5-4-1",
    "eptl-11-3-2",
    "no-fault-30",
    "no-fault-bills-45",
    "mvaic",
    "mvaic-police",
    "wcl-18",
    "wcl-28",
    "mvaic-uninsured",
]
DEMO = Path(__file__).resolve().parents[2] / "articles" / "demo_content"


@pytest.mark.parametrize(
    ("start", "period", "end"),
    [
        # Days: calendar days, the day of the incident not counted (General Construction Law § 20).
        (date(2026, 1, 10), Period(days=90), date(2026, 4, 10)),
        (date(2026, 12, 31), Period(days=30), date(2027, 1, 30)),
        (date(2028, 2, 1), Period(days=30), date(2028, 3, 2)),  # through a leap February
        # Months and years: the same day of the month (§ 30); a shorter month ends on its last day.
        (date(2026, 8, 31), Period(months=6), date(2027, 2, 28)),
        (date(2027, 8, 31), Period(months=6), date(2028, 2, 29)),
        (date(2026, 3, 31), Period(months=6), date(2026, 9, 30)),
        (date(2024, 6, 30), Period(years=2, months=6), date(2026, 12, 30)),
        # Leap day: one year later there is no February 29, so February 28, never March 1.
        (date(2024, 2, 29), Period(years=1), date(2025, 2, 28)),
        (date(2024, 2, 29), Period(years=2), date(2026, 2, 28)),
        (date(2024, 2, 29), Period(years=4), date(2028, 2, 29)),
        (date(2024, 2, 29), Period(years=2, months=6), date(2026, 8, 29)),
        # 1 year and 90 days: the year first, then the days (Decicco v. City of Syracuse).
        (date(2024, 2, 29), Period(years=1, days=90), date(2025, 5, 29)),
        (date(2027, 3, 1), Period(years=1, days=90), date(2028, 5, 30)),  # 90 days through a leap spring
        (date(2025, 6, 2), Period(years=1, days=90), date(2026, 8, 31)),
        # The Port Authority's notice: at least 60 days before the 1-year deadline to sue.
        (date(2026, 3, 1), Period(years=1, days=-60), date(2026, 12, 31)),
        (date(2024, 2, 29), Period(years=1, days=-60), date(2024, 12, 30)),
    ],
)
def test_periods_follow_the_general_construction_law(start, period, end):
    assert period.after(start) == end


def test_a_last_day_on_a_weekend_or_holiday_is_flagged_but_never_moved(time_limits):
    notice = time_limits["gml-50-e"].approved_rule()
    # September 7, 2026 + 90 days = Sunday, December 6, 2026.
    saturday_or_sunday = Estimate(notice, notice.due(date(2026, 9, 7)), today=date(2026, 9, 8))
    assert saturday_or_sunday.due == date(2026, 12, 6) and saturday_or_sunday.falls_on_a_closed_day
    # Christmas 2026 is a Friday; Lincoln's Birthday and Election Day are New York holidays (GCL § 24).
    assert not is_court_business_day(date(2026, 12, 25))
    assert not is_court_business_day(date(2027, 2, 12))
    assert not is_court_business_day(date(2026, 11, 3))
    # A holiday on a Sunday moves to Monday; a Saturday holiday does not move.
    assert not is_court_business_day(date(2027, 7, 5))  # July 4, 2027 is a Sunday
    assert is_court_business_day(date(2026, 7, 3))  # July 4, 2026 is a Saturday
    assert is_court_business_day(date(2026, 12, 7))


def test_the_table_has_every_key_with_a_source_and_both_languages(time_limits):
    assert set(KEYS) <= set(time_limits)
    for rule in time_limits.values():
        rule.full_clean()  # the statement contains the period, in both languages
        for part in TimeLimitRule.TEXT_FIELDS:
            if part != "notes":
                assert getattr(rule, part) and getattr(rule, f"{part}_es"), (rule.key, part)
        assert re.search(r"§|CPLR|NYCRR|EPTL|U\.S\.C\.", rule.source), rule.key
        assert rule.last_checked_by and rule.last_checked_on


@pytest.fixture
def seeded(db):
    """The table exactly as the migration leaves it (transactional tests elsewhere may have emptied it)."""
    seed.seed_rules(django_apps)


def test_the_rules_intake_used_are_carried_over_as_approved_and_labelled(seeded):
    carried = TimeLimitRule.objects.filter(key__in=seed.CARRIED_OVER)
    assert carried.count() == 4 and all(rule.is_approved for rule in carried)
    assert {rule.approval_note for rule in carried} == {seed.CARRIED_OVER_NOTE}
    # The migration's frozen snapshot is exactly what the model hashes.
    assert all(rule.approved_version.content_hash == rule.compute_hash() for rule in carried)
    assert {rule.approved_version.approver_name for rule in carried} == {"approved at upgrade"}
    # The new rules wait for an attorney: the public sees none of them, intake sees them marked pending.
    pending = TimeLimitRule.objects.exclude(key__in=seed.CARRIED_OVER)
    assert pending.exists() and not any(rule.is_approved for rule in pending)
    assert {rule.key for rule in approved_rules()} == seed.CARRIED_OVER
    by_key = {rule.key: rule for rule in intake_rules()}
    assert by_key["ftca"].approved is False and by_key["gml-50-e"].approved is True


def test_an_edit_waits_for_approval_and_readers_keep_the_approved_text(time_limits):
    rule = time_limits["gml-50-e"]
    rule.statement = rule.statement.replace("written, sworn", "sworn, written")
    rule.save()
    assert rule.is_pending
    assert "written, sworn" in short_form_rules()["gml-50-e"].words("statement")
    assert "written, sworn" in TimeLimitRule.objects.get(pk=rule.pk).statement  # the row is the approved rule
    assert "sworn, written" in rule.pending_draft.data["statement_en"]
    assert {r.key: r for r in intake_rules()}["gml-50-e"].approved is False
    with pytest.raises(ValidationError, match="changed after you opened"):
        record_rule_approval(rule, name="A", shown_hash="0" * 64)
    record_rule_approval(rule, name="A", shown_hash=rule.proposed().compute_hash())
    assert "sworn, written" in short_form_rules()["gml-50-e"].words("statement")


def test_readers_rules_are_the_approved_snapshots_read_in_one_query(time_limits, django_assert_num_queries):
    """approved_rules() reads only the columns a Rule holds; it gives what each row's snapshot gives."""
    rule = time_limits["gml-50-e"]
    TimeLimitRule.objects.filter(pk=rule.pk).update(notes_es="", source_url="")  # empty parts stay empty
    TimeLimitRule.objects.filter(pk=time_limits["ftca"].pk).update(approved_version=None)  # never approved
    with django_assert_num_queries(1):
        rules = approved_rules()
    rows = TimeLimitRule.objects.approved()
    assert rules == sorted((row.approved_rule() for row in rows), key=lambda r: (r.order, r.key))
    assert "ftca" not in {r.key for r in rules} and len(rules) == len(time_limits) - 1
    assert {r.key: r for r in rules}["gml-50-e"].text["es"]["notes"] == ""


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_answers_rules_carry_its_languages_words_as_approved_rules_give_them(
    language, time_limits, django_assert_num_queries
):
    """answer_rules(language, …) reads one language's words, the English where it has none, in one query: every
    part an answer shows of every rule reads as approved_rules() gives it in that language, and what and who
    (read as the arrays' text) are the same sets."""
    TimeLimitRule.objects.filter(pk=time_limits["gml-50-e"].pk).update(notes_es="", name_es="", source_url="")
    TimeLimitRule.objects.filter(pk=time_limits["ftca"].pk).update(approved_version=None)  # never approved
    read = {}
    for what in limits.WHAT:  # every rule applies to something that happened
        with django_assert_num_queries(1):
            rules = answer_rules(language, what=what, who=limits.UNSURE, minor=True, died=True)
        read.update((rule.key, rule) for rule in rules)
    expected = approved_rules()
    assert set(read) == {rule.key for rule in expected}
    assert "ftca" not in read
    for approved in expected:
        rule = read[approved.key]
        assert set(rule.text) == {language}
        for part in (*ANSWER_PARTS, "source_url"):
            assert rule.words(part, language) == approved.words(part, language), (rule.key, part)
        assert rule.words("action", language) == ""  # not a part an answer shows: not read
        assert (rule.kind, rule.period, rule.what, rule.who, rule.minor, rule.death, rule.order) == (
            approved.kind, approved.period, approved.what, approved.who, approved.minor, approved.death,
            approved.order,
        )  # fmt: skip
    fallback = read["gml-50-e"]
    assert (
        fallback.words("name", language) == time_limits["gml-50-e"].name_en
    )  # English where Spanish is empty
    assert fallback.words("notes", language) == time_limits["gml-50-e"].notes_en


def test_an_answer_reads_exactly_the_rules_that_may_apply_to_it(time_limits):
    """The query's condition (_may_apply) against Rule.applies, the rule, for every answer the form accepts:
    the same rules, in the table's order. A rule the SQL left out would be a deadline the page never shows."""
    everything = approved_rules()
    sizes = set()
    for what, who, minor, died in itertools.product(limits.WHAT, limits.WHO, (False, True), (False, True)):
        expected = [r.key for r in everything if r.applies(what=what, who=who, minor=minor, died=died)]
        read = answer_rules("en", what=what, who=who, minor=minor, died=died)
        assert [rule.key for rule in read] == expected, (what, who, minor, died)
        sizes.add(len(expected))
    assert min(sizes) < 8 and max(sizes) > 20  # answers that leave most rules out, and few


def test_rule_of_is_the_same_rule_as_its_constructor():
    fields = {
        "key": "k", "kind": limits.DEADLINE, "starts": limits.INCIDENT, "period": Period(years=1),
        "what": frozenset({"car"}), "who": frozenset({"city"}), "minor": limits.ONLY, "death": limits.ANYONE,
        "order": 3, "text": {"en": {"name": "N"}}, "source_url": "https://example.org/", "approved": False,
    }  # fmt: skip
    made = limits.Rule.of(**fields)
    assert made == limits.Rule(**fields) and vars(made) == vars(limits.Rule(**fields))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.key = "other"
    with pytest.raises(TypeError):
        limits.Rule.of(
            **{name: value for name, value in fields.items() if name != "approved"}
        )  # none left out


def test_a_statement_that_disagrees_with_its_period_is_refused(time_limits):
    rule = time_limits["wcl-18"]
    rule.period = "45 days"
    with pytest.raises(ValidationError) as raised:
        rule.full_clean()
    assert "statement_en" in raised.value.message_dict  # the English field, as the admin form names it


def test_the_short_form_renders_the_rule_in_the_articles_language(time_limits):
    rules = short_form_rules()
    english = render_markdown(
        "You must {{limit:gml-50-e}}. That is {{limit:gml-50-e|period}} {{limit:gml-50-e|trigger}}, "
        "under {{limit:gml-50-e|source}}: {{limit:gml-50-e|action}} ({{limit:gml-50-e|name}}).",
        limits=rules,
    ).html
    assert (
        'You must <span class="time-limit">serve a written, sworn notice of claim on the public body within 90 '
        "days of the incident (General Municipal Law § 50-e)</span>." in english
    )
    assert (
        '<span class="time-limit">90 days</span> <span class="time-limit">from the day of the incident'
        in english
    )
    spanish = render_markdown(
        "Usted debe {{limit:gml-50-e}}; el {{en:notice of claim}} vence en {{limit:gml-50-e|period}}, "
        "a los {{as-is:18 años}}.",
        language="es",
        limits=rules,
    ).html
    assert 'Usted debe <span class="time-limit">entregar a la entidad pública un aviso de reclamo' in spanish
    assert (
        '<span lang="en">notice of claim</span>' in spanish
        and 'vence en <span class="time-limit">90 días' in spanish
    )
    assert "a los 18 años." in spanish


def test_the_short_form_works_in_a_table_cell_and_stays_literal_in_code(time_limits):
    html = render_markdown(
        "| step | time |\n|---|---|\n| {{limit:wcl-18|name}} | {{limit:wcl-18|period}} |\n\n`{{limit:x|period}}`",
        limits=short_form_rules(),
    ).html
    assert '<td><span class="time-limit">30 days</span></td>' in html
    assert "<code>{{limit:x|period}}</code>" in html


def test_an_unknown_key_or_part_fails_with_a_clear_message(time_limits):
    with pytest.raises(ShortFormError) as raised:
        render_markdown(
            "You must {{limit:gml-50-x}} or {{limit:gml-50-e|deadline}}.", limits=short_form_rules()
        )
    assert raised.value.problems == [
        "{{limit:gml-50-x}}: there is no time limit “gml-50-x” in the time-limits table.",
        "{{limit:gml-50-e|deadline}}: “deadline” is not a part of a rule (use one of name, action, period, "
        "trigger, source).",
    ]


def test_an_article_quoting_an_unknown_or_unapproved_rule_cannot_be_saved(seeded):
    article = ArticleFactory.build(body="You must {{limit:no-such-rule}}.")
    with pytest.raises(ValidationError) as raised:
        article.full_clean(exclude=["practice_area", "author", "slug"])
    assert "no time limit “no-such-rule”" in str(raised.value.message_dict["body"])
    with pytest.raises(ShortFormError):
        ArticleFactory(body="You must {{limit:no-such-rule}}.")
    # ftca is seeded but waits for an attorney's approval: no article may quote it yet.
    with pytest.raises(ShortFormError, match="no attorney-approved text yet"):
        ArticleFactory(body="You must {{limit:ftca}}.")


def test_a_saved_article_says_it_quotes_the_table(time_limits):
    article = ArticleFactory(body="Please {{limit:no-fault-30}}.")
    assert article.quotes_time_limits
    assert not ArticleFactory(body="Nothing about dates.").quotes_time_limits


def test_every_demo_article_quotes_only_keys_the_table_has(time_limits):
    written = set()
    for path in DEMO.rglob("*.md"):
        written |= set(re.findall(r"\{\{limit:([^|}]+)", path.read_text()))
    assert written and written <= set(time_limits)


def rules_for(what, who, **flags):
    found = estimates(
        approved_rules(), what=what, who=who, incident=date(2026, 11, 9), today=date(2026, 12, 5), **flags
    )
    return [estimate.rule.key for estimate in found]


def test_who_decides_which_rules_may_apply(time_limits):
    assert rules_for("fall", "city")[:2] == ["gml-50-e", "gml-50-e-late"]
    assert "cplr-214-5" not in rules_for("fall", "city")
    assert rules_for("medical", "state")[0] == "ccla-10-injury"
    assert rules_for("medical", "federal")[0] == "ftca"
    assert rules_for("fall", "port-authority")[:2] == ["port-authority-notice", "port-authority"]
    assert set(rules_for("car", "transit")) >= {"gml-50-e", "nyct-1212", "mta-1276", "no-fault-30"}
    # Not sure who: the rules of every kind of defendant, earliest first.
    unsure = rules_for("car", "unsure")
    assert unsure[0] == "mvaic-police" and {"gml-50-e", "ccla-10-injury", "ftca", "port-authority"} <= set(
        unsure
    )
    # A rule about a child or a death shows only when the reader says so.
    assert "cplr-208" not in rules_for("medical", "private")
    assert "cplr-208" in rules_for("medical", "private", minor=True)
    assert "eptl-5-4-1" not in rules_for("car", "private")
    assert "eptl-5-4-1" in rules_for("car", "private", died=True)


def test_rules_whose_start_was_not_asked_have_no_date(time_limits):
    found = estimates(
        approved_rules(),
        what="medical",
        who="city",
        incident=date(2026, 11, 9),
        today=date(2026, 12, 5),
        died=True,
    )
    by_key = {estimate.rule.key: estimate for estimate in found}
    assert by_key["gml-50-e"].due == date(2027, 2, 7)
    assert by_key["gml-50-e-death"].due is None  # runs from the appointment of the estate's representative
    assert by_key["gml-50-i-death"].due is None  # runs from the death, which we did not ask
    assert by_key["gml-50-h"].due is None
    dated = [estimate for estimate in found if estimate.due]
    assert found[: len(dated)] == dated  # dated rules first, earliest first
    assert [e.due for e in dated] == sorted(e.due for e in dated)
    assert next_due(found).rule.key == "gml-50-e"


def test_every_short_rule_is_known_as_such(time_limits):
    short = {rule.key for rule in approved_rules() if rule.is_short}
    assert short == {
        "gml-50-e", "ccla-10-injury", "no-fault-30", "mvaic", "mvaic-police", "wcl-18",
    }  # fmt: skip
    assert limits.SHORT_RULE_DAYS == 90


def test_an_article_renders_once_at_save_and_keeps_its_text(time_limits):
    article = ArticleFactory(body="You must {{limit:wcl-18}}.")
    html = article.body_html
    assert Article.objects.get(pk=article.pk).body_html == html and "30 days" in html
