"""`check --deploy` refuses what should not go live (lawsite/deploy_checks.py)."""

import pytest
from django.core.checks import ERROR
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from lawsite.deploy_checks import check_launch_content, check_live_addresses, is_reserved_domain
from tests.factories import PersonFactory

REAL = {
    "DEFAULT_FROM_EMAIL": "Leav & Steinberg LLP <website@leavsteinberg.lawsite>",
    "SERVER_EMAIL": "Leav & Steinberg LLP <website@leavsteinberg.lawsite>",
    "FIRM_INTAKE_EMAILS": ["intake@leavsteinberg.lawsite"],
    "FIRM_ALERT_EMAILS": ["alerts@leavsteinberg.lawsite", "it@partner.lawsite"],
    "SITE_URL": "https://www.leavsteinberg.lawsite",
    "BEHIND_TLS_PROXY": True,
}


@pytest.fixture
def live(settings):
    for name, value in REAL.items():
        setattr(settings, name, value)
    settings.FIRM = {**settings.FIRM, "email": "info@leavsteinberg.lawsite"}
    return settings


@pytest.mark.parametrize(
    ("domain", "reserved"),
    [
        ("example.com", True),
        ("EXAMPLE.ORG", True),
        ("firm.example.net", True),
        ("mail.firm.test", True),
        ("host.invalid", True),
        ("leavsteinberg.com", False),
        ("notexample.com", False),
        ("example.com.au", False),
    ],
)
def test_which_domains_are_reserved_examples(domain, reserved):
    assert is_reserved_domain(domain) is reserved


def test_real_addresses_and_an_https_site_pass(live):
    assert check_live_addresses(None) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEFAULT_FROM_EMAIL", "Leav & Steinberg LLP <website@example.com>"),
        ("FIRM_INTAKE_EMAILS", ["intake@leavsteinberg.lawsite", "someone@example.org"]),
        ("FIRM_ALERT_EMAILS", ["alerts@firm.example.net"]),
        ("FIRM_ALERT_EMAILS", ["alerts@office.test"]),
        ("FIRM_INTAKE_EMAILS", []),
    ],
)
def test_an_address_on_an_example_domain_is_refused(live, name, value):
    setattr(live, name, value)
    problems = check_live_addresses(None)
    assert [(p.id, p.level) for p in problems] == [("lawsite.E020", ERROR)]
    assert name in problems[0].msg


def test_the_firms_shown_address_is_checked_too(live):
    live.FIRM = {**live.FIRM, "email": "info@example.com"}
    assert "FIRM_EMAIL" in check_live_addresses(None)[0].msg


def test_an_http_site_url_behind_the_tls_proxy_is_refused(live):
    live.SITE_URL = "http://www.leavsteinberg.lawsite"
    assert [p.id for p in check_live_addresses(None)] == ["lawsite.E021"]
    live.BEHIND_TLS_PROXY = False  # plain HTTP on purpose (e.g. `make serve`): nothing to say about it
    assert check_live_addresses(None) == []


def test_a_site_url_on_an_example_domain_is_refused(live):
    live.SITE_URL = "https://www.example.org"
    assert [p.id for p in check_live_addresses(None)] == ["lawsite.E021"]


@pytest.mark.django_db
def test_the_database_checks_refuse_sample_people_and_an_empty_archive():
    PersonFactory(name="Sam Sample", is_sample=True)
    PersonFactory(name="Real Partner", is_sample=False)
    problems = {p.id: p for p in check_launch_content(None, databases=["default"])}
    assert set(problems) == {"lawsite.E022", "lawsite.E023"}
    assert "Sam Sample" in problems["lawsite.E022"].msg and "Real Partner" not in problems["lawsite.E022"].msg
    assert check_launch_content(None, databases=None) == []  # only with --database


@pytest.mark.django_db
def test_check_deploy_with_the_database_runs_them_and_passes_once_the_site_is_captured():
    PersonFactory(name="Real Partner", is_sample=False)
    with pytest.raises(SystemCheckError, match="lawsite.E023"):
        call_command("check", "--deploy", "--database", "default", "--tag", "database")
    call_command("archive_site", "--reason", "Launch", verbosity=0)
    call_command("check", "--deploy", "--database", "default", "--tag", "database")


def test_an_unknown_host_is_one_warning_line_without_a_traceback(client, caplog, settings):
    settings.ALLOWED_HOSTS = ["www.leavsteinberg.lawsite"]
    with caplog.at_level("INFO"):
        response = client.get("/", HTTP_HOST="scanner.invalid")
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name.startswith("django")]
    assert [(r.name, r.levelname) for r in records] == [("django.security.DisallowedHost", "WARNING")]
    assert records[0].exc_info is None and "scanner.invalid" in records[0].getMessage()
