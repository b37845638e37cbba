import pytest

from lawsite.mailers import SMTP_BACKEND, EmailURLError, parse_email_url


def test_console_url_prints_to_the_console():
    assert parse_email_url("console://") == {"BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_locmem_url_keeps_mail_in_memory():
    assert parse_email_url("locmem://")["BACKEND"].endswith("locmem.EmailBackend")


def test_smtp_with_starttls_and_credentials():
    mailer = parse_email_url("smtp://web%40firm.org:p%40ss%3Aword@mail.firm.org:587?starttls=1")
    assert mailer == {
        "BACKEND": SMTP_BACKEND,
        "OPTIONS": {
            "host": "mail.firm.org",
            "port": 587,
            "use_tls": True,
            "use_ssl": False,
            "timeout": 10.0,
            "username": "web@firm.org",
            "password": "p@ss:word",
        },
    }


def test_smtps_uses_implicit_tls_on_465_by_default():
    options = parse_email_url("smtps://user:secret@mail.firm.org")["OPTIONS"]
    assert (options["port"], options["use_ssl"], options["use_tls"]) == (465, True, False)


def test_plain_smtp_relay_without_credentials():
    options = parse_email_url("smtp://127.0.0.1:2525?timeout=3")["OPTIONS"]
    assert options == {
        "host": "127.0.0.1",
        "port": 2525,
        "use_tls": False,
        "use_ssl": False,
        "timeout": 3.0,
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "it is empty"),
        ("mailto://someone", "unknown scheme"),
        ("smtp://", "needs a host"),
        ("smtp://mail.firm.org:notaport", "port is not a number"),
        ("smtp://mail.firm.org:99999", "port is not a number"),
        ("smtps://mail.firm.org?starttls=1", "already uses TLS"),
        ("smtp://mail.firm.org?starttls=maybe", "not a yes/no value"),
        ("smtp://mail.firm.org?timeout=soon", "timeout must be a number"),
        ("smtp://mail.firm.org?timeout=0", "positive number"),
        ("smtp://mail.firm.org?tls=1", "unknown option"),
    ],
)
def test_malformed_urls_are_refused_with_a_reason(url, message):
    with pytest.raises(EmailURLError, match=message):
        parse_email_url(url)


def test_error_messages_never_contain_the_password():
    with pytest.raises(EmailURLError) as excinfo:
        parse_email_url("smtp://user:hunter2-secret@mail.firm.org:bad")
    assert "hunter2" not in str(excinfo.value)
