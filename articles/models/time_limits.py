"""The time-limits table: one row per New York time limit, the only place the site states a deadline.

Staff edit a rule in the admin; readers see it only once an attorney has approved that exact text, through the
same mechanism as articles (articles/models/approval.py): the row is the approved rule and an edit waits in
its draft. Until then the public page, the articles and the visitor's notices keep the approved rule, and
intake sees the new wording marked "pending". articles/limits.py has the
rule's shape and the calendar; this module turns rows into those `Rule` values.
"""

import functools
import hashlib
import json

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.db.models.lookups import Exact
from simple_history.models import HistoricalRecords

from articles import limits
from articles.compiled_queries import CompiledQuery
from articles.limits import Period, Rule
from articles.models.approved_content import ApprovedContent, ApprovedContentQuerySet, drafts_of, load_field

WHO_CHOICES = tuple((value, label) for value, label in limits.WHO_CHOICES if value != limits.UNSURE)


class TimeLimitRuleQuerySet(ApprovedContentQuerySet):
    def approved(self):
        """Rules with an approved text: the only ones readers see (the row is that text)."""
        return self.filter(approved_version__isnull=False)


class TimeLimitRule(ApprovedContent):
    changes_public_pages = True  # an approval clears the page cache (articles/page_cache.py)

    # The wording, in English and Spanish: each is translated (articles/translation.py), a column per language
    # (name_en, name_es, …), both required but the notes.
    TEXT_FIELDS = ("name", "statement", "action", "period", "trigger", "source", "notes")
    # Everything snapshot() covers: an edit of any of them after approval waits in a draft.
    APPROVED_FIELDS = (
        "key", "order", "kind", "starts", "period_years", "period_months", "period_days", "applies_what",
        "applies_who", "minor", "death", *(f"{part}_{lang}" for part in TEXT_FIELDS for lang in limits.LANGUAGES),
        "source_url",
    )  # fmt: skip
    DERIVED_FIELDS = ("content_hash", "updated_at")

    key = models.SlugField(
        max_length=60,
        unique=True,
        help_text="How articles quote the rule: {{limit:this-key}}. Never change it once articles use it.",
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Rules with the same date are listed in this order."
    )
    kind = models.CharField(max_length=10, choices=limits.KIND_CHOICES, default=limits.DEADLINE)
    starts = models.CharField(
        "period starts from",
        max_length=12,
        choices=limits.STARTS_CHOICES,
        default=limits.INCIDENT,
        help_text="Only a period that starts from the incident gets a computed date; the others are shown "
        "without one, since the reader was not asked that date.",
    )
    period_years = models.PositiveSmallIntegerField(default=0)
    period_months = models.PositiveSmallIntegerField(default=0)
    period_days = models.SmallIntegerField(
        default=0,
        help_text="Days after the years and months (General Construction Law § 20). May be negative for a "
        "step due a number of days before a deadline (the Port Authority's notice).",
    )
    applies_what = ArrayField(
        models.CharField(max_length=10, choices=limits.WHAT_CHOICES),
        verbose_name="applies to what happened",
        help_text="A reader who answers one of these (or does not say) sees the rule.",
    )
    applies_who = ArrayField(
        models.CharField(max_length=16, choices=WHO_CHOICES),
        verbose_name="applies to who may be responsible",
        help_text='A reader who answers one of these, or "not sure", sees the rule.',
    )
    minor = models.CharField("age", max_length=4, choices=limits.MINOR_CHOICES, default=limits.ANYONE)
    death = models.CharField(max_length=4, choices=limits.DEATH_CHOICES, default=limits.ANYONE)

    name = models.CharField(max_length=120, help_text='Short, e.g. "Notice of claim".')
    statement = models.CharField(
        max_length=500,
        help_text='The whole rule as a lowercase phrase that follows "you must": action, period, start and '
        'source, e.g. "serve a written, sworn notice of claim on the public body within 90 days of the '
        'incident (General Municipal Law § 50-e)". It must contain the period exactly as written below.',
    )
    action = models.CharField(max_length=300, help_text="What must be done, and to whom.")
    period = models.CharField("period (in words)", max_length=120, help_text='E.g. "1 year and 90 days".')
    trigger = models.CharField(
        "what starts it", max_length=200, help_text='E.g. "from the day of the incident".'
    )
    source = models.CharField(max_length=200, help_text="Statute, regulation or case, with the section.")
    notes = models.TextField("notes and caveats", blank=True)
    source_url = models.URLField("link to the source", blank=True)

    last_checked_by = models.CharField(
        max_length=120, help_text="Who last checked the rule against its source."
    )
    last_checked_on = models.DateField()

    # sha256 of the public text and numbers (snapshot()), kept current on save.
    content_hash = models.CharField(max_length=64, editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    objects = TimeLimitRuleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["content_hash", "approved_version"])

    class Meta:
        ordering = ["order", "key"]
        verbose_name = "time limit"
        constraints = [
            models.CheckConstraint(
                name="timelimit_kind_valid", condition=models.Q(kind__in=["deadline", "waiting", "caveat"])
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.key})"

    def save_live(self, **kwargs):
        self.content_hash = self.compute_hash()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "content_hash"}
        super().save_live(**kwargs)

    def clean(self):
        errors = {}
        for language in limits.LANGUAGES:
            period, statement = self.words("period", language), self.words("statement", language)
            if period and statement and period not in statement:
                errors[f"statement_{language}"] = (
                    f"The statement must contain the period exactly as written (“{period}”), so the two "
                    "can never disagree."
                )
        if self.kind == limits.DEADLINE and not (self.period_years or self.period_months or self.period_days):
            errors["period_days"] = "A deadline needs a period."
        if errors:
            raise ValidationError(errors)

    # What an attorney approves: every word readers see, and the numbers and choices that decide who sees
    # the rule and which date it gives.
    def snapshot(self) -> dict:
        return {
            "key": self.key,
            "order": self.order,
            "kind": self.kind,
            "starts": self.starts,
            "period": [self.period_years, self.period_months, self.period_days],
            "what": sorted(self.applies_what or []),
            "who": sorted(self.applies_who or []),
            "minor": self.minor,
            "death": self.death,
            "source_url": self.source_url,
            "text": {
                language: {part: self.words(part, language) for part in self.TEXT_FIELDS}
                for language in limits.LANGUAGES
            },
        }

    def words(self, part: str, language: str) -> str:
        """One text field as written in `language` (no fallback: the approval shows each language as is)."""
        return getattr(self, f"{part}_{language}") or ""

    def compute_hash(self) -> str:
        return snapshot_hash(self.snapshot())

    def shown_values(self) -> dict:
        return self.snapshot()

    def prepare_proposed(self) -> None:
        self.content_hash = self.compute_hash()

    @property
    def is_pending(self) -> bool:
        return not self.is_approved

    # What an approval of the rule recorded (who, when, the note), for the admin and the tests.
    approved_at = property(
        lambda self: self.approved_version.approved_at if self.approved_version_id else None
    )
    approved_by_name = property(
        lambda self: self.approved_version.approver_name if self.approved_version_id else ""
    )
    approval_note = property(lambda self: self.approved_version.note if self.approved_version_id else "")

    def approved_rule(self) -> Rule | None:
        """The rule readers see (the row), or None when it was never approved."""
        return rule_from_snapshot(self.snapshot()) if self.approved_version_id else None

    def working_rule(self) -> Rule:
        """The rule with its waiting change, if any (marked not approved when something waits)."""
        return rule_from_snapshot(self.proposed().snapshot(), approved=self.is_approved)


def snapshot_hash(snapshot: dict) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def rule_from_snapshot(snapshot: dict, *, approved: bool = True) -> Rule:
    years, months, days = snapshot["period"]
    return Rule(
        key=snapshot["key"],
        kind=snapshot["kind"],
        starts=snapshot["starts"],
        period=Period(years, months, days),
        what=frozenset(snapshot["what"]),
        who=frozenset(snapshot["who"]),
        minor=snapshot["minor"],
        death=snapshot["death"],
        order=snapshot["order"],
        text=snapshot["text"],
        source_url=snapshot.get("source_url", ""),
        approved=approved,
    )


# Every /time-limits/ answer (answer_rules below) and intake assessment reads the approved rules: the SQL is
# written once per process, and it reads only the columns a Rule holds (not the untranslated base columns, the
# checking notes or the approval), as tuples: building ~30 model instances of ~40 fields and their snapshots cost three
# times the query. The columns are named per language, so modeltranslation's rewriting is off (its values
# iterator turns each row into a dict and back to apply fallbacks we do not want: Rule.words falls back).
RULE_COLUMNS = (
    "key", "order", "kind", "starts", "period_years", "period_months", "period_days", "applies_what",
    "applies_who", "minor", "death", "source_url",
)  # fmt: skip
APPROVED_COLUMNS = (
    *RULE_COLUMNS,
    *(f"{part}_{language}" for language in limits.LANGUAGES for part in TimeLimitRule.TEXT_FIELDS),
)
APPROVED_ROWS = CompiledQuery(
    lambda: TimeLimitRule.objects.approved().rewrite(False).order_by().values_list(*APPROVED_COLUMNS)
)


def _words_in(part: str, language: str):
    """A part of a rule's wording in `language`, the English where it is empty (as Rule.words falls back)."""
    english = Coalesce(F(f"{part}_{limits.ENGLISH}"), Value(""), output_field=models.TextField())
    if language == limits.ENGLISH:
        return english
    return Coalesce(NullIf(F(f"{part}_{language}"), Value("")), english, output_field=models.TextField())


def _one_of(column: str, value) -> models.Q:
    """`value` is one of the array column's values (`column @> ARRAY[value]`)."""
    array = models.Func(
        Value(value),
        function="ARRAY",
        template="ARRAY[%(expressions)s]",
        output_field=ArrayField(models.TextField()),
    )
    return models.Q(**{f"{column}__contains": array})


def _may_apply(what: str, who: str, minor: bool, died: bool) -> models.Q:
    """Rule.applies (articles/limits.py) for an answer of the /time-limits/ form, as SQL: what happened is one
    the rule applies to; so is who may be responsible, or the reader is not sure; a rule only for a child or
    only for a death when the reader says so. Rule.applies stays the rule: the page still asks it of every
    rule this returns, and tests/articles/test_time_limits.py checks, for every answer the form accepts, that
    this leaves out exactly the rules Rule.applies leaves out."""
    condition = _one_of("applies_what", what)
    condition &= _one_of("applies_who", who) | models.Q(Exact(Value(who), Value(limits.UNSURE)))
    if not minor:
        condition &= models.Q(minor=limits.ANYONE)
    if not died:
        condition &= models.Q(death=limits.ANYONE)
    return condition


# The parts of a rule's wording an answer shows (lawsite/time_limit_items.py, the page's summary): not the
# action, which only intake's notes and the articles' short forms quote.
ANSWER_PARTS = ("name", "statement", "period", "trigger", "source", "notes")
# What happened and who may be responsible, each as one text ('{car,fall}'), not an array: PostgreSQL's
# text arrays cost the driver a list and a string per value on every row; the few distinct texts map to
# shared frozensets (_kinds). The choices are plain words, so the array's text never quotes a value.
APPLIES_COLUMNS = ("applies_what", "applies_who")

# A reader's /time-limits/ answer reads the rules that may apply to it, in the page's language only, with the
# English fallback done in SQL, and only the parts it shows: a third of APPROVED_ROWS' text, and only the rows
# the answer shows (the fullest answer shows 24 of 31 rules, a fall in the city 4). Compiled per language
# (the SQL names that language's columns) and per pair of flags (which conditions it has): 8 shapes; what
# and who are values.
ANSWER_ROWS = CompiledQuery(
    lambda language, minor, died, *, what, who: (
        TimeLimitRule.objects.approved()
        .rewrite(False)
        .order_by()
        .filter(_may_apply(what, who, minor, died))
        .values_list(
            *(
                Cast(column, models.TextField()) if column in APPLIES_COLUMNS else column
                for column in RULE_COLUMNS
            ),
            *(_words_in(part, language) for part in ANSWER_PARTS),
        )
    ),
    what=str,
    who=str,
)


def approved_rules() -> list[Rule]:
    """What readers see: every approved rule, as approved (one query: the rows are the approved rules).

    The same Rules as `row.approved_rule()` (rule_from_snapshot of the row's snapshot), without the rows."""
    return _in_order([_approved_rule(row, limits.LANGUAGES) for row in APPROVED_ROWS.rows()])


def answer_rules(language: str, *, what: str, who: str, minor: bool, died: bool) -> list[Rule]:
    """The approved rules that may apply to an answer of the /time-limits/ form (what happened, who may be
    responsible: one of the form's choices), for its page in `language`: each Rule carries that language's
    words only (the English ones where it has none), so `rule.words(part, language)` is what approved_rules()
    gives for the parts an answer shows (ANSWER_PARTS; the action is left out). Only for a page in that
    language: asked in another, a part is empty. One query."""
    rows = ANSWER_ROWS.rows((language, bool(minor), bool(died)), what=what, who=who)
    return _in_order([_page_rule(row, language) for row in rows])


_PERIODS = functools.cache(Period)  # a few distinct periods, each immutable: shared by the Rules


@functools.cache
def _kinds(array_text: str) -> frozenset:
    """'{car,fall}' (an array column as text) as frozenset({"car", "fall"}), made once per distinct text."""
    values = array_text.removeprefix("{").removesuffix("}")
    if '"' in values:  # a quoted value: not one of the choices (they are plain words)
        raise ValueError(f"time limits: unexpected value in {array_text!r}")
    return frozenset(values.split(",")) if values else frozenset()


def _page_rule(row: tuple, language: str) -> Rule:
    """A Rule from an ANSWER_ROWS row: its words are never NULL (COALESCE), built by Rule.of (~3 us a rule
    rather than ~7: in-process, December 2026)."""
    key, order, kind, starts, years, months, days, what, who, minor, death, source_url = row[
        : len(RULE_COLUMNS)
    ]
    return Rule.of(
        key=key,
        kind=kind,
        starts=starts,
        period=_PERIODS(years, months, days),
        what=_kinds(what),
        who=_kinds(who),
        minor=minor,
        death=death,
        order=order,
        text={language: dict(zip(ANSWER_PARTS, row[len(RULE_COLUMNS) :], strict=True))},
        source_url=source_url,
        approved=True,
    )


def _in_order(rules: list[Rule]) -> list[Rule]:
    rules.sort(key=lambda rule: (rule.order, rule.key))
    return rules


def _approved_rule(row: tuple, languages: tuple) -> Rule:
    key, order, kind, starts, years, months, days, what, who, minor, death, source_url = row[
        : len(RULE_COLUMNS)
    ]
    words = iter(row[len(RULE_COLUMNS) :])  # each language's parts in turn, in TEXT_FIELDS' order
    return Rule(
        key=key,
        kind=kind,
        starts=starts,
        period=Period(years, months, days),
        what=frozenset(what or ()),
        who=frozenset(who or ()),
        minor=minor,
        death=death,
        order=order,
        text={
            language: {part: next(words) or "" for part in TimeLimitRule.TEXT_FIELDS}
            for language in languages
        },
        source_url=source_url,
    )


def intake_rules() -> list[Rule]:
    """What intake works from: the approved text, and for a rule awaiting approval its new text, marked
    pending (Rule.approved is False). One query."""
    waiting = drafts_of(TimeLimitRule).filter(object_id=models.OuterRef("pk")).values("data")[:1]
    rules = []
    for row in TimeLimitRule.objects.annotate(draft_data=models.Subquery(waiting)):
        if row.draft_data is not None:
            for name, raw in row.draft_data.items():
                load_field(row, name, raw)
        approved = row.approved_version_id is not None and row.draft_data is None
        rules.append(rule_from_snapshot(row.snapshot(), approved=approved))
    return rules


def short_form_rules() -> dict:
    """For the Markdown short form (articles/markdown.py): approved rules by key; a rule that was never
    approved maps to None, so an article cannot quote words no attorney has approved."""
    return {
        row.key: (rule_from_snapshot(row.snapshot()) if row.approved_version_id else None)
        for row in TimeLimitRule.objects.all()
    }


# The same rules under the name the intake side uses: what the public sees (consultations/ reads the table
# without naming the approval machinery, which belongs to articles/; tests/test_architecture.py).
public_rules = approved_rules
