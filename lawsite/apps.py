from django.apps import AppConfig


class LawsiteConfig(AppConfig):
    name = "lawsite"
    verbose_name = "Site"

    def ready(self):
        from django.conf import settings

        from lawsite import checks  # noqa: F401  (registers the deploy checks)

        if settings.ADMIN_REQUIRE_2FA:
            from django.contrib import admin

            from lawsite.admin_site import StaffOTPAdminSite

            # django-otp's documented way to make the default admin site demand a verified device.
            admin.site.__class__ = StaffOTPAdminSite
