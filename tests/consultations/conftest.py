import importlib
import time
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.core import signing

from consultations.forms import TIMER_SALT
from scripts.processes import free_port


@pytest.fixture(autouse=True)
def _time_limits_table(request):
    """Intake's deadlines come from the time-limits table: every test here that uses the database gets it as
    the migration seeds it (re-created where a transactional test emptied it), its rules approved."""
    uses_database = {"db", "transactional_db", "client", "admin_client", "live_server"} & set(
        request.fixturenames
    )
    if uses_database or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("time_limits")


def timer_token(seconds_ago: float = 60) -> str:
    """A genuine form timer, as if the form had been shown `seconds_ago`."""
    return signing.dumps({"t": time.time() - seconds_ago}, salt=TIMER_SALT, compress=False)


WHAT_HAPPENED = "After my knee surgery at the hospital an infection was missed for two weeks."
OTHER_PARTIES = "Dr. Example; Riverside Surgical Group"


def medical_malpractice():
    """The practice area the sample visitor chooses (created if missing: the form offers the database's areas)."""
    from tests.factories import PracticeAreaFactory

    return PracticeAreaFactory(slug="medical-malpractice", name="Medical malpractice")


def valid_data(**overrides) -> dict:
    data = {
        "name": "Maria Alvarez",
        "phone": "212-555-0147",
        "email": "maria@example.org",
        "contact_method": "phone",
        "best_time": "morning",
        "what": "medical",
        "who": "private",
        "what_happened": WHAT_HAPPENED,
        "incident_date": "2025-06-02",
        "other_parties": OTHER_PARTIES,
        "consent": "on",
        "website": "",
        "started": timer_token(),
        "article": "",
    }
    data.update(overrides)
    return data


class RecordingHandler:
    """An aiosmtpd handler that keeps every accepted message and refuses chosen recipients with 550."""

    def __init__(self):
        self.messages = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, port: int):
        self.port = port
        self.handler = RecordingHandler()
        self.controller = None

    @property
    def messages(self):
        return self.handler.messages

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


def smtp_mailer(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp_server(smtp_port, settings):
    """A real SMTP server on 127.0.0.1, with MAILERS pointing at it (the test env swaps in locmem)."""
    server = SMTPServer(smtp_port)
    server.start()
    settings.MAILERS = smtp_mailer(smtp_port)
    yield server
    server.stop()


@pytest.fixture
def intake_group(db) -> Group:
    """The group the data migration creates. Transactional tests elsewhere flush the database, which
    empties it, so it is re-created here by the migration's own function (idempotent)."""
    migration = importlib.import_module("consultations.migrations.0002_intake_group")
    migration.create_intake_group(django_apps, None)
    return Group.objects.get(name="Intake")


@pytest.fixture
def intake_user(django_user_model, intake_group):
    user = django_user_model.objects.create_user("ida", "ida@example.org", "pw-intake-123456", is_staff=True)
    user.groups.add(intake_group)
    return user


@pytest.fixture
def editor_user(django_user_model):
    """Staff with only article permissions: what the Editors group will hold."""
    user = django_user_model.objects.create_user("ed", "ed@example.org", "pw-editor-1234567", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="articles"))
    return user
