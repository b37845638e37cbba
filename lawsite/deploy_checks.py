"""What `manage.py check --deploy` refuses before the site goes live (README "Deploying", step 8).

Two kinds: checks of the settings (run by every `check --deploy`), and checks that read the database
(tagged `database`, so Django runs them only with `check --deploy --database default`, which the README's
launch step uses; `make test`'s own deploy check has no site data to judge).
"""

from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

# Domains that can never receive mail or serve the site (RFC 2606, RFC 6761): example addresses left from
# a copied configuration.
RESERVED_DOMAINS = ("example.com", "example.org", "example.net")
RESERVED_TLDS = ("test", "example", "invalid", "localhost")


def is_reserved_domain(domain: str) -> bool:
    domain = domain.lower().rstrip(".")
    return domain.rsplit(".", 1)[-1] in RESERVED_TLDS or any(
        domain == reserved or domain.endswith("." + reserved) for reserved in RESERVED_DOMAINS
    )


def address_domain(address: str) -> str:
    """The domain of "Name <user@domain>" or "user@domain"."""
    return address.strip().rstrip(">").rsplit("@", 1)[-1] if "@" in address else ""


def email_settings() -> dict[str, list[str]]:
    return {
        "DEFAULT_FROM_EMAIL": [settings.DEFAULT_FROM_EMAIL],
        "SERVER_EMAIL": [settings.SERVER_EMAIL],
        "FIRM_INTAKE_EMAILS": list(settings.FIRM_INTAKE_EMAILS),
        "FIRM_ALERT_EMAILS": list(settings.FIRM_ALERT_EMAILS),
        "FIRM_EMAIL": [settings.FIRM["email"]],
    }


@register(Tags.security, deploy=True)
def check_live_addresses(app_configs, **kwargs):
    """Every address the site sends from, to or shows must be a real one, and the site's own address https."""
    problems = []
    for name, values in email_settings().items():
        if name == "SERVER_EMAIL" and values == [settings.DEFAULT_FROM_EMAIL]:
            continue  # the same value, already reported under DEFAULT_FROM_EMAIL
        reserved = [v for v in values if is_reserved_domain(address_domain(v))]
        if not values or not all(values) or reserved:
            problems.append(
                Error(
                    f"{name} is not a real address: {', '.join(reserved) or 'empty'}.",
                    hint=f"Set {name} in the environment to the firm's own address "
                    "(example.com, .org, .net and .test addresses can never receive mail).",
                    id="lawsite.E020",
                )
            )
    site = urlsplit(settings.SITE_URL)
    if settings.BEHIND_TLS_PROXY and site.scheme != "https":
        problems.append(
            Error(
                f"SITE_URL is {settings.SITE_URL!r} but the site is served over HTTPS "
                "(DJANGO_BEHIND_TLS_PROXY is on).",
                hint="Set SITE_URL to the https:// address: canonical links, the sitemap, the feed and the "
                "links in emails are built from it.",
                id="lawsite.E021",
            )
        )
    if site.hostname and is_reserved_domain(site.hostname):
        problems.append(
            Error(
                f"SITE_URL is on a reserved example domain ({site.hostname}).",
                hint="Set SITE_URL to the site's real https:// address.",
                id="lawsite.E021",
            )
        )
    return problems


def model_named(name: str):
    """An installed model found by class name: the apps may move it without this check changing."""
    return next((model for model in apps.get_models() if model.__name__ == name), None)


@register(Tags.database, deploy=True)
def check_launch_content(app_configs, databases=None, **kwargs):
    """Sample people must not be published, and the advertising archive must have captured the site."""
    if not databases:
        return []
    problems = []
    person, capture = model_named("Person"), model_named("ArchiveCapture")
    try:
        samples = list(person.objects.filter(is_sample=True).values_list("name", flat=True)) if person else []
        captured = capture.objects.exists() if capture else True
    except DatabaseError as error:
        return [
            Error(
                f"The launch checks could not read the database ({type(error).__name__}).",
                hint="Run `manage.py migrate` first, with the production DATABASE_URL.",
                id="lawsite.E024",
            )
        ]
    if samples:
        problems.append(
            Error(
                f"Sample people from the demo content are published: {', '.join(samples)}.",
                hint='Replace or delete every profile marked "sample profile" in the admin '
                '(Articles > People, filter "sample profile: Yes").',
                id="lawsite.E022",
            )
        )
    if not captured:
        problems.append(
            Error(
                "The advertising archive has never captured a page.",
                hint='Once the real content is approved, run `manage.py archive_site --reason "Launch"`; '
                "the outbox worker keeps the archive from then on.",
                id="lawsite.E023",
            )
        )
    return problems
