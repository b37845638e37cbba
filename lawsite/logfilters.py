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
