"""A job listed in settings.OUTBOX_JOBS that cannot be imported would only show as a log line in the worker, every
loop: refuse it at start instead."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


@register()
def jobs_are_importable(app_configs, **kwargs):
    errors = []
    for entry in getattr(settings, "OUTBOX_JOBS", []):
        try:
            path, every = entry
            import_string(path)
            float(every)
        except (ImportError, TypeError, ValueError) as error:
            errors.append(
                Error(
                    f"OUTBOX_JOBS has {entry!r}, which is not (an importable function, seconds): {error}",
                    id="outbox.E001",
                )
            )
    return errors
