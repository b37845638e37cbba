"""Restore drill: load a backup into a scratch database and check that it is a working site.

    DATABASE_URL=... .venv/bin/python deploy/restore_drill.py /var/backups/lawsite/lawsite-....dump \
        --scratch lawsite_restore_drill

It (re)creates the scratch database on the same server as DATABASE_URL (never DATABASE_URL's own database),
restores the dump with pg_restore, checks that no migration is missing, and prints what it holds
(articles, requests, emails still to send) and the DATABASE_URL to point a spare gunicorn at, e.g.
`DATABASE_URL=<printed> .venv/bin/gunicorn -c gunicorn.conf.py lawsite.wsgi`. `--drop` removes the scratch
database afterwards. pg_restore comes from PATH, or PG_BIN when set. tests/test_deploy.py runs this drill.

Restoring into production after a loss: stop the app servers and workers, restore the same way into a new
database, point DATABASE_URL at it and start them again. Emails that were still pending in the backup are
sent by the first worker, once each (they are rows in the outbox).
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent


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


def recreate(url: str, name: str) -> None:
    live = psycopg.conninfo.conninfo_to_dict(url).get("dbname")
    if name == live:
        raise SystemExit(f"restore drill: refusing to overwrite the live database {live!r}")
    with psycopg.connect(with_database(url, "postgres"), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop(url: str, name: str) -> None:
    with psycopg.connect(with_database(url, "postgres"), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dump", type=Path)
    parser.add_argument("--scratch", default="lawsite_restore_drill", help="scratch database name")
    parser.add_argument("--drop", action="store_true", help="drop the scratch database at the end")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        raise SystemExit("restore drill: DATABASE_URL must be set (its server receives the scratch database)")
    scratch = as_url(with_database(url, args.scratch))
    recreate(url, args.scratch)
    subprocess.run(
        [
            tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--dbname",
            scratch,
            str(args.dump),
        ],
        check=True,
    )
    env = {**os.environ, "DATABASE_URL": scratch}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check", "--noinput"], cwd=BASE_DIR, env=env, check=True
    )
    with psycopg.connect(scratch, connect_timeout=10) as conn:
        counts = {
            "articles": "SELECT count(*) FROM articles_article",
            "consultation requests": "SELECT count(*) FROM consultations_consultationrequest",
            "emails still to send": "SELECT count(*) FROM consultations_outboundemail WHERE state IN ('pending', 'sending')",
        }
        for label, query in counts.items():
            print(f"restore drill: {label}: {conn.execute(query).fetchone()[0]}")
    if args.drop:
        drop(url, args.scratch)
        print(f"restore drill: OK; scratch database {args.scratch} dropped")
    else:
        print(f"restore drill: OK; restored site database: DATABASE_URL={scratch}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
