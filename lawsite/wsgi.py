"""The WSGI entry point (gunicorn, gunicorn.conf.py): it refuses to start in a bad environment (lawsite/startup.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawsite.settings")
application = get_wsgi_application()

from lawsite.startup import refuse_bad_environment  # noqa: E402 (needs the apps loaded above)

refuse_bad_environment()
