import os
import subprocess
import sys

import pytest
from django.core.checks import ERROR

from lawsite.checks import check_firm_identity, is_street_address
from lawsite.mailers import parse_email_url
from scripts import processes


def test_deploy_check_errors_without_a_street_address_and_warns_without_an_smtp_server(settings):
    settings.FIRM = {**settings.FIRM, "address": "New York, NY"}
    problems = {problem.id: problem for problem in check_firm_identity(None)}
    assert problems["lawsite.E001"].level == ERROR  # not merely a warning
    ids = list(problems)
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


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("New York, NY", False),
        ("", False),
        ("Manhattan, New York", False),
        ("NY 10004", False),
        ("1 Example Plaza, New York, NY 10004", True),
        ("120 Broadway, Suite 100, New York, NY 10271", True),
        ("40-12 Main Street, Flushing, NY 11354", True),
    ],
)
def test_what_counts_as_a_street_address(address, ok):
    assert is_street_address(address) is ok


def test_production_refuses_to_deploy_without_a_street_address(tmp_path):
    """The real command, as an operator runs it: `check --deploy` fails (exit status) on the address alone."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "www.example.org",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "EMAIL_URL": "smtp://mailer:secret@smtp.example.org:587?starttls=1",
        "DEFAULT_FROM_EMAIL": "web@firm.example.org",
        "FIRM_INTAKE_EMAILS": "intake@firm.example.org",
        "FIRM_ALERT_EMAILS": "alerts@firm.example.org",
        "FIRM_ADDRESS": "New York, NY",
    }
    command = [sys.executable, "manage.py", "check", "--deploy", "--tag", "security"]
    refused = subprocess.run(
        command, cwd=processes.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert refused.returncode != 0 and "lawsite.E001" in refused.stderr, refused.stderr
    env["FIRM_ADDRESS"] = "1 Example Plaza, New York, NY 10004"
    accepted = subprocess.run(
        command, cwd=processes.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert "lawsite.E001" not in accepted.stdout + accepted.stderr


def test_each_check_id_names_one_check():
    """An operator looks a check id up in the README: two checks sharing one id (as E020 once was, by two changes
    landing at once) would send them to the wrong fix. One function may use its id for several messages."""
    import ast
    from collections import defaultdict
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    owners = defaultdict(set)
    for path in root.glob("*/**/*.py"):
        if path.parts[len(root.parts)] in {".venv", "node_modules", "var", "tests"}:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.keyword)
                    and node.arg == "id"
                    and isinstance(node.value, ast.Constant)
                    and str(node.value.value).startswith("lawsite.")
                ):
                    owners[node.value.value].add(f"{path.relative_to(root)}:{function.name}")
    assert owners, "no system check ids found: the scan is broken"
    shared = {check_id: sorted(where) for check_id, where in owners.items() if len(where) > 1}
    assert not shared, shared
