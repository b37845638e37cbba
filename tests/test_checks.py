from lawsite.checks import check_firm_identity
from lawsite.mailers import parse_email_url


def test_deploy_check_warns_until_a_street_address_and_real_emails_are_set(settings):
    settings.FIRM = {**settings.FIRM, "address": "New York, NY"}
    settings.FIRM_INTAKE_EMAILS = ["intake@example.com"]
    ids = [warning.id for warning in check_firm_identity(None)]
    assert "lawsite.W001" in ids
    assert "lawsite.W002" in ids
    assert "lawsite.W003" in ids  # the test run's in-memory mailer is not an SMTP server


def test_deploy_check_is_quiet_with_real_values(settings):
    settings.FIRM = {**settings.FIRM, "address": "1 Example Plaza, New York, NY 10004"}
    settings.DEFAULT_FROM_EMAIL = "web@firm.example.org"
    settings.FIRM_INTAKE_EMAILS = ["intake@firm.example.org"]
    settings.FIRM_ALERT_EMAILS = ["alerts@firm.example.org"]
    settings.MAILERS = {"default": parse_email_url("smtp://mail.firm.example.org:587?starttls=1")}
    assert check_firm_identity(None) == []
