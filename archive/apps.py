from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """The advertising archive: dated copies of every public page (archive/capture.py). It sits above the other
    apps (it captures the pages of both); only the wiring (lawsite/) and the worker's job list name it."""

    name = "archive"
    verbose_name = "Advertising archive"

    def ready(self):
        from archive import emails

        emails.register()  # the capture-failure alert, sent through the outbox
