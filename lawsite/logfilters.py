import logging


class OneLineWarning(logging.Filter):
    """Turns an ERROR with a traceback into one WARNING line.

    For django.security.DisallowedHost: a request for a host name the site does not serve (a scanner trying
    the server's address, a stale DNS name) is answered 400 and is not a bug in the site, so it must not
    look like one in the log (Django logs it as an ERROR with a full traceback)."""

    def filter(self, record):
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.exc_info = record.exc_text = record.stack_info = None
        return True


class ExpectedOutage(logging.Filter):
    """One calm line per request refused because PostgreSQL is away, not a WARNING plus an ERROR.

    For django.request, which logs every 5xx answer as an ERROR. This site answers 503 only while the database is
    unreachable (lawsite/views.py: the 503 page, /healthz; the consultation form), and the code that answers it
    has already logged one WARNING: Django's ERROR for the same response is dropped. A database error noticed
    outside a view reaches the 503 page through handler500 with nobody having logged it: that one becomes the
    request's single WARNING line, without a traceback."""

    def filter(self, record):
        if getattr(record, "status_code", None) != 503:
            return True
        if not record.exc_info:
            return False
        error = record.exc_info[1]
        request = getattr(record, "request", None)
        record.msg = "database unavailable (%s) on %s %s: answered 503"
        record.args = (type(error).__name__, getattr(request, "method", "?"), getattr(request, "path", "?"))
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.exc_info = record.exc_text = record.stack_info = None
        return True
