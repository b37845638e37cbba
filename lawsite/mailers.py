"""Turn the single ``EMAIL_URL`` environment variable into Django 6.1 ``MAILERS``.

Forms accepted::

    console://                                   print messages to stdout (development)
    locmem://                                    keep messages in memory (tests)
    smtp://user:pass@host:587?starttls=1         SMTP, upgraded with STARTTLS
    smtp://host:25                               plain SMTP (a local relay)
    smtps://user:pass@host:465                   SMTP over implicit TLS

``timeout`` (seconds, default 10) may be added as a query parameter. User names and
passwords are percent-decoded, so ``@`` or ``:`` in a password can be written ``%40``/``%3A``.
"""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.mail.backends.base import BaseEmailBackend

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
SIMPLE_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class EmailURLError(ValueError):
    """EMAIL_URL cannot be understood; the message says why, without the password."""


def _flag(query: dict[str, list[str]], name: str) -> bool:
    value = query.get(name, ["0"])[-1].strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise EmailURLError(f"{name}={value!r} is not a yes/no value")


def parse_email_url(url: str) -> dict:
    """Return the ``MAILERS["default"]`` entry for ``url``."""
    url = (url or "").strip()
    if not url:
        raise EmailURLError("it is empty")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in SIMPLE_BACKENDS:
        return {"BACKEND": SIMPLE_BACKENDS[scheme]}
    if scheme not in {"smtp", "smtps"}:
        raise EmailURLError(
            f"unknown scheme {parts.scheme!r}; use console://, smtp://, smtps:// or locmem://"
        )
    try:
        host, port = parts.hostname, parts.port
    except ValueError as exc:  # a port that is not a number, or out of range
        raise EmailURLError("the port is not a number between 1 and 65535") from exc
    if not host:
        raise EmailURLError("an SMTP URL needs a host, e.g. smtp://mail.example.com:587")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = set(query) - {"starttls", "timeout"}
    if unknown:
        raise EmailURLError(f"unknown option(s) {', '.join(sorted(unknown))}")
    use_ssl = scheme == "smtps"
    use_tls = _flag(query, "starttls")
    if use_ssl and use_tls:
        raise EmailURLError("smtps:// already uses TLS; drop ?starttls=1")
    try:
        timeout = float(query.get("timeout", ["10"])[-1])
    except ValueError as exc:
        raise EmailURLError("timeout must be a number of seconds") from exc
    if timeout <= 0:
        raise EmailURLError("timeout must be a positive number of seconds")
    options = {
        "host": host,
        "port": port or (465 if use_ssl else 587 if use_tls else 25),
        "use_tls": use_tls,
        "use_ssl": use_ssl,
        "timeout": timeout,
    }
    if parts.username is not None:
        options["username"] = unquote(parts.username)
        options["password"] = unquote(parts.password or "")
    return {"BACKEND": SMTP_BACKEND, "OPTIONS": options}


class UnconfiguredEmailBackend(BaseEmailBackend):
    """The mailer while EMAIL_URL cannot be read: it sends nothing and says why (lawsite.E062 names the
    variable; the outbox keeps each email and tries again once EMAIL_URL is fixed)."""

    def send_messages(self, email_messages):
        raise OSError("EMAIL_URL is not valid, so nothing is sent: `manage.py check` says why")
