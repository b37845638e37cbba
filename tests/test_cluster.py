"""Two app servers behind the shipped nginx site, sharing one PostgreSQL and one Redis, with two outbox workers.

Everything runs on 127.0.0.1 free ports as the current user: nginx (Debian's, running deploy/nginx/lawsite.conf
with only its addresses and paths moved by scripts/edge.py: config, pid, logs, cache and temp files in
tmp_path), two gunicorn nodes with production settings, a private redis-server (never the machine's shared
one), two `run_outbox_worker` processes and an aiosmtpd server. Every process is stopped in `finally`, by
process group. It proves what README "Running several app servers" and "The edge cache" promise.
"""

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter

import pytest
from django.db import transaction

from articles.approval import record_approval
from consultations.models import ConsultationRequest
from outbox.models import OutboundEmail
from scripts import processes
from scripts.edge import SITE_HOST, Edge
from tests.consultations.conftest import SMTPServer, valid_data
from tests.factories import ArticleFactory, PracticeAreaFactory
from tests.helpers import live_database_url
from tests.test_production_smoke import fetch, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.smoke]

LOAD_REQUESTS = 2000


@pytest.fixture(scope="module", autouse=True)
def collected_static():
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=processes.BASE_DIR,
        env=processes.production_env(),
        check=True,
        timeout=120,
    )


class Node:
    """One app server: gunicorn with production settings on its own port."""

    def __init__(self, env: dict, log_dir):
        self.env, self.log_dir = env, log_dir
        self.port = processes.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        self.process = processes.start_gunicorn(
            self.env, self.port, log_path=self.log_dir / f"node-{self.port}.log"
        )

    def kill(self):
        os.killpg(self.process.pid, 9)  # SIGKILL: a crash, not a polite shutdown
        self.process.wait(timeout=20)

    def stop(self):
        if self.process is not None:
            processes.stop(self.process)


def run_load(url_paths: list[str], total: int, threads: int, on_progress=None, headers=None) -> Counter:
    """GET the paths round-robin from `threads` threads until `total` requests are done; count outcomes."""
    outcomes: Counter = Counter()
    lock = threading.Lock()
    done = [0]

    def client():
        while True:
            with lock:
                if done[0] >= total:
                    return
                n = done[0]
                done[0] += 1
            try:
                request = urllib.request.Request(url_paths[n % len(url_paths)], headers=headers or {})
                with urllib.request.urlopen(request, timeout=20) as response:
                    response.read()
                    outcome = response.status
            except urllib.error.HTTPError as error:
                outcome = error.code
            except OSError as error:
                outcome = type(error).__name__
            with lock:
                outcomes[outcome] += 1
            if on_progress:
                on_progress(n)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return outcomes


def post_consultation(base: str, n: int, host: str | None = None) -> int:
    """Fill in and send the form at `base` (through nginx: with its Host name, as a browser would)."""
    named = {"Host": host} if host else {}
    origin = f"http://{host}" if host else base
    status, headers, html = fetch(base + "/consultation/", named)
    assert status == 200
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    data = valid_data(
        csrfmiddlewaretoken=re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1),
        started=re.search(r'name="started" value="([^"]+)"', html).group(1),
        name=f"Cluster Visitor {n}",
        email=f"visitor{n}@example.org",
    )
    request = urllib.request.Request(
        base + "/consultation/",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Cookie": cookie, "Origin": origin, "Referer": origin + "/consultation/", **named},
        method="POST",
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_nodes_behind_the_edge_share_edits_survive_lost_nodes_and_redis_and_send_each_email_once(
    tmp_path,
):
    PracticeAreaFactory(slug="cluster-area", name="Medical malpractice")
    article = ArticleFactory(slug="cluster-article", title="The title before the edit")
    smtp = SMTPServer(processes.free_port())
    redis_port = processes.free_port()
    started: list = []
    nodes: list[Node] = []
    redis = edge = None
    try:
        smtp.start()
        redis = processes.start_redis(redis_port)
        env = processes.production_env(
            DATABASE_URL=live_database_url(),
            DJANGO_ALLOWED_HOSTS=f"127.0.0.1,{SITE_HOST}",
            REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
            DJANGO_CACHE_KEY_PREFIX=f"cluster-{uuid.uuid4().hex[:8]}",
            DJANGO_CACHE_RETRY_SECONDS="1",
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}?timeout=5",
            CONSULTATION_MIN_FILL_SECONDS="0",
            CONSULTATION_RATE_LIMIT="1000",
            DJANGO_LOG_LEVEL="WARNING",
        )
        nodes = [Node(env, tmp_path), Node(env, tmp_path)]
        for node in nodes:
            node.start()
        for _ in range(2):
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "run_outbox_worker", "--interval", "0.2"],
                cwd=processes.BASE_DIR,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            started.append(worker)
        edge = Edge(tmp_path / "nginx", [node.port for node in nodes]).start()
        proxy = edge.url
        named = {"Host": SITE_HOST}  # the shipped site answers only its own name

        def get(base: str, path: str):
            return fetch(base + path, named if base == proxy else None)

        # 1. An edit through the ORM shows on the very next request to each node, and through the edge
        #    cache (which keeps a page 1-2 s: nginx counts whole seconds) within 2 s.
        url = article.get_absolute_url()
        for base in [node.base for node in nodes]:
            for _ in range(4):  # every worker of every node renders it, then serves it from Redis
                status, headers, body = get(base, url)
                assert status == 200 and "The title before the edit" in body
        assert headers["X-Page-Cache"] == "hit"
        assert get(proxy, url)[0] == 200
        status, headers, body = get(proxy, url)
        assert (status, headers["X-Edge-Cache"]) == (200, "HIT") and "The title before the edit" in body
        article.title = "The title after the edit"
        with transaction.atomic():  # edited and approved at once: the workers never see it awaiting approval
            article.save()
            record_approval(obj=article, approved_by=article.reviewed_by)  # readers see approved text only
        approved = time.monotonic()
        for node in nodes:
            for _ in range(4):
                status, _, body = get(node.base, url)
                assert status == 200 and "The title after the edit" in body, node.base
        while "The title after the edit" not in get(proxy, url)[2] and time.monotonic() < approved + 5:
            time.sleep(0.02)
        delay = time.monotonic() - approved
        print(f"cluster: the approved edit reached readers through the edge after {delay:.2f}s")
        assert delay <= 2.5, delay
        for _ in range(4):
            assert "The title after the edit" in get(proxy, url)[2]

        # 2. A bounded load through nginx while one node is killed and started again: no failed request.
        paths = [proxy + p for p in (url, "/", "/articles/", "/about/", "/practice-areas/cluster-area/")]
        events: list[str] = []
        chaos_lock = threading.Lock()

        def chaos(n):
            if n < 400 or not chaos_lock.acquire(blocking=False):
                return
            try:  # one client thread does this while the seven others keep loading the site
                if not events:
                    nodes[0].kill()
                    events.append("killed")
                elif n >= 1000 and events == ["killed"]:
                    nodes[0].start()  # returns once it answers
                    events.append("restarted")
            finally:
                chaos_lock.release()

        began = time.monotonic()
        outcomes = run_load(paths, LOAD_REQUESTS, threads=8, on_progress=chaos, headers=named)
        print(
            f"cluster: {LOAD_REQUESTS} requests with a node killed and restarted in "
            f"{time.monotonic() - began:.1f}s: {dict(outcomes)}"
        )
        assert events == ["killed", "restarted"]
        assert outcomes == Counter({200: LOAD_REQUESTS}), outcomes
        assert fetch(nodes[0].base + "/healthz")[0] == 200

        # 3. 50 form posts spread over both nodes (directly and through nginx): each stored once, emailed once.
        bases = [node.base for node in nodes] + [proxy]
        posts = [
            post_consultation(bases[n % 3], n, host=SITE_HOST if bases[n % 3] == proxy else None)
            for n in range(50)
        ]
        assert posts == [303] * 50
        assert ConsultationRequest.objects.count() == 50
        assert OutboundEmail.objects.count() == 100
        assert wait_for(lambda: len(smtp.messages) >= 100, 60), len(smtp.messages)
        time.sleep(1)  # two workers: nothing arrives twice
        assert len(smtp.messages) == 100
        assert len({message["Message-ID"] for _, message in smtp.messages}) == 100
        assert set(OutboundEmail.objects.values_list("state", flat=True)) == {OutboundEmail.State.SENT}

        # 4. Redis stops in the middle of a load: still no failed request, and the nodes say "degraded".
        def stop_redis(n):
            if n >= 150 and redis.poll() is None and chaos_lock.acquire(blocking=False):
                try:
                    processes.stop(redis)
                finally:
                    chaos_lock.release()

        outcomes = run_load(paths, 500, threads=8, on_progress=stop_redis, headers=named)
        print(f"cluster: 500 requests with Redis stopped mid-run: {dict(outcomes)}")
        assert redis.poll() is not None
        assert outcomes == Counter({200: 500}), outcomes
        for node in nodes:
            status, _, body = fetch(node.base + "/healthz")
            assert status == 200 and json.loads(body)["cache"] == "degraded"
        # ... and an edit still shows at once on both nodes, served from each process's memory meanwhile.
        article.title = "The title while Redis is down"
        article.save()
        record_approval(obj=article, approved_by=article.reviewed_by)
        for node in nodes:
            for _ in range(4):
                status, _, body = get(node.base, url)
                assert status == 200 and "The title while Redis is down" in body, node.base
        assert wait_for(lambda: "The title while Redis is down" in get(proxy, url)[2], 3)

        # 5. Every app server goes down: readers still get the pages the edge keeps (for at most the
        #    pages' stale-if-error, 10 minutes; tests/test_edge.py checks the bound), and no error.
        for path in ("/", "/about/", url):
            assert get(proxy, path)[0] == 200
        for node in nodes:
            node.kill()
        time.sleep(2.1)  # every copy has expired: nginx must ask, fail, and fall back on its copy
        outcomes = Counter()
        for _ in range(20):
            for path in ("/", "/about/", url):
                status, headers, body = get(proxy, path)
                outcomes[status, headers.get("X-Edge-Cache")] += 1
        print(f"cluster: 60 requests with every app server down: {dict(outcomes)}")
        assert outcomes == Counter({(200, "STALE"): 60}), outcomes
        assert "The title while Redis is down" in get(proxy, url)[2]
    finally:
        if edge is not None:
            edge.stop()
        for process in started:
            processes.stop(process)
        for node in nodes:
            node.stop()
        if redis is not None:
            processes.stop(redis)
        smtp.stop()
