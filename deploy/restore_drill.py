"""Restore drill: bring a backup (deploy/backup.sh) back as a second working site, check it, clean up.

    sudo /srv/lawsite/app/.venv/bin/python /srv/lawsite/app/deploy/restore_drill.py \\
        /var/backups/lawsite/lawsite-20261205T081500Z.tar.age --identity /root/lawsite-backup-key.txt \\
        --admin-url postgres://lawsite_drill:PASSWORD@127.0.0.1:5432/postgres

What it needs (README "Backups"): the archive; the age private key (--identity: it normally lives off the
server, so bring it for the drill and delete it afterwards); the `age` and `pg_restore` commands (Debian
packages age and postgresql-client; PG_BIN may point at another pg_restore); and a PostgreSQL role that may
create databases (--admin-url; the site's own role may not, by design). Nothing else: the archive carries
the environment file, the database and the media.

It decrypts and unpacks the archive into a temporary directory and checks SHA256SUMS; restores the database
into a scratch database on the --admin-url server (--scratch, default lawsite_restore_drill; never the
archive's own database) and the media into the temporary directory; checks that no migration is missing;
starts gunicorn on a free loopback port with the archive's environment pointed at the scratch database and
media; fetches every page in its sitemap (home, articles, practice areas, people, both languages), each of
which must answer 200, and checks that every /media/ file those pages show was restored; and prints what
the backup holds. Then, whatever happened, it stops gunicorn, drops the scratch database and deletes the
temporary directory; --keep leaves both and prints how to start a spare site on them.

Restoring into production after a loss: stop the app servers and workers, restore the same way into a new
database (--keep), move the restored media into DJANGO_MEDIA_ROOT, point DATABASE_URL at the new database
and start them again. Emails that were still pending in the backup are sent by the first worker, once each.
"""

import argparse
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent


def say(message: str) -> None:
    print(f"restore drill: {message}", flush=True)


def with_database(url: str, name: str) -> str:
    """The same server and credentials as `url`, another database."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    info["dbname"] = name
    return psycopg.conninfo.make_conninfo(**info)


def as_url(conninfo: str) -> str:
    """A postgres:// URL for DATABASE_URL (dj-database-url reads URLs, not key=value strings)."""
    info = psycopg.conninfo.conninfo_to_dict(conninfo)
    user = info.get("user", "")
    password = f":{info['password']}" if info.get("password") else ""
    credentials = f"{user}{password}@" if user else ""
    host = info.get("host", "")
    if host.startswith("/"):
        return f"postgresql://{credentials}/{info['dbname']}?host={host}"
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{credentials}{host}{port}/{info['dbname']}"


def tool(name: str) -> str:
    return str(Path(os.environ["PG_BIN"]) / name) if os.environ.get("PG_BIN") else name


def load_env_file(path: Path) -> dict:
    """The variables an env file sets, read the way deploy/manage reads it (bash `set -a; . file`)."""
    out = subprocess.run(
        ["bash", "-c", 'set -a; . "$1"; set +a; env -0', "load-env", str(path)],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        check=True,
    ).stdout
    return dict(item.split("=", 1) for item in out.decode().split("\0") if "=" in item)


def unpack(archive: Path, identity: Path, into: Path) -> Path:
    subprocess.run(
        ["age", "--decrypt", "--identity", str(identity), "--output", str(into / "a.tar"), str(archive)],
        check=True,
    )
    subprocess.run(["tar", "--extract", "--file", str(into / "a.tar"), "--directory", str(into)], check=True)
    (into / "a.tar").unlink()
    (content,) = [p for p in into.iterdir() if p.is_dir() and p.name.startswith("lawsite-")]
    for line in (content / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        if hashlib.sha256((content / name).read_bytes()).hexdigest() != digest:
            raise SystemExit(f"restore drill: {name} does not match SHA256SUMS: the archive is damaged")
    return content


def drop(admin_url: str, name: str) -> None:
    with psycopg.connect(with_database(admin_url, "postgres"), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def recreate(admin_url: str, name: str) -> None:
    drop(admin_url, name)
    with psycopg.connect(with_database(admin_url, "postgres"), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, host: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (http://127.0.0.1 only)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def serve_and_check(env: dict, media: Path) -> dict:
    """Start gunicorn on the restored site, fetch every page of its sitemap, check their media exist."""
    port = free_port()
    host = env["DJANGO_ALLOWED_HOSTS"].split(",")[0].strip()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "lawsite.wsgi"],
        cwd=BASE_DIR,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"},
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(base + "/healthz", host)[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("restore drill: the restored site did not start (see the lines above)")
            time.sleep(0.3)
        status, sitemap = get(base + "/sitemap.xml", host)
        if status != 200:
            raise SystemExit(f"restore drill: /sitemap.xml answered {status}")
        paths = sorted({urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)})
        shown = set()
        for path in paths:
            status, html = get(base + path, host)
            if status != 200:
                raise SystemExit(f"restore drill: {path} answered {status} on the restored site")
            shown |= set(re.findall(r"/media/([^\"'\s)?#]+)", html))
        missing = sorted(name for name in shown if not (media / name).is_file())
        if missing:
            raise SystemExit(
                f"restore drill: media shown on the pages but not restored: {', '.join(missing)}"
            )
        return {"pages": len(paths), "media shown": len(shown)}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("archive", type=Path, help="lawsite-<time>.tar.age written by deploy/backup.sh")
    parser.add_argument("--identity", type=Path, required=True, help="the age private key file")
    parser.add_argument(
        "--admin-url",
        help="a PostgreSQL role that may create databases (default: the archive's DATABASE_URL)",
    )
    parser.add_argument("--scratch", default="lawsite_restore_drill", help="scratch database name")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database and files")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="lawsite-restore-drill-"))
    os.chmod(work, 0o700)  # it holds the decrypted dump and env file
    admin_url = None
    try:
        content = unpack(args.archive, args.identity, work)
        live_env = load_env_file(content / "env")
        admin_url = args.admin_url or live_env["DATABASE_URL"]
        live_name = psycopg.conninfo.conninfo_to_dict(live_env["DATABASE_URL"]).get("dbname")
        if args.scratch == live_name:
            raise SystemExit(f"restore drill: refusing to overwrite the live database {live_name!r}")
        scratch = as_url(with_database(admin_url, args.scratch))
        recreate(admin_url, args.scratch)
        subprocess.run(
            [
                tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                scratch,
                str(content / "database.dump"),
            ],
            check=True,
        )
        media = work / "media"
        media.mkdir()
        subprocess.run(
            ["tar", "--extract", "--file", str(content / "media.tar"), "--directory", str(media)], check=True
        )
        media_files = sum(1 for p in media.rglob("*") if p.is_file())
        env = {
            **live_env,
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DATABASE_URL": scratch,
            "DJANGO_MEDIA_ROOT": str(media),
            "REDIS_URL": "",  # never share the live site's cache
            "DJANGO_PAGE_CACHE": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--check", "--noinput"],
            cwd=BASE_DIR,
            env=env,
            check=True,
        )
        with psycopg.connect(scratch, connect_timeout=10) as conn:
            counts = {
                "articles": "SELECT count(*) FROM articles_article",
                "consultation requests": "SELECT count(*) FROM consultations_consultationrequest",
            }
            for label, query in counts.items():
                say(f"{label}: {conn.execute(query).fetchone()[0]}")
        say(f"media files: {media_files}")
        for label, value in serve_and_check(env, media).items():
            say(f"{label}: {value}")
        if args.keep:
            say(
                f"OK; kept: DATABASE_URL={scratch} DJANGO_MEDIA_ROOT={media} (the backup's files, env included: {content})"
            )
        else:
            say("OK; the restored site served every page in its sitemap with its media")
        return 0
    finally:
        if not args.keep:
            if admin_url:
                drop(admin_url, args.scratch)
            shutil.rmtree(work, ignore_errors=True)
            say(f"cleaned up (scratch database {args.scratch} dropped, {work} deleted)")


if __name__ == "__main__":
    sys.exit(main())
