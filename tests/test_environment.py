"""Settings only configure (lawsite/settings/, lawsite/environment.py): importing them never stops the process.
A missing production secret or a value that cannot be read is a system check (lawsite.E060-E062), so build
steps run without secrets while `check --deploy` and the server's start refuse with one line."""

import os
import subprocess
import sys

import pytest

from lawsite.environment import Environment
from scripts import processes

# A production environment with nothing for check --deploy to object to (real-looking addresses, TLS).
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "www.leav-steinberg.test-site.org",
    "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
    "DJANGO_BEHIND_TLS_PROXY": "1",
    "SITE_URL": "https://www.leav-steinberg.test-site.org",
    "EMAIL_URL": "smtp://mailer:secret@smtp.firm-mail.org:587?starttls=1",
    "DEFAULT_FROM_EMAIL": "web@firm-mail.org",
    "FIRM_INTAKE_EMAILS": "intake@firm-mail.org",
    "FIRM_ALERT_EMAILS": "alerts@firm-mail.org",
    "FIRM_EMAIL": "info@firm-mail.org",
    "FIRM_ADDRESS": "1 Liberty Plaza, New York, NY 10006",
    "FIRM_CLIENT_PAYS_EXPENSES_IF_NO_RECOVERY": "0",
}
OURS = ("DJANGO_", "DATABASE_URL", "EMAIL_URL", "SITE_URL", "DEFAULT_FROM_EMAIL", "FIRM_", "COMPLIANCE_")


def environment(**variables: str) -> dict:
    """This machine's environment without any of the site's variables, plus `variables`."""
    base = {key: value for key, value in os.environ.items() if not key.startswith(OURS)}
    return {**base, "DJANGO_SETTINGS_MODULE": "lawsite.settings", **variables}


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=processes.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def errors(output: str) -> list[str]:
    """The lines of a check report that name an error."""
    return [line for line in output.splitlines() if ".E0" in line]


@pytest.mark.parametrize(
    "command",
    [
        ("compilemessages", "--ignore=.venv", "--ignore=node_modules", "--verbosity", "0"),
        ("collectstatic", "--noinput", "--verbosity", "0"),
    ],
)
def test_build_steps_run_in_production_mode_without_any_secret(command):
    done = manage(environment(DJANGO_DEBUG="0"), *command)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "configuration error" not in done.stdout + done.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_check_deploy_refuses_a_missing_production_setting_with_one_line(missing):
    env = environment(**{key: value for key, value in PRODUCTION.items() if key != missing})
    done = manage(env, "check", "--deploy", "--fail-level", "ERROR")
    assert done.returncode != 0
    assert errors(done.stderr) == [f"?: (lawsite.E060) {missing} must be set when DJANGO_DEBUG is off."]


def test_check_deploy_passes_with_everything_set_and_refuses_a_short_secret_key():
    passed = manage(environment(**PRODUCTION), "check", "--deploy", "--fail-level", "ERROR")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    short = manage(environment(**{**PRODUCTION, "DJANGO_SECRET_KEY": "short"}), "check", "--deploy")
    assert short.returncode != 0
    assert errors(short.stderr) == [
        "?: (lawsite.E061) DJANGO_SECRET_KEY must be at least 50 random characters."
    ]


def test_a_value_that_cannot_be_read_is_named_by_every_check_not_by_an_exit():
    env = environment(**{**PRODUCTION, "EMAIL_URL": "smtp://:587", "CONSULTATION_RATE_LIMIT": "five"})
    imported = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
        cwd=processes.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert imported.returncode == 0 and imported.stdout.strip() == "False", imported.stderr
    done = manage(env, "check")  # not only --deploy: a malformed value is wrong everywhere
    assert done.returncode != 0
    assert sorted(errors(done.stderr)) == [
        "?: (lawsite.E062) CONSULTATION_RATE_LIMIT must be a whole number, not 'five'.",
        "?: (lawsite.E062) EMAIL_URL is not valid: an SMTP URL needs a host, e.g. smtp://mail.example.com:587.",
    ]


def test_the_environment_reader_falls_back_and_notes_what_it_cannot_read():
    read = Environment(
        {"ON": " yes ", "BLANK": "  ", "BAD": "maybe", "N": "7", "LIST": "a, b,,c", "AT": "25:00"}
    )
    assert read.flag("ON") is True
    assert read.flag("BLANK", default=True) is True  # blank is unset
    assert read.flag("BAD", default=False) is False
    assert read.number("N", 1) == 7
    assert read.items("LIST") == ["a", "b", "c"]
    assert read.time_of_day("AT", "08:30").isoformat() == "08:30:00"
    assert read.problems == [
        "BAD must be 1/0, true/false, yes/no or on/off, not 'maybe'.",
        "AT must be a New York time like 08:30, not '25:00'.",
    ]


def test_the_server_refuses_to_start_without_a_secret_key_with_one_clear_line(tmp_path):
    env = environment(**{key: value for key, value in PRODUCTION.items() if key != "DJANGO_SECRET_KEY"})
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [
                str(processes.BASE_DIR / ".venv" / "bin" / "gunicorn"),
                "-c",
                "gunicorn.conf.py",
                "lawsite.wsgi",
            ],
            cwd=processes.BASE_DIR,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{processes.free_port()}"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            returncode = server.wait(timeout=60)
        finally:
            if server.poll() is None:
                server.kill()
    text = log.read_text()
    assert returncode != 0, text
    assert [line for line in text.splitlines() if "configuration error" in line] == [
        "lawsite: configuration error: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. (lawsite.E060)"
    ], text
    assert "Traceback" not in text, text


def test_while_email_url_cannot_be_read_nothing_is_sent_and_each_email_is_tried_again():
    from django.core.mail import EmailMessage

    from lawsite.mailers import UnconfiguredEmailBackend
    from outbox.worker import is_permanent

    mailer = UnconfiguredEmailBackend()
    with pytest.raises(OSError, match="EMAIL_URL is not valid") as refused:
        mailer.send_messages([EmailMessage("Subject", "Body", "web@firm-mail.org", ["intake@firm-mail.org"])])
    assert not is_permanent(refused.value)  # the outbox keeps the email and tries again
