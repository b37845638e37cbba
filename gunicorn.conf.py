"""gunicorn settings for `make serve` and production. Override with GUNICORN_* env vars."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "sync"
# One sync worker per core: Django pages are CPU-bound and PostgreSQL answers in well under a millisecond.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
# %(U)s is the path without the query string, so search terms and ?article= never reach the log;
# no client address either (it is personal data).
access_log_format = '"%(m)s %(U)s %(H)s" %(s)s %(B)sB %(M)sms id=%({x-request-id}o)s'
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 25+ opens a control socket at one fixed per-user path; several instances on one machine (tests,
# `make bench`) would fight over it, and we manage the process with signals and the process manager instead.
control_socket_disable = True
