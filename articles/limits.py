"""New York time limits: the shape of a rule, who it applies to, and the calendar that turns it into a date.

The rules themselves are rows of the time-limits table (articles.models.TimeLimitRule), edited in the admin
and approved by an attorney like an article. This module is pure (no database): the table hands it `Rule`
values, and everything that states a deadline works from them — the public page /time-limits/, the articles
(through the Markdown short form, articles/markdown.py), intake's urgency and ranking, and the visitor's
thanks page and email (consultations/).

Calendar arithmetic, as New York counts a period "from" an event:
- Days (General Construction Law § 20): calendar days, not counting the day of the event.
- Months and years (§§ 30, 58): the same day of the month that many months later; when that month is shorter
  (one year after February 29), the period ends on the last day of the month (February 28). PostgreSQL's
  `date + interval` counts the same way, so the request list's SQL order and these dates agree.
- "1 year and 90 days" is one year, then 90 days (Decicco v. City of Syracuse, 68 A.D.3d 1771 (4th Dep't 2009)).
- § 25-a lets an act due on a Saturday, Sunday or public holiday (§ 24) be done on the next business day. We
  say so where it would apply, but the date we show is never the later one: an estimate errs early.
A rule whose clock starts with an event the reader was not asked about (an estate representative's
appointment, a discovery, a denial letter, an 18th birthday) is shown without a computed date.
"""

import calendar
import functools
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

ENGLISH, SPANISH = "en", "es"
LANGUAGES = (ENGLISH, SPANISH)

# What happened (the page's and the form's `what`).
WHAT_CHOICES = (
    ("medical", _("Medical care (a doctor, hospital, clinic, nursing home or pharmacy)")),
    ("car", _("A car, truck, bus, motorcycle or bicycle crash, or hit as a pedestrian")),
    ("work", _("An injury at work, including construction")),
    ("fall", _("A fall (sidewalk, stairs, store, building)")),
    ("other", _("Something else (for example an assault or a dog bite)")),
)
WHAT = tuple(value for value, _label in WHAT_CHOICES)

# Who may be responsible (`who`). "unsure" shows the rules of every kind of defendant.
WHO_CHOICES = (
    (
        "private",
        _("A private person or company (a private hospital or doctor, a driver, a store, a landlord)"),
    ),
    (
        "city",
        _(
            "A city, county, town or village, a school district or a public hospital (NYC Health + Hospitals), "
            "or their employees or vehicles"
        ),
    ),
    ("state", _("The State of New York (a state hospital, road, park, prison or vehicle, SUNY)")),
    (
        "federal",
        _("The federal government (a VA hospital, a federally funded community health center, a mail truck)"),
    ),
    (
        "port-authority",
        _(
            "The Port Authority of New York and New Jersey (JFK, LaGuardia, Newark, PATH, its bus terminal, bridges and tunnels)"
        ),
    ),
    ("transit", _("The MTA or New York City Transit (subway, city bus, LIRR, Metro-North)")),
    ("unsure", _("I am not sure")),
)
WHO = tuple(value for value, _label in WHO_CHOICES)
UNSURE = "unsure"
DEFENDANTS = tuple(who for who in WHO if who != UNSURE)  # what a rule can name in its "applies to"

# What starts a rule's clock. Only INCIDENT is a date the reader gives us; the others show no computed date.
INCIDENT = "incident"
STARTS_CHOICES = (
    (INCIDENT, "the incident (the injury, the accident, the act of malpractice)"),
    ("death", "the death"),
    ("appointment", "the appointment of the estate's representative"),
    ("discovery", "the discovery (or when it should have been discovered)"),
    ("birthday", "the 18th birthday"),
    ("notice", "the service of the notice of claim"),
    ("complaint", "the service of the complaint"),
    ("denial", "the agency's written denial"),
    ("treatment", "each treatment or service"),
)

# A deadline must be met; a waiting period must pass first (no date can be missed); a caveat changes other
# rules (an extension, a pause) and is listed with them.
DEADLINE, WAITING, CAVEAT = "deadline", "waiting", "caveat"
KIND_CHOICES = (
    (DEADLINE, "deadline: something must be done by the end of the period"),
    (WAITING, "waiting period: something may only be done after it"),
    (CAVEAT, "caveat: a rule that extends, pauses or limits other rules"),
)

# Who a rule is for beyond what and who: a child (minor=1) or a death (died=1).
ANYONE, ONLY = "any", "only"
MINOR_CHOICES = ((ANYONE, "anyone"), (ONLY, "only when the injured person is under 18"))
DEATH_CHOICES = ((ANYONE, "with or without a death"), (ONLY, "only when the person died"))

# The parts of a rule's wording, per language. `statement` is the whole rule as one lowercase verb phrase:
# "serve a sworn notice of claim on the public body within 90 days of the incident (General Municipal Law
# § 50-e)"; articles write "you must {{limit:gml-50-e}}". The other parts are quoted on their own.
TEXT_PARTS = ("name", "statement", "action", "period", "trigger", "source", "notes")
SHORT_FORM_PARTS = ("name", "action", "period", "trigger", "source")  # `{{limit:KEY|part}}`; none = statement

# A rule of this many days or fewer is what a visitor is warned about by name on the thanks page and in the
# confirmation email ("a written notice may be due as early as …; call us today").
SHORT_RULE_DAYS = 90


@dataclass(frozen=True)
class Period:
    years: int = 0
    months: int = 0
    days: int = 0

    def after(self, start: date) -> date:
        """`start` plus this period: months and years first (§§ 30, 58), then days (§ 20)."""
        months = start.month - 1 + self.months + 12 * self.years
        year, month = start.year + months // 12, months % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return date(year, month, day) + timedelta(days=self.days)

    @property
    def is_set(self) -> bool:
        return bool(self.years or self.months or self.days)

    def longest_days(self) -> int:
        """An upper bound of the period in days (for "is it 90 days or less?")."""
        return self.years * 366 + self.months * 31 + self.days

    def sql_interval(self) -> str:
        """The same period as a PostgreSQL interval (whole numbers only, so it is safe to inline)."""
        return f"make_interval(years => {int(self.years)}, months => {int(self.months)}, days => {int(self.days)})"


@dataclass(frozen=True)
class Rule:
    """One time limit as the site states it, in both languages. Built from a TimeLimitRule row (its approved
    text for readers; its working text, marked pending, for intake)."""

    key: str
    kind: str
    starts: str
    period: Period
    what: frozenset
    who: frozenset
    minor: str = ANYONE
    death: str = ANYONE
    order: int = 0
    text: dict = field(default_factory=dict)  # {"en": {part: words}, "es": {...}}
    source_url: str = ""
    approved: bool = True  # False: intake sees the working text of a rule that awaits an attorney's approval

    def __hash__(self):
        return hash(self.key)

    @classmethod
    def of(cls, **fields) -> "Rule":
        """Rule(**fields) with every field given, for a page that builds a Rule per row: a frozen dataclass's
        __init__ sets each of its 12 fields through object.__setattr__ (~3 us a Rule, 31 a page); this fills
        the new Rule's attributes at once (~0.5 us). The same Rule, equal and as immutable afterwards."""
        if fields.keys() != _RULE_FIELDS:
            raise TypeError(f"Rule.of() needs exactly {sorted(_RULE_FIELDS)}, got {sorted(fields)}")
        rule = object.__new__(cls)
        rule.__dict__.update(fields)
        return rule

    def applies(self, *, what: str | None, who: str | None, minor: bool = False, died: bool = False) -> bool:
        """Whether the rule may apply. An unknown `what` or `who` (None, "unsure") means every kind may."""
        what_ok = True if what not in WHAT or what is None else what in self.what
        who_ok = who in (None, UNSURE) or who not in WHO or who in self.who
        minor_ok = self.minor == ANYONE or minor
        death_ok = self.death == ANYONE or died
        return what_ok and who_ok and minor_ok and death_ok

    @property
    def is_public(self) -> bool:
        """Whether readers see this wording (an attorney signed it off); intake also sees rules that are not."""
        return self.approved

    @property
    def is_dated(self) -> bool:
        """A deadline that runs from the incident: the one kind of rule we can give a date for."""
        return self.kind == DEADLINE and self.starts == INCIDENT and self.period.is_set

    @property
    def is_short(self) -> bool:
        """A dated deadline of 90 days or less: named to the visitor on the thanks page and in the email."""
        return self.is_dated and self.period.longest_days() <= SHORT_RULE_DAYS

    def due(self, incident: date | None) -> date | None:
        return self.period.after(incident) if incident is not None and self.is_dated else None

    def words(self, part: str, language: str = ENGLISH) -> str:
        """One part of the wording in `language` (English when the Spanish is missing)."""
        if part == "source_url":
            return self.source_url
        text = self.text.get(language) or {}
        return text.get(part) or (self.text.get(ENGLISH) or {}).get(part, "")


_RULE_FIELDS = frozenset(Rule.__dataclass_fields__)


@dataclass(frozen=True)
class Estimate:
    """A rule that may apply, with the date its period may end (None when its start was not asked)."""

    rule: Rule
    due: date | None
    today: date

    @property
    def days_left(self) -> int | None:
        return None if self.due is None else (self.due - self.today).days

    @property
    def has_passed(self) -> bool:
        return self.due is not None and self.due < self.today

    @property
    def falls_on_a_closed_day(self) -> bool:
        """General Construction Law § 25-a would let the act be done on the next business day."""
        return self.due is not None and not is_court_business_day(self.due)


def estimates(
    rules,
    *,
    what: str | None,
    who: str | None,
    incident: date | None,
    today: date,
    minor: bool = False,
    died: bool = False,
) -> list[Estimate]:
    """Every rule that may apply, earliest date first; rules without a date (none given, or a start we did
    not ask about) follow in the table's order."""
    found = [
        Estimate(rule, rule.due(incident), today)
        for rule in rules
        if rule.applies(what=what, who=who, minor=minor, died=died)
    ]
    return sorted(
        found,
        key=lambda e: (e.due is None, e.due or date.max, e.rule.kind != DEADLINE, e.rule.order, e.rule.key),
    )


def next_due(found: list[Estimate]) -> Estimate | None:
    """The earliest dated deadline that has not passed yet."""
    return next(
        (e for e in found if e.due is not None and not e.has_passed and e.rule.kind == DEADLINE), None
    )


# General Construction Law § 24: the public holidays § 25-a skips (a Sunday holiday moves to Monday; a
# Saturday one does not move, and Flag Day is always a Sunday).
MONDAY, THURSDAY = 0, 3


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday of a month; n = -1 for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


@functools.cache
def public_holidays(year: int) -> frozenset[date]:
    fixed = [date(year, 1, 1), date(year, 2, 12), date(year, 6, 19), date(year, 7, 4), date(year, 11, 11)]
    fixed.append(date(year, 12, 25))
    days = set(fixed)
    days |= {day + timedelta(days=1) for day in fixed if day.weekday() == 6}
    days |= {
        _nth_weekday(year, 1, MONDAY, 3),  # Dr. Martin Luther King, Jr. day
        _nth_weekday(year, 2, MONDAY, 3),  # Washington's birthday
        _nth_weekday(year, 5, MONDAY, -1),  # Memorial day
        _nth_weekday(year, 9, MONDAY, 1),  # Labor day
        _nth_weekday(year, 10, MONDAY, 2),  # Columbus day
        _nth_weekday(year, 11, MONDAY, 1) + timedelta(days=1),  # general election day
        _nth_weekday(year, 11, THURSDAY, 4),  # Thanksgiving
    }
    return frozenset(days)


def is_court_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)
