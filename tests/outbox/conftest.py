# The outbox's tests send through the consultation form and a real SMTP server (aiosmtpd): the same fixtures.
from tests.consultations.conftest import smtp_port, smtp_server  # noqa: F401
