"""Django's PostgreSQL backend (settings: DATABASES ENGINE "lawsite.postgresql") with a health check that
costs no round trip while the connection is well.

With CONN_HEALTH_CHECKS Django checks a persistent connection at the start of every request that uses the
database, by sending `SELECT 1` and waiting for the answer: a third of the statements an article page sends,
and PostgreSQL's work for it, on every uncached page. A connection PostgreSQL has ended (a restart, a crash,
pg_terminate_backend, an idle timeout) has said so on its socket: the server sends its closing message, then
the socket reaches end of file. An idle connection that is well has nothing to read. So the check looks at
the socket first (poll, no waiting) and sends `SELECT 1` only when something is there to read; whatever it
was, Django's own check then decides. What neither check sees in time (a cable pulled between two machines)
fails the request's first query, which DatabaseUnavailableMiddleware turns into the 503 page, and Django
drops the connection at the end of that request.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        pgconn = connection.pgconn
        if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()  # not a plain idle connection: ask the server
        try:
            readable, _, _ = select.select([pgconn.socket], [], [], 0)
        except (OSError, ValueError):
            return False
        return super().is_usable() if readable else True
