import contextlib
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import limits, office_hours
from articles.i18n import current_language
from articles.limit_questions import what_happened, who_may_be_responsible
from articles.models import PracticeArea
from consultations.models import ConsultationRequest

TIMER_SALT = "consultations.form-timer"
PHONE_CHARACTERS = re.compile(r"^[0-9 +().\-/x#ext]*$", re.IGNORECASE)
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# Line breaks and tabs are fine in a paragraph; every other control character is not.
MULTILINE_ALLOWED = {"\n", "\r", "\t"}
# Which of the firm's practice areas (articles.PracticeArea slugs) a request belongs to, from what happened and
# who may be responsible. An area the firm does not have is left empty ("Something else, or not sure").
MEDICAL_AREA, INJURY_AREA, PUBLIC_AREA = (
    "medical-malpractice",
    "personal-injury",
    "claims-against-public-bodies",
)
PUBLIC_DEFENDANTS = set(limits.DEFENDANTS) - {"private"}  # from the table's own list of defendants


def area_for(what: str | None, who: str | None) -> str | None:
    if what == "medical":
        return MEDICAL_AREA
    if who in PUBLIC_DEFENDANTS:
        return PUBLIC_AREA
    return INJURY_AREA if what in {"car", "work", "fall", "other"} else None


def what_for_area(slug: str | None) -> str | None:
    """The `what` answer an article's practice area suggests (a medical-malpractice article: "medical")."""
    return "medical" if slug == MEDICAL_AREA else None


# Zero-width (non-)joiners are format characters that emoji and some scripts need.
JOINERS = {"\u200c", "\u200d"}


def has_control_characters(value: str, allowed: set[str] = frozenset()) -> bool:
    allowed = {*allowed, *JOINERS}
    return any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} and ch not in allowed for ch in value)


def is_slug(value: str) -> bool:
    return bool(value) and len(value) <= 200 and SLUG.fullmatch(value) is not None


def new_timer_token() -> str:
    """A signed record of when the form was shown, with a random id so that one showing of the form sends
    one request (consultations/services.py refuses a second use); the visitor cannot change it."""
    return signing.dumps({"t": time.time(), "n": secrets.token_urlsafe(12)}, salt=TIMER_SALT, compress=False)


@dataclass(frozen=True)
class FormTimer:
    elapsed: float  # seconds since the form was shown
    token_id: str  # "" for a token made before ids were added (it still expires)

    @property
    def is_expired(self) -> bool:
        return self.elapsed > settings.CONSULTATION_FORM_MAX_AGE.total_seconds()


def read_timer(token: str) -> FormTimer | None:
    """When the form was shown and its id, or None if the token is missing or was altered."""
    try:
        data = signing.loads(token, salt=TIMER_SALT)
        return FormTimer(elapsed=time.time() - float(data["t"]), token_id=str(data.get("n", ""))[:32])
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        return None


def seconds_since(token: str) -> float | None:
    """How long ago the form was shown, or None if the token is missing or was altered."""
    timer = read_timer(token)
    return None if timer is None else timer.elapsed


# The practice areas last read, so that while the database is away the form still works out a request's area
# from its answers and is shown with the visitor's answers (consultations/views.py): kept in this process and in
# the shared cache (Redis, when configured), where a process started during the outage finds them. gunicorn's
# master reads them once before forking its workers (gunicorn.conf.py), so a worker recycled meanwhile has them too.
_last_known_areas: dict[str, PracticeArea] = {}
AREAS_CACHE_KEY = "consultations:last-known-practice-areas"


def practice_areas(*, share: bool = True) -> tuple[dict[str, PracticeArea], bool]:
    """The practice areas by primary key, and whether the database could not be reached to read them (the last
    known areas are returned then). share=False keeps them in this process only (gunicorn's master, which must
    not open a cache connection its forked workers would inherit)."""
    global _last_known_areas  # noqa: PLW0603
    try:
        areas = {str(area.pk): area for area in PracticeArea.objects.public()}
    except DatabaseError:
        return dict(_last_known_areas or _cached_areas()), True
    if share:
        with contextlib.suppress(Exception):  # the cache is an accelerator: never a reason to fail the form
            cache.set(AREAS_CACHE_KEY, areas, timeout=None)
    _last_known_areas = areas
    return areas, False


def _cached_areas() -> dict[str, PracticeArea]:
    try:
        return cache.get(AREAS_CACHE_KEY) or {}
    except Exception:  # noqa: BLE001 (Redis may be away as well)
        return {}


def best_time_choices() -> list[tuple[str, str]]:
    """ "Best time to call": only parts of the day when the office is open (FIRM_OFFICE_HOURS), with their
    times in the visitor's language; the model's wider choices stay valid for requests already stored."""
    language = current_language()
    labels = {
        "morning": _("Morning (%(times)s)"),
        "afternoon": _("Afternoon (%(times)s)"),
        "evening": _("Early evening (%(times)s)"),
    }
    return [
        (ConsultationRequest.BestTime.ANY, _("Any time during office hours")),
        *(
            (name, labels[name] % {"times": office_hours.span(start, end, language)})
            for name, start, end in office_hours.call_windows()
        ),
    ]


class SingleLineMixin:
    """Single-line fields end up in admin lists, CSV files and (for the address) a Reply-To header."""

    single_line_fields = ("name", "email", "phone")
    multi_line_fields = ("what_happened", "other_parties")

    def _clean_line(self, name):
        value = self.cleaned_data.get(name, "")
        if has_control_characters(value):
            raise forms.ValidationError(
                _("Please keep this on one line, without line breaks or special characters."), code="control"
            )
        return value

    def _clean_text(self, name):
        value = self.cleaned_data.get(name, "")
        if has_control_characters(value, MULTILINE_ALLOWED):
            raise forms.ValidationError(
                _("This contains characters we cannot store. Please retype it."), code="control"
            )
        return value.replace("\r\n", "\n")


class ConsultationRequestForm(SingleLineMixin, forms.ModelForm):
    consent = forms.BooleanField(
        label=_("I have read the notice above and understand it"),
        error_messages={"required": _("Please confirm you have read the notice before sending.")},
    )
    # Honeypot: people never see it (and are told to leave it empty if their software shows it).
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    # What happened and who may be responsible: fixed choices, the time-limits table's own terms, asked as
    # /time-limits/ asks them (articles/limit_questions.py), so the deadlines that may apply can be worked
    # out. The practice area follows from them (area_for), rather than being a second question that means the
    # same.
    what = what_happened()
    who = who_may_be_responsible(
        help_text=_(
            "Some deadlines are much shorter when a public body is involved. Choose “I am not sure” if you do not know."
        )
    )
    # Unbounded on purpose: a bad value here only changes how the request is flagged, never rejects it.
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    article = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = ConsultationRequest
        fields = [
            "name",
            "contact_method",
            "phone",
            "email",
            "best_time",
            "what",
            "who",
            "what_happened",
            "incident_date",
            "other_parties",
        ]
        labels = {
            "name": _("Your name"),
            "phone": _("Phone number"),
            "email": _("Email address"),
            "contact_method": _("How should we contact you?"),
            "best_time": _("Best time to call (New York time)"),
            "what_happened": _("Tell us briefly what happened"),
            "incident_date": _("When did it happen?"),
            "other_parties": _("Hospitals, doctors, companies or people involved"),
        }
        help_texts = {
            "contact_method": _("A phone number is enough for a call, an email address for email."),
            "phone": _("The number we should call you back on, with the area code."),
            "email": _("If you give one, we send a short confirmation here."),
            "what_happened": _(
                "A few sentences are enough. Please do not include medical records or "
                "other confidential details yet. Up to 3,000 characters."
            ),
            "incident_date": _("An approximate date is fine."),
            "other_parties": _("We check that we do not already act for any of them."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name", "autocapitalize": "words"}),
            "phone": forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "enterkeyhint": "next"}
            ),
            "email": forms.EmailInput(
                attrs={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}
            ),
            "contact_method": forms.RadioSelect,
            "best_time": forms.Select,
            "what_happened": forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
            "incident_date": forms.DateInput(
                attrs={"type": "date", "autocomplete": "off"}, format="%Y-%m-%d"
            ),
            "other_parties": forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        }
        error_messages = {
            "name": {"required": _("Please tell us your name.")},
            "email": {"invalid": _("Please enter an email address like name@example.com.")},
            "incident_date": {"invalid": _("Please enter a date like 2025-03-14.")},
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not settings.COMPLIANCE["form_disclaimer"]:
            del self.fields["consent"]
        # Read on every form, so an area added or renamed in the admin shows on the next request.
        self.practice_areas, self.database_unavailable = practice_areas()
        self.fields["best_time"].choices = best_time_choices()
        self.fields["best_time"].required = False  # no answer: any time the office is open
        self.fields["incident_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["what_happened"].required = True
        self.fields["what_happened"].error_messages["required"] = _("Please tell us briefly what happened.")
        # Which answers are needed, shown beside each label (consultations/field.html). Phone and email
        # depend on the chosen way to reach the visitor (see clean()), so they say so.
        needs = {"phone": _("needed for a phone call"), "email": _("needed for email")}
        for name, field in self.fields.items():
            field.template_name = "consultations/field.html"
            field.need = needs.get(name, _("required") if field.required else _("optional"))

    def _post_clean(self):
        # Model validation (unique and check constraints) queries the database. While it is unreachable
        # the field checks still run, so the page that says "nothing was stored" also shows real mistakes.
        if self.database_unavailable:
            return
        super()._post_clean()

    def clean_name(self):
        return self._clean_line("name").strip()

    def clean_email(self):
        return self._clean_line("email")

    def clean_phone(self):
        value = self._clean_line("phone").strip()
        if value and (not PHONE_CHARACTERS.match(value) or sum(ch.isdigit() for ch in value) < 10):
            raise forms.ValidationError(
                _("Please enter a phone number with the area code, for example 212-555-0123."), code="phone"
            )
        return value

    def clean_what_happened(self):
        return self._clean_text("what_happened").strip()

    def clean_other_parties(self):
        return self._clean_text("other_parties").strip()

    def practice_area(self) -> PracticeArea | None:
        """The firm's practice area for these answers (area_for), if the firm has it."""
        slug = area_for(self.cleaned_data.get("what"), self.cleaned_data.get("who"))
        return next((area for area in self.practice_areas.values() if area.slug_en == slug), None)

    def clean_best_time(self):
        return self.cleaned_data.get("best_time") or ConsultationRequest.BestTime.ANY

    def clean_incident_date(self):
        value = self.cleaned_data.get("incident_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        if value and value.year < 1900:
            raise forms.ValidationError(_("Please check the year."), code="past")
        return value

    def clean_article(self):
        # Only ever a hint about where the visitor came from: drop anything that is not a slug.
        value = self.cleaned_data.get("article", "")
        return value if is_slug(value) else ""

    def clean(self):
        """The way to reach the visitor must match their choice: nobody is turned away for lacking an
        email address (or a phone)."""
        cleaned = super().clean()
        if "phone" in self.errors or "email" in self.errors:
            return cleaned  # the visitor is already fixing one of them
        method = cleaned.get("contact_method")
        phone, email = cleaned.get("phone"), cleaned.get("email")
        if method == ConsultationRequest.ContactMethod.PHONE and not phone:
            self.add_error(
                "phone",
                _("Please give a phone number for us to call, or choose “Email” as the way to reach you."),
            )
        elif method == ConsultationRequest.ContactMethod.EMAIL and not email:
            self.add_error(
                "email",
                _(
                    "Please give an email address for us to write to, or choose “Phone call” as the way to "
                    "reach you."
                ),
            )
        elif not (phone or email):
            self.add_error("phone", _("Please give a phone number or an email address, so we can reach you."))
        return cleaned

    def spam_reason(self) -> str:
        """Why this (valid) submission looks automated, or "" if it looks like a person."""
        if self.cleaned_data.get("website"):
            return ConsultationRequest.SpamReason.HONEYPOT
        timer = self.timer()
        if timer is None:
            return ConsultationRequest.SpamReason.BAD_TOKEN
        if timer.elapsed < settings.CONSULTATION_MIN_FILL_SECONDS:
            return ConsultationRequest.SpamReason.TOO_FAST
        return ""

    def timer(self) -> FormTimer | None:
        return read_timer(self.cleaned_data.get("started", "") if hasattr(self, "cleaned_data") else "")

    def timer_expired(self) -> bool:
        """The form was shown longer ago than CONSULTATION_FORM_MAX_AGE_HOURS: it is shown again, with the
        answers, to be sent once more (a replayed old token must not keep working for ever)."""
        timer = self.timer()
        return timer is not None and timer.is_expired

    def request_fields(self) -> dict:
        """The cleaned answers that become columns of the request, and the practice area they imply."""
        return {
            **{name: self.cleaned_data[name] for name in self.Meta.fields},
            "practice_area": self.practice_area(),
        }
