# lawsite — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# A .env file, if present, feeds the same variables as the real environment.
ifneq (,$(wildcard .env))
include .env
export
endif

# A development value for a fact only the firm can state (README, Configuration): production must set it.
export FIRM_CLIENT_PAYS_EXPENSES_IF_NO_RECOVERY ?= 0

PYTHON ?= $(shell command -v python3.13 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export XDG_RUNTIME_DIR ?= $(CURDIR)/var/run
# DATABASE_URL wins; otherwise the embedded cluster's socket in var/pgdata (started by scripts/devdb.py).
# Defined once, in lawsite/database_url.py; expanded only inside recipes.
DB_URL = $(shell DATABASE_URL='$(DATABASE_URL)' $(PYTHON) -m lawsite.database_url)
# A throwaway production-like environment for `check --deploy` and `make serve`.
PROD_ENV = DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$(cat var/secret_key)" \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DATABASE_URL='$(DB_URL)'
# Its placeholder names are on a made-up domain (.lawsite is no top-level domain), not on the reserved example
# domains (example.com/.org/.net, .test), which check --deploy refuses (lawsite/deploy_checks.py).
DEPLOY_ENV = $(PROD_ENV) DJANGO_ALLOWED_HOSTS=www.deploy-check.lawsite DJANGO_BEHIND_TLS_PROXY=1 \
	SITE_URL=https://www.deploy-check.lawsite \
	EMAIL_URL='smtp://mailer:secret@smtp.deploy-check.lawsite:587?starttls=1' \
	DEFAULT_FROM_EMAIL=web@deploy-check.lawsite FIRM_INTAKE_EMAILS=intake@deploy-check.lawsite \
	FIRM_ALERT_EMAILS=alerts@deploy-check.lawsite FIRM_EMAIL=info@deploy-check.lawsite \
	FIRM_ADDRESS='1 Example Plaza, New York, NY 10004'

.PHONY: help run test serve bench audit lint format check db venv chromium nginx redis age wrk gettext translations \
	messages clean

help:
	@echo "make run    - set up everything and serve the site with demo content at http://127.0.0.1:8000/"
	@echo "make test   - set up everything and run every check (lint, Django checks, pytest with browser tests)"
	@echo "make serve  - gunicorn with production settings on 127.0.0.1:8000"
	@echo "make bench  - load test under gunicorn (production settings) and print ratios to a baseline"
	@echo "make audit  - Lighthouse (mobile) on the home page, an article and the form"
	@echo "make messages - collect new interface text into locale/es/LC_MESSAGES/django.po (then translate it)"
	@echo "make lint | make format"

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else "lawsite needs Python 3.13 (see .python-version)")'
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(STAMP)

var/secret_key:
	mkdir -p var
	$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(64))' > $@
	chmod 600 $@

db: venv var/secret_key
	mkdir -p var/staticfiles var/media
	$(PY) -m scripts.devdb

chromium:
	@[ -x /usr/bin/chromium ] || { echo "Installing Debian chromium for the browser tests"; \
		$(SUDO) apt-get install -y chromium || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }; }

gettext:
	@command -v msgfmt >/dev/null || { echo "Installing Debian gettext (msgfmt) for the Spanish translations"; \
		$(SUDO) apt-get install -y gettext || { $(SUDO) apt-get update && $(SUDO) apt-get install -y gettext; }; }

# The Spanish site's text and addresses come from locale/*/LC_MESSAGES/django.po, compiled here to .mo
# (not committed; `manage.py check` fails while a .mo is missing or older than its .po).
I18N_IGNORE = --ignore=.venv --ignore=node_modules --ignore=var
translations: venv gettext
	DJANGO_DEBUG=1 $(MANAGE) compilemessages $(I18N_IGNORE) --verbosity 0

# makemessages reads Django templates and Python only: the public pages' Jinja2 templates (templates/jinja2/)
# reach it as gettext calls in a generated Python file (scripts/jinja2_messages.py), deleted afterwards.
JINJA2_MESSAGES = templates/jinja2_messages.py
messages: venv gettext
	$(PY) -m scripts.jinja2_messages $(JINJA2_MESSAGES)
	DJANGO_DEBUG=1 $(MANAGE) makemessages --locale es --no-wrap --no-obsolete --extension html,txt,py \
		$(I18N_IGNORE) --ignore=tests --ignore=scripts --ignore=templates/admin --ignore=templates/jinja2 \
		|| { rm -f $(JINJA2_MESSAGES); exit 1; }
	$(PY) -m scripts.jinja2_messages --locations $(JINJA2_MESSAGES) locale/es/LC_MESSAGES/django.po \
		|| { rm -f $(JINJA2_MESSAGES); exit 1; }
	rm -f $(JINJA2_MESSAGES)

# The cluster and deployment tests run a real nginx (loopback only, as the current user, in a temp dir) and
# private redis-server processes on free ports. Debian starts no service for them in a container; where
# systemd is running, the packaged nginx service is stopped again (the tests never use it).
nginx:
	@[ -x /usr/sbin/nginx ] || { echo "Installing Debian nginx-light for the cluster tests"; \
		$(SUDO) apt-get install -y nginx-light || { $(SUDO) apt-get update && $(SUDO) apt-get install -y nginx-light; }; \
		! command -v systemctl >/dev/null || $(SUDO) systemctl disable --now nginx 2>/dev/null || true; }

age:
	@command -v age >/dev/null || { echo "Installing Debian age for the backup tests"; \
		$(SUDO) apt-get install -y age || { $(SUDO) apt-get update && $(SUDO) apt-get install -y age; }; }

redis:
	@command -v redis-server >/dev/null || { echo "Installing Debian redis-server for the cache tests"; \
		$(SUDO) apt-get install -y redis-server || { $(SUDO) apt-get update && $(SUDO) apt-get install -y redis-server; }; \
		! command -v systemctl >/dev/null || $(SUDO) systemctl disable --now redis-server 2>/dev/null || true; }

run: db translations
	DJANGO_DEBUG=1 $(MANAGE) migrate --noinput
	DJANGO_DEBUG=1 $(MANAGE) setup_site
	@echo "Serving http://127.0.0.1:8000/ (Ctrl-C stops the server and the email worker)"
	DJANGO_DEBUG=1 $(MANAGE) run_outbox_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: lint db translations
	DJANGO_DEBUG=1 $(MANAGE) check --fail-level WARNING
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

test: check chromium nginx redis age
	DJANGO_DEBUG=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

serve: db translations
	$(PROD_ENV) $(MANAGE) migrate --noinput
	$(PROD_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(PROD_ENV) $(VENV)/bin/gunicorn -c gunicorn.conf.py lawsite.wsgi

wrk:
	@command -v wrk >/dev/null || { echo "Installing wrk for the benchmark"; \
		$(SUDO) apt-get install -y wrk || { $(SUDO) apt-get update && $(SUDO) apt-get install -y wrk; }; }

bench: db wrk nginx translations
	DJANGO_DEBUG=1 $(MANAGE) migrate --noinput
	DJANGO_DEBUG=1 $(MANAGE) setup_site
	$(PROD_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	DATABASE_URL='$(DB_URL)' $(PY) -m scripts.bench $(BENCH_ARGS)

node_modules/.installed: package.json package-lock.json
	npm install --no-audit --no-fund  # `npm ci` trips over this registry mirror's lock files
	touch $@

audit: db node_modules/.installed chromium translations
	DJANGO_DEBUG=1 $(MANAGE) migrate --noinput
	DJANGO_DEBUG=1 $(MANAGE) setup_site
	$(PROD_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	DATABASE_URL='$(DB_URL)' $(PY) -m scripts.audit

clean:
	-$(PY) -m scripts.devdb --stop
	rm -rf $(VENV) var
