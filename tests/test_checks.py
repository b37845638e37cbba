from lawsite.checks import check_firm_identity
from lawsite.mailers import parse_email_url


def test_deploy_check_warns_until_a_street_address_and_real_emails_are_set(settings):
    settings.FIRM = {**settings.FIRM, "address": "New York, NY"}
    settings.FIRM_INTAKE_EMAILS = ["intake@example.com"]
    ids = [warning.id for warning in check_firm_identity(None)]
    assert "lawsite.W001" in ids
    assert "lawsite.W002" in ids
    assert "lawsite.W003" in ids  # the test run's in-memory mailer is not an SMTP server


def test_deploy_check_is_quiet_with_real_values(settings):
    settings.FIRM = {**settings.FIRM, "address": "1 Example Plaza, New York, NY 10004"}
    settings.DEFAULT_FROM_EMAIL = "web@firm.example.org"
    settings.FIRM_INTAKE_EMAILS = ["intake@firm.example.org"]
    settings.FIRM_ALERT_EMAILS = ["alerts@firm.example.org"]
    settings.MAILERS = {"default": parse_email_url("smtp://mail.firm.example.org:587?starttls=1")}
    assert check_firm_identity(None) == []


def test_a_compliance_switch_turned_off_in_production_is_named(settings):
    from lawsite.checks import check_compliance_switches

    settings.DEBUG = False
    assert check_compliance_switches(None) == []  # all on: the default
    settings.COMPLIANCE = {**settings.COMPLIANCE, "prior_results": False, "form_disclaimer": False}
    messages = [warning.msg for warning in check_compliance_switches(None)]
    assert len(messages) == 2
    assert any("COMPLIANCE_PRIOR_RESULTS is off" in m for m in messages)
    assert any("COMPLIANCE_FORM_DISCLAIMER is off" in m for m in messages)
    settings.DEBUG = True  # in development nobody is misled
    assert check_compliance_switches(None) == []


def test_a_compliance_switch_turned_off_is_logged_at_every_production_start(tmp_path):
    """A real start (`manage.py check` with DEBUG off), as gunicorn or the worker would start."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "www.example.org",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "COMPLIANCE_ATTORNEY_ADVERTISING": "0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    output = result.stdout + result.stderr
    assert "compliance: COMPLIANCE_ATTORNEY_ADVERTISING is off" in output  # the startup log line
    assert "(lawsite.W010) COMPLIANCE_ATTORNEY_ADVERTISING is off" in output  # and the check
    env.pop("COMPLIANCE_ATTORNEY_ADVERTISING")
    quiet = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert "COMPLIANCE_" not in quiet.stdout + quiet.stderr
