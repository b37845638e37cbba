"""Two app servers behind a real nginx, sharing one PostgreSQL and one Redis, with two outbox workers.

Everything runs on 127.0.0.1 free ports as the current user: nginx (Debian's, `daemon off`, config, pid,
logs and temp files in tmp_path), two gunicorn nodes with production settings, a private redis-server (never
the machine's shared one), two `run_outbox_worker` processes and an aiosmtpd server. Every process is
stopped in `finally`, by process group. It proves what README "Running several app servers" promises.
"""

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
from tests.consultations.conftest import SMTPServer, valid_data
from tests.factories import ArticleFactory, PracticeAreaFactory
from tests.helpers import live_database_url
from tests.test_deploy import nginx_main_config
from tests.test_production_smoke import fetch, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.smoke]

NGINX = "/usr/sbin/nginx"
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


def nginx_site(listen: int, upstreams: list[int]) -> str:
    """The proxy part of deploy/nginx/lawsite.conf, on loopback ports and without TLS."""
    servers = "\n".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;" for port in upstreams)
    return f"""
upstream lawsite_app {{
{servers}
    keepalive 16;
}}
server {{
    listen 127.0.0.1:{listen};
    server_name 127.0.0.1;
    client_max_body_size 5m;
    location / {{
        proxy_pass http://lawsite_app;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host:$server_port;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Request-ID $request_id;
        proxy_connect_timeout 1s;
        proxy_read_timeout 20s;
        proxy_next_upstream error timeout http_502 http_503;
        proxy_next_upstream_tries 2;
    }}
}}
"""


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


def run_load(url_paths: list[str], total: int, threads: int, on_progress=None) -> Counter:
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
                with urllib.request.urlopen(url_paths[n % len(url_paths)], timeout=20) as response:
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


def post_consultation(base: str, n: int) -> int:
    status, headers, html = fetch(base + "/consultation/")
    assert status == 200
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    data = valid_data(
        practice_area=re.search(r'<option value="(\d+)"', html).group(1),
        csrfmiddlewaretoken=re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1),
        started=re.search(r'name="started" value="([^"]+)"', html).group(1),
        name=f"Cluster Visitor {n}",
        email=f"visitor{n}@example.org",
    )
    request = urllib.request.Request(
        base + "/consultation/",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Cookie": cookie, "Origin": base, "Referer": base + "/consultation/"},
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


def test_two_nodes_behind_nginx_share_edits_survive_a_lost_node_and_redis_and_send_each_email_once(tmp_path):
    PracticeAreaFactory(slug="cluster-area", name="Medical malpractice")
    article = ArticleFactory(slug="cluster-article", title="The title before the edit")
    smtp = SMTPServer(processes.free_port())
    redis_port = processes.free_port()
    started: list = []
    nodes: list[Node] = []
    redis = nginx = None
    try:
        smtp.start()
        redis = processes.start_redis(redis_port)
        env = processes.production_env(
            DATABASE_URL=live_database_url(),
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
        nginx_port = processes.free_port()
        (tmp_path / "site.conf").write_text(nginx_site(nginx_port, [node.port for node in nodes]))
        config = nginx_main_config(tmp_path, tmp_path / "site.conf")
        config.write_text("daemon off;\n" + config.read_text())
        nginx = subprocess.Popen(
            [NGINX, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        proxy = f"http://127.0.0.1:{nginx_port}"
        assert wait_for(lambda: fetch(proxy + "/healthz")[0] == 200, 20), (tmp_path / "error.log").read_text()
        bases = [node.base for node in nodes] + [proxy]

        # 1. An edit through the ORM shows on the very next request to each node, and through nginx.
        url = article.get_absolute_url()
        for base in bases:
            for _ in range(4):  # every worker of every node renders it, then serves it from Redis
                status, headers, body = fetch(base + url)
                assert status == 200 and "The title before the edit" in body
        assert headers["X-Page-Cache"] == "hit"
        article.title = "The title after the edit"
        with transaction.atomic():  # edited and approved at once: the workers never see it awaiting approval
            article.save()
            record_approval(
                article=article, approved_by=article.reviewed_by
            )  # readers see approved text only
        for base in bases:
            for _ in range(4):
                status, _, body = fetch(base + url)
                assert status == 200 and "The title after the edit" in body, base

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
        outcomes = run_load(paths, LOAD_REQUESTS, threads=8, on_progress=chaos)
        print(
            f"cluster: {LOAD_REQUESTS} requests with a node killed and restarted in "
            f"{time.monotonic() - began:.1f}s: {dict(outcomes)}"
        )
        assert events == ["killed", "restarted"]
        assert outcomes == Counter({200: LOAD_REQUESTS}), outcomes
        assert fetch(nodes[0].base + "/healthz")[0] == 200

        # 3. 50 form posts spread over both nodes (directly and through nginx): each stored once, emailed once.
        posts = [post_consultation(bases[n % 3], n) for n in range(50)]
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

        outcomes = run_load(paths, 500, threads=8, on_progress=stop_redis)
        print(f"cluster: 500 requests with Redis stopped mid-run: {dict(outcomes)}")
        assert redis.poll() is not None
        assert outcomes == Counter({200: 500}), outcomes
        for node in nodes:
            status, _, body = fetch(node.base + "/healthz")
            assert (status, body) == (200, '{"status": "ok", "cache": "degraded"}')
        # ... and an edit still shows at once on both nodes, served from each process's memory meanwhile.
        article.title = "The title while Redis is down"
        article.save()
        record_approval(article=article, approved_by=article.reviewed_by)
        for base in bases:
            for _ in range(4):
                status, _, body = fetch(base + url)
                assert status == 200 and "The title while Redis is down" in body, base
    finally:
        if nginx is not None and nginx.poll() is None:
            processes.stop(nginx)
        for process in started:
            processes.stop(process)
        for node in nodes:
            node.stop()
        if redis is not None:
            processes.stop(redis)
        smtp.stop()
