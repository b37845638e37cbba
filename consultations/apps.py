from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"

    def ready(self):
        from consultations import emails

        emails.register()  # the kinds of email this app sends through the outbox
