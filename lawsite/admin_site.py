from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class StaffOTPAuthenticationForm(OTPAdminAuthenticationForm):
    """Sign-in with password and code in one step when the user has a single authenticator.

    django-otp asks the user to pick a device from a list that only appears after a first failed
    submission; with one device there is nothing to choose.
    """

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user, confirmed=True, for_verify=True))
            if len(devices) == 1:
                return devices[0]
        return device


class StaffOTPAdminSite(OTPAdminSite):
    login_form = StaffOTPAuthenticationForm
