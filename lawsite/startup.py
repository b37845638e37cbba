"""The server refuses to start in a bad environment (gunicorn and ASGI servers, through lawsite/wsgi.py and
lawsite/asgi.py).

It runs the system checks about the environment (tagged "environment" in lawsite/checks.py: values that could
not be read, and with DEBUG off the production ones, `deploy=True`: the secret key, the allowed hosts, the
database) and stops with one line per problem, before serving a single request. `manage.py check --deploy`
reports the same problems; build steps that run no checks (compilemessages, collectstatic) are not stopped.
"""

import sys

from django.conf import settings
from django.core import checks

from lawsite.checks import ENVIRONMENT

PREFIX = "lawsite: configuration error:"


def refusals() -> list[str]:
    """One line per serious problem of the environment, "" when there is none."""
    found = checks.run_checks(tags=[ENVIRONMENT], include_deployment_checks=not settings.DEBUG)
    return [
        f"{PREFIX} {message.msg} ({message.id})"
        for message in found
        if message.is_serious() and not message.is_silenced()
    ]


def refuse_bad_environment() -> None:
    if lines := refusals():
        sys.exit("\n".join(lines))
