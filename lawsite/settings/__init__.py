"""Settings for lawsite, driven by environment variables (.env.example lists them; README, Configuration),
one module per concern:

- core.py: the environment (read through lawsite/environment.py), DEBUG and the secrets, apps, middleware,
  templates, the database and the cache, languages, static and media files;
- security.py: the admin's sign-in (throttling, two-factor), sessions, passwords, security headers, the TLS proxy;
- site.py: the firm and its compliance switches, email, the consultation form, the outbox worker and the jobs
  the apps declare (OUTBOX_JOBS: the wiring), approval, the archive, the page cache, error reporting, logging.

Settings only configure. Importing them never stops the process: a missing production secret or a value that
cannot be read is a system check (lawsite/checks.py, lawsite.E060-E062), which `manage.py check --deploy` and
the server's start (lawsite/startup.py) refuse on, with one line naming the variable.
"""

from lawsite.settings.core import *  # noqa: F403
from lawsite.settings.security import *  # noqa: F403
from lawsite.settings.site import *  # noqa: F403
