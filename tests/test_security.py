import logging
import re
import subprocess
import sys

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from tests.test_site import BASE_DIR

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def staff_user():
    return User.objects.create_user("clerk", password=PASSWORD, is_staff=True, is_superuser=True)


def admin_login(client, password, address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": "clerk", "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def test_admin_login_locks_after_five_failures_for_that_user_and_address(client, staff_user):
    for _ in range(4):
        assert admin_login(client, "wrong").status_code == 200  # the form again, with an error
    locked = admin_login(client, "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # Even the right password is refused while locked...
    assert admin_login(client, PASSWORD).status_code == 429
    # ...but the same user from another address is not locked out by someone else's guessing.
    assert admin_login(client, PASSWORD, address="198.51.100.9").status_code == 302


def test_a_forged_forwarded_address_from_an_untrusted_connection_does_not_dodge_the_lockout(
    client, staff_user, settings
):
    """Reaching gunicorn directly with a new X-Forwarded-For on every guess must not reset the count."""
    settings.BEHIND_TLS_PROXY = True  # production behind nginx, but this client bypasses it
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    for attempt in range(5):
        response = client.post(
            reverse("admin:login"),
            {"username": "clerk", "password": "wrong", "next": reverse("admin:index")},
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt + 1}",
        )
    assert response.status_code == 429
    assert admin_login(client, PASSWORD, address="198.51.100.66").status_code == 429


def test_the_client_address_is_read_from_forwarded_for_only_behind_a_trusted_proxy(rf, settings):
    from consultations.client_ip import client_ip

    def address(remote, forwarded=None):
        meta = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_ip(rf.get("/", **meta))

    settings.TRUSTED_PROXIES = []  # the default without DJANGO_BEHIND_TLS_PROXY: nobody's header counts
    assert address("203.0.113.9", "198.51.100.1") == "203.0.113.9"
    assert address("127.0.0.1", "198.51.100.1") == "127.0.0.1"
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/24"]
    assert address("127.0.0.1", "198.51.100.1") == "198.51.100.1"  # the visitor, as nginx saw it
    assert address("::1", "9.9.9.9, 198.51.100.1") == "198.51.100.1"  # the client's own left part is ignored
    assert address("127.0.0.1", "198.51.100.1, 10.0.0.7") == "198.51.100.1"  # a chain of our proxies
    assert address("127.0.0.1") == "127.0.0.1"  # a request from the proxy machine itself
    assert address("127.0.0.1", "not-an-address") == "127.0.0.1"
    assert address("198.51.100.66", "127.0.0.1") == "198.51.100.66"  # not from a proxy: header ignored


def test_a_malformed_trusted_proxy_entry_is_a_start_up_error(settings):
    from lawsite.checks import check_trusted_proxies

    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/24", "::1"]
    assert check_trusted_proxies(None) == []
    settings.TRUSTED_PROXIES = ["nginx.internal"]
    assert [error.id for error in check_trusted_proxies(None)] == ["lawsite.E041"]


def test_an_administrator_can_unlock_a_user(client, staff_user):
    for _ in range(5):
        admin_login(client, "wrong")
    call_command("axes_reset_username", "clerk", verbosity=0)
    response = admin_login(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_staff_session_expires_after_inactivity(client, staff_user, settings):
    with time_machine.travel("2026-11-25 10:00 -0500", tick=False) as traveller:
        assert admin_login(client, PASSWORD).status_code == 302
        assert client.get(reverse("admin:index")).status_code == 200
        traveller.shift(settings.STAFF_IDLE_TIMEOUT.total_seconds() - 120)
        assert client.get(reverse("admin:index")).status_code == 200  # still active
        traveller.shift(settings.STAFF_IDLE_TIMEOUT.total_seconds() + 60)
        response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_visitors_get_no_session_cookie(client):
    response = client.get(reverse("home"))
    assert "sessionid" not in response.cookies


def test_security_txt_follows_rfc_9116(client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(r"^Contact: mailto:\S+@\S+$", body, re.M)
    assert re.search(r"^Expires: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", body, re.M)


def test_admin_path_is_configurable():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.urls import reverse; print(reverse('admin:index'))",
        ],
        cwd=BASE_DIR,
        env={
            "DJANGO_SETTINGS_MODULE": "lawsite.settings",
            "DJANGO_DEBUG": "1",
            "DJANGO_ADMIN_PATH": "/back-office/",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/back-office/"


@pytest.mark.urls("tests.error_urls")
def test_server_errors_show_no_traceback_or_settings(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong" in html
    for leak in ("secret-internal-detail", "hunter2", "Traceback", "DATABASES", "RuntimeError"):
        assert leak not in html


def test_every_response_carries_a_request_id_that_the_logs_repeat(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/missing-page/", HTTP_X_REQUEST_ID="edge-req-12345678")
    assert response.headers["X-Request-ID"] == "edge-req-12345678"
    assert [r.request_id for r in caplog.records if r.name == "django.request"] == ["edge-req-12345678"]


def test_a_malformed_request_id_is_replaced(client):
    response = client.get(reverse("home"), HTTP_X_REQUEST_ID="bad id\r\nX-Evil: 1")
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_an_oversized_request_body_gets_a_400_in_the_sites_look(client):
    response = client.post(reverse("admin:login"), {"username": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "We could not understand that request" in html
    assert "site-header" in html


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize("path", ["/db-down/", "/middleware-db-down/"])
def test_an_unreachable_database_gets_a_calm_503_with_the_phone_number(client, settings, path):
    settings.DEBUG = False
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.error_urls.DatabaseDownMiddleware"]
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "back in a moment" in html
    assert 'href="tel:+12127665222"' in html
    for leak in ("hunter2", "db.internal", "Traceback", "OperationalError", "InterfaceError"):
        assert leak not in html
