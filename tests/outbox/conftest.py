# The outbox's tests send through the consultation form and a real SMTP server (aiosmtpd): the same fixtures,
# including the time-limits table the firm's email reads its deadline flags from (re-created for every test that
# uses the database: a transactional test elsewhere may have emptied it, which made this suite order-dependent).
from tests.consultations.conftest import _time_limits_table, smtp_port, smtp_server  # noqa: F401
