from django import forms
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class StaffOTPAuthenticationForm(OTPAdminAuthenticationForm):
    """Sign-in with password and code in one step, worded for firm staff rather than for engineers.

    django-otp asks the user to pick a device from a list that only appears after a first failed
    submission; with one device there is nothing to choose.
    """

    otp_token = forms.CharField(
        required=False,
        max_length=8,
        label="Code from your authenticator app",
        help_text="The 6-digit code your phone shows for this site. It changes every 30 seconds.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "aria-describedby": "id_otp_token_helptext",
            }
        ),
    )
    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": "Please enter the 6-digit code from your authenticator app.",
        "invalid_token": "That code did not match. Codes change every 30 seconds: try the one shown now.",
    }

    def clean_otp(self, user):
        # Only reached after the password was accepted, so this tells nothing to someone guessing.
        if user is not None and not any(devices_for_user(user, confirmed=True)):
            raise forms.ValidationError(
                "This account has no authenticator app set up yet, so it cannot sign in here. Ask an "
                "administrator to add one for you (in this admin: TOTP devices, then Add, then show you its "
                "QR code), or the person who runs the server (manage.py enrol_totp %(username)s).",
                code="no_device",
                params={"username": user.get_username()},
            )
        super().clean_otp(user)

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user, confirmed=True, for_verify=True))
            if len(devices) == 1:
                return devices[0]
        return device


class StaffOTPAdminSite(OTPAdminSite):
    login_form = StaffOTPAuthenticationForm
    login_template = "admin/login_2fa.html"
