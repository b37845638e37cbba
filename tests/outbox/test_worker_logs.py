"""The outbox worker's log through an outage: a failing round or job is logged once (one traceback), then once
more when it works again; each round's lines carry the round's own id, never a web request's.

tests/outbox/test_database_blip.py checks the same in a real worker process through a real database outage."""

import logging
import re

import pytest
from django.db import OperationalError
from django.test import Client

from lawsite.middleware import RequestIDLogFilter
from outbox import jobs, rounds

ROUND_ID = re.compile(r"^worker-[0-9a-f]{12}$")


def worker_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name.startswith("outbox")]


def test_a_round_that_keeps_failing_is_logged_once_with_one_traceback_then_once_when_it_works(caplog):
    caplog.set_level(logging.INFO)
    loop = rounds.Rounds()

    def database_away():
        raise OperationalError("connection refused")

    for _ in range(5):
        assert loop.run(database_away) is None
    assert loop.failures == 5
    assert loop.run(lambda: {"sent": 1}) == {"sent": 1}
    assert loop.run(lambda: {}) == {}

    logged = worker_records(caplog)
    assert [record.levelname for record in logged] == ["WARNING", "INFO"]
    failed, back = logged
    assert failed.exc_info is not None and "OperationalError" in failed.getMessage()
    assert caplog.text.count("Traceback") == 1
    assert back.getMessage().startswith("outbox worker: working again after 5 failed round(s)")


def test_a_bug_in_a_round_is_an_error_not_a_warning(caplog):
    rounds.Rounds().run(lambda: 1 / 0)
    assert [record.levelname for record in worker_records(caplog)] == ["ERROR"]


def test_a_failing_job_is_logged_once_until_it_works_again(caplog):
    caplog.set_level(logging.INFO)
    broken = True

    def job():
        if broken:
            raise RuntimeError("the job's own trouble")

    for _ in range(4):
        jobs.run("tests.job", job)
    broken = False
    jobs.run("tests.job", job)
    jobs.run("tests.job", job)

    logged = worker_records(caplog)
    assert [record.levelname for record in logged] == ["ERROR", "INFO"]
    assert caplog.text.count("Traceback") == 1
    assert logged[1].getMessage() == "outbox job tests.job works again after 4 failed run(s)"


@pytest.mark.django_db
def test_each_round_logs_under_its_own_id_even_after_a_job_rendered_a_page():
    log_filter = RequestIDLogFilter()

    def ids_of(line: str) -> str:
        record = logging.LogRecord("outbox.worker", logging.INFO, __file__, 1, line, None, None)
        log_filter.filter(record)
        return record.request_id

    def round_body():
        before = ids_of("before the job")
        response = Client().get("/robots.txt")  # as the archive job renders pages through Django
        assert response.headers["X-Request-ID"]
        return before, ids_of("after the job"), response.headers["X-Request-ID"]

    loop = rounds.Rounds()
    first_before, first_after, request_id = loop.run(round_body)
    second_before, second_after, _ = loop.run(round_body)
    assert ROUND_ID.match(first_before) and first_after == first_before  # not the page's request id
    assert request_id not in {first_after, second_before}
    assert second_before != first_before  # a fresh id every round
    assert rounds.current() == ""  # nothing set in a round outlives it
