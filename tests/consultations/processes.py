"""Run lawsite code in separate processes against the test database (as a second server would)."""

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import live_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def django_env(**extra) -> dict:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("EMAIL_URL", "DATABASE_URL"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "lawsite.settings",
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": live_database_url(),
            "EMAIL_URL": "console://",
            "INTAKE_DIGEST": "0",  # depends on the wall clock; test_digest.py switches it on
            **extra,
        }
    )
    return env


def manage(*args, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=django_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def python(code: str, *args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=BASE_DIR,
        env=django_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
