"""The per-request database health check (lawsite/postgresql/base.py): no round trip while the connection is
well, and a connection PostgreSQL has ended is noticed and replaced before the request's first query."""

import select
import time

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def last_statement(other, pid: int) -> str:
    with other.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


@pytest.fixture
def other():
    """A second connection to the same database, to watch and end the first one from outside."""
    raw = connection.get_new_connection(connection.get_connection_params())
    raw.autocommit = True
    yield raw
    raw.close()


def test_a_well_connection_passes_the_check_without_a_statement_and_an_ended_one_is_replaced(other):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    assert connection.connection.pgconn.transaction_status == 0  # idle, as between two requests

    assert connection.is_usable()
    assert last_statement(other, pid) == "SELECT pg_backend_pid()"  # nothing was sent to the server

    with other.cursor() as cursor:  # PostgreSQL ends the connection (as a restart or an idle timeout does)
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    socket = connection.connection.pgconn.socket
    deadline = time.monotonic() + 10
    while not select.select([socket], [], [], 0.1)[0] and time.monotonic() < deadline:
        pass
    assert not connection.is_usable()

    # The next request's check closes it, and its first query runs on a new connection.
    connection.health_check_enabled, connection.health_check_done = True, False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_a_connection_inside_a_transaction_is_still_asked_with_a_statement(other):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    connection.connection.autocommit = False
    try:
        with connection.connection.cursor() as cursor:
            cursor.execute("SELECT 2")
        assert connection.is_usable()
        assert last_statement(other, pid) == "SELECT 1"
    finally:
        connection.connection.rollback()
        connection.connection.autocommit = True
