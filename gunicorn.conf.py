"""gunicorn settings for `make serve` and production. Override with GUNICORN_* env vars."""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "sync"
# One sync worker per core: Django pages are CPU-bound and PostgreSQL answers in well under a millisecond.
# Measured (`make bench`, page cache off, 2 cores, one run each): 3 workers gave no consistent gain (article,
# list and home 10-17% slower, search 3% and /time-limits/ 11% faster); 4 workers made every page 15-35% slower.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# The master imports Django and warms each process's caches once (when_ready below); workers are forked
# from it ready to serve. Without this, every recycled worker re-imported the project, re-hashed the build id
# and re-compiled templates while requests queued behind it: that was the p99 spike (README "Speed").
preload_app = True
# Recycling only guards against slow leaks. At the 2,000+ requests a second a worker serves cached pages,
# 5,000 meant a restart every few seconds; now it is rare, and the jitter keeps workers from restarting
# together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "200000"))
max_requests_jitter = max_requests // 5
# Each worker touches a heartbeat file on every loop; on a disk-backed /tmp that metadata write can stall
# behind the filesystem journal (a latency spike). Keep it in memory where there is a /dev/shm.
if os.access("/dev/shm", os.W_OK):  # noqa: S108 (a tmpfs for the heartbeat file, not for data)
    worker_tmp_dir = "/dev/shm"  # noqa: S108
accesslog = "-"
errorlog = "-"
# %(U)s is the path without the query string, so search terms and ?article= never reach the log;
# no client address either (it is personal data).
access_log_format = '"%(m)s %(U)s %(H)s" %(s)s %(B)sB %(M)sms id=%({x-request-id}o)s'
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 25+ opens a control socket at one fixed per-user path; several instances on one machine (tests,
# `make bench`) would fight over it, and we manage the process with signals and the process manager instead.
control_socket_disable = True


def when_ready(server):
    """Runs in the master after the app is loaded (preload_app), before any worker is forked."""
    from django.db import connections
    from django.template import engines

    from articles.page_cache import build_id
    from consultations.forms import practice_areas

    build_id()  # hashes the code and templates: once here, not in every new worker
    # The form's last known practice areas (consultations/forms.py): a worker forked while PostgreSQL is away
    # still has them.
    practice_areas(share=False)
    # Compiled once; every worker inherits the compiled templates (the public pages are Jinja2 ones,
    # templates/jinja2/: its environment keeps what it compiled).
    environment = engines["jinja2"].env
    for name in WARM_TEMPLATES:
        environment.get_template(name)
    connections.close_all()  # a forked worker must never share the master's database socket
    # Keep the imported modules out of the cyclic GC's sight: fewer, shorter collections in the workers and
    # no copy-on-write of pages the collector would otherwise touch.
    gc.freeze()


WARM_TEMPLATES = (
    "base.html",
    "includes/header.html",
    "includes/language_switch.html",
    "includes/footer.html",
    "includes/call_bar.html",
    "includes/cta.html",
    "includes/article_card.html",
    "includes/portrait.html",
    "includes/team_card.html",
    "pages/home.html",
    "articles/article_detail.html",
    "articles/article_list.html",
    "articles/practicearea_detail.html",
    "articles/search.html",
    "articles/time_limits.html",
    "consultations/consultation_form.html",
    "404.html",
    "500.html",
    "503.html",
)
