import ipaddress
import re
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from articles import office_hours

# A street address starts with (or contains) a building number followed by a street name:
# "120 Broadway, New York, NY 10271", "One Liberty Plaza" is spelled with a number here too.
STREET_NUMBER = re.compile(r"\b\d+[A-Za-z]?(?:-\d+)?\s+[A-Za-z]")


def is_street_address(value: str) -> bool:
    return bool(STREET_NUMBER.search(value or "")) and "," in value


@register(Tags.security, deploy=True)
def check_firm_identity(app_configs, **kwargs):
    """NY Rule 7.1(h) wants the office address on every page; example addresses must not go live."""
    problems = []
    if not is_street_address(settings.FIRM["address"]):
        # An error, not a warning: attorney advertising without the office address breaks the rule outright.
        problems.append(
            Error(
                "FIRM_ADDRESS is not a street address.",
                hint="Set FIRM_ADDRESS to the office's full street address, e.g. "
                "'120 Broadway, Suite 100, New York, NY 10271'.",
                id="lawsite.E001",
            )
        )
    # Example addresses and an http SITE_URL: lawsite/deploy_checks.py.
    backend = settings.MAILERS["default"]["BACKEND"]
    if not backend.endswith("smtp.EmailBackend"):
        problems.append(
            Warning(
                "EMAIL_URL is not an SMTP server: consultation emails would not be delivered.",
                hint="Set EMAIL_URL=smtp://user:password@host:587?starttls=1 (or smtps://...).",
                id="lawsite.W003",
            )
        )
    return problems


def missing_firm_facts() -> list[str]:
    """The environment names of the firm facts (articles/firm_facts.py) that production must set."""
    if settings.FIRM.get("client_pays_expenses_if_no_recovery") is None:
        return ["FIRM_CLIENT_PAYS_EXPENSES_IF_NO_RECOVERY"]
    return []


@register(Tags.security, deploy=True)
def check_firm_facts(app_configs, **kwargs):
    """The site tells readers who pays case expenses when nothing is recovered: a fact about the firm, so it
    has no default in production. `check --deploy` refuses to pass without it; meanwhile the pages only say
    "the written agreement says" (never a guess), and migrations, backups and restores still run."""
    if settings.DEBUG:
        return []
    return [
        Error(
            f"{name} is not set: the site cannot tell readers whether a client pays back the case expenses "
            "when nothing is recovered.",
            hint=f"Set {name}=1 if clients pay them back, or 0 if the firm bears them, as the firm's "
            "retainer agreements say (README, Configuration).",
            id="lawsite.E030",
        )
        for name in missing_firm_facts()
    ]


def compliance_switches_off() -> list[str]:
    """The environment names of the compliance switches (settings.COMPLIANCE) that are turned off."""
    return [f"COMPLIANCE_{name.upper()}" for name, on in settings.COMPLIANCE.items() if not on]


@register(Tags.security)  # not deploy-only: every `check` and every start in production runs it
def check_compliance_switches(app_configs, **kwargs):
    """A firm must turn a compliance notice off on purpose: in production, each one off is named."""
    if settings.DEBUG:
        return []
    return [
        Warning(
            f"{name} is off: the notice it controls is not shown to visitors.",
            hint=f"Remove {name} from the environment (default on) unless counsel has approved turning it off.",
            id="lawsite.W010",
        )
        for name in compliance_switches_off()
    ]


@register()
def check_translations_compiled(app_configs, **kwargs):
    """The Spanish site's addresses (/es/articulos/ …) and text come from compiled catalogues: without
    the .mo files, /es/ pages would answer in English at English paths."""
    problems = []
    for locale_dir in settings.LOCALE_PATHS:
        for po in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                problems.append(
                    Error(
                        f"{mo.relative_to(settings.BASE_DIR)} is missing or older than its .po file.",
                        hint="Run `manage.py compilemessages` (make run / make test do it).",
                        id="lawsite.E010",
                    )
                )
    return problems


@register(Tags.security)
def check_trusted_proxies(app_configs, **kwargs):
    """DJANGO_TRUSTED_PROXIES must be addresses or networks: a typo would silently trust nobody (or the wrong
    machine) for X-Forwarded-For (consultations/client_ip.py)."""
    problems = []
    for entry in settings.TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            problems.append(
                Error(
                    f"DJANGO_TRUSTED_PROXIES has {entry!r}, which is not an IP address or network.",
                    hint="List the addresses of the proxies in front of the app servers, e.g. 127.0.0.1,::1 "
                    "or 10.0.0.5 or 10.0.0.0/24.",
                    id="lawsite.E041",
                )
            )
    return problems


@register()
def check_office_hours(app_configs, **kwargs):
    """FIRM_OFFICE_HOURS feeds the hours on every page and the form's call-back times: a typo must not start
    a site that silently shows no hours."""
    try:
        office_hours.parse(settings.FIRM_OFFICE_HOURS)
    except ValueError as error:
        return [
            Error(
                f"FIRM_OFFICE_HOURS is {settings.FIRM_OFFICE_HOURS!r}: {error}.",
                hint='For example "Mon-Fri 09:00-18:00" (New York time), or blank to show no hours.',
                id="lawsite.E042",
            )
        ]
    return []


@register()
def check_sentry_dsn(app_configs, **kwargs):
    """A mistyped SENTRY_DSN would silently report nothing (lawsite/error_reporting.py logs it at start)."""
    if not settings.SENTRY_DSN:
        return []
    from sentry_sdk.utils import BadDsn, Dsn

    try:
        Dsn(settings.SENTRY_DSN)
    except BadDsn:
        return [
            Error(
                "SENTRY_DSN is not a valid DSN, so errors are not reported.",
                hint="Copy the DSN from the Sentry project's settings (https://<key>@<host>/<project id>), or "
                "leave SENTRY_DSN empty to report nothing.",
                id="lawsite.E050",
            )
        ]
    return []


# The checks about the environment itself, which the server's start runs too (lawsite/startup.py).
ENVIRONMENT = "environment"


@register(ENVIRONMENT)
def check_environment_values(app_configs, **kwargs):
    """Values the settings could not read (lawsite/environment.py): each falls back to its default, so the
    settings always import, and this names it, so nothing starts on a value nobody meant."""
    return [
        Error(
            problem,
            hint="Correct it in the environment (or .env); README, Configuration, lists every variable.",
            id="lawsite.E062",
        )
        for problem in settings.ENVIRONMENT_PROBLEMS
    ]


@register(Tags.security, ENVIRONMENT, deploy=True)
def check_production_environment(app_configs, **kwargs):
    """With DEBUG off the site needs its own secret key, its host names and its database. Only a check, so
    build steps (compilemessages, collectstatic) run without them; `check --deploy` and the server's start
    refuse."""
    if settings.DEBUG:
        return []
    problems = [
        Error(
            f"{name} must be set when DJANGO_DEBUG is off.",
            hint=PRODUCTION_HINTS[name],
            id="lawsite.E060",
        )
        for name in settings.UNSET_FOR_PRODUCTION
    ]
    if "DJANGO_SECRET_KEY" not in settings.UNSET_FOR_PRODUCTION and len(settings.SECRET_KEY) < 50:
        problems.append(
            Error(
                "DJANGO_SECRET_KEY must be at least 50 random characters.",
                hint=PRODUCTION_HINTS["DJANGO_SECRET_KEY"],
                id="lawsite.E061",
            )
        )
    return problems


PRODUCTION_HINTS = {
    "DJANGO_SECRET_KEY": "Generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(64))'.",
    "DJANGO_ALLOWED_HOSTS": "The site's host names, comma separated, e.g. www.example.org,example.org.",
    "DATABASE_URL": "postgres://user:password@host:5432/name (README, Deploying).",
}
