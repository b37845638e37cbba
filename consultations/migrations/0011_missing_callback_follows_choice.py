"""The "missing callback details" flag follows the visitor's chosen way of contact (an email-only request
that gave an email is complete): stored flags are worked out again the same way as
ConsultationRequest.compute_flags now does."""

from django.db import migrations

RECOMPUTE = """
UPDATE consultations_consultationrequest
SET is_missing_callback = purged_at IS NULL AND CASE contact_method
    WHEN 'phone' THEN phone = ''
    WHEN 'email' THEN email = ''
    ELSE phone = '' AND email = ''
END
"""
PREVIOUS = "UPDATE consultations_consultationrequest SET is_missing_callback = purged_at IS NULL AND phone = ''"


class Migration(migrations.Migration):
    dependencies = [("consultations", "0010_what_and_who")]

    operations = [migrations.RunSQL(RECOMPUTE, PREVIOUS, elidable=True)]
