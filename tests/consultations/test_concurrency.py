"""Several app processes and workers at once, as in production: nothing lost, nothing sent twice."""

import json
import re
import threading
import urllib.parse
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar

import pytest

from consultations.models import ConsultationRequest
from outbox.models import OutboundEmail
from tests.consultations.conftest import valid_data
from tests.consultations.processes import manage, python

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 50


def submit_over_http(base_url: str, index: int, barrier: threading.Barrier, results: list):
    """One visitor: load the form (cookie + token), wait for the others, then send it."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    forwarded = {"X-Forwarded-For": f"203.0.113.{index}"}
    page = opener.open(urllib.request.Request(base_url + "/consultation/", headers=forwarded), timeout=30)
    html = page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    started = re.search(r'name="started" value="([^"]+)"', html).group(1)
    data = valid_data(
        name=f"Visitor {index}",
        email=f"visitor{index}@example.org",
        started=started,
        csrfmiddlewaretoken=token,
    )
    body = urllib.parse.urlencode(data).encode()
    barrier.wait(timeout=60)
    request = urllib.request.Request(base_url + "/consultation/", data=body, headers=forwarded, method="POST")
    try:
        response = opener.open(request, timeout=60)
        results.append((index, response.status, response.url))
    except urllib.error.HTTPError as exc:
        results.append((index, exc.code, exc.read()[:300]))


def test_fifty_simultaneous_visitors_give_fifty_requests_and_a_hundred_emails_exactly_once(
    live_server, settings, smtp_server
):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # distinct clients arrive through our proxy on loopback
    settings.CONSULTATION_MIN_FILL_SECONDS = 0
    # Django's test server listens with a backlog of 10; a burst of 50 connections overflows it. Production
    # runs gunicorn (backlog 2048), so give the test server a realistic queue.
    live_server.thread.httpd.socket.listen(128)
    barrier = threading.Barrier(CLIENTS)
    results: list = []
    threads = [
        threading.Thread(target=submit_over_http, args=(live_server.url, i, barrier, results))
        for i in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(status for _, status, _ in results) == [200] * CLIENTS, results  # 303 followed to thanks
    assert all("/consultation/thanks/?r=" in url for _, _, url in results)
    assert ConsultationRequest.objects.filter(status="new").count() == CLIENTS
    assert OutboundEmail.objects.filter(state="pending").count() == 2 * CLIENTS

    # Two worker processes drain the outbox at the same time.
    email_url = f"smtp://127.0.0.1:{smtp_server.port}?timeout=10"
    workers = [
        manage("run_outbox_worker", "--once", "--batch-size", "5", EMAIL_URL=email_url) for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=180) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert all("sent=" in out for out, _ in outputs), outputs  # both took a share of the work

    assert OutboundEmail.objects.filter(state="sent").count() == 2 * CLIENTS
    assert len(smtp_server.messages) == 2 * CLIENTS
    message_ids = Counter(message["Message-ID"] for _, message in smtp_server.messages)
    assert len(message_ids) == 2 * CLIENTS and max(message_ids.values()) == 1
    recipients = Counter(tuple(rcpt) for rcpt, _ in smtp_server.messages)
    assert recipients[("intake@example.com",)] == CLIENTS
    assert all(recipients[(f"visitor{i}@example.org",)] == 1 for i in range(CLIENTS))


SUBMIT_FROM_ANOTHER_PROCESS = """
import json, sys
import django
django.setup()
from django.test import Client
client = Client(REMOTE_ADDR="198.51.100.23")
for data in json.loads(sys.argv[1]):
    print("STATUS", client.post("/consultation/", data, HTTP_HOST="127.0.0.1").status_code)
"""


def test_rate_limit_holds_across_processes(client, settings):
    """Three requests here and two from another process (its own database connection) fill the limit."""
    settings.CONSULTATION_RATE_LIMIT = 5
    here = {"REMOTE_ADDR": "198.51.100.23"}
    for _ in range(3):
        assert client.post("/consultation/", valid_data(), **here).status_code == 303
    payload = json.dumps([valid_data(), valid_data(), valid_data()])
    other = python(SUBMIT_FROM_ANOTHER_PROCESS, payload, CONSULTATION_RATE_LIMIT="5")
    assert other.returncode == 0, other.stderr
    statuses = [line.split()[1] for line in other.stdout.splitlines() if line.startswith("STATUS ")]
    assert statuses == ["303", "303", "429"]
    assert client.post("/consultation/", valid_data(), **here).status_code == 429
    assert ConsultationRequest.objects.count() == 5
