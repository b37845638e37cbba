import logging

from django.apps import AppConfig


class LawsiteConfig(AppConfig):
    name = "lawsite"
    verbose_name = "Site"

    def ready(self):
        from django.conf import settings

        from lawsite import checks, deploy_checks, error_reporting  # noqa: F401  (registers the checks)

        error_reporting.start()  # only with SENTRY_DSN set; the web processes and the worker alike

        from django.core.signals import setting_changed

        from lawsite.template_text import forget_once
        from lawsite.templatetags.site import forget_site_wide

        # The footer and the header's addresses are rendered once per process: a test's changed setting
        # (the firm's details, the compliance switches) must show on the next page.
        setting_changed.connect(forget_site_wide, dispatch_uid="lawsite-site-wide")
        setting_changed.connect(forget_once, dispatch_uid="lawsite-jinja2-once")

        if not settings.DEBUG:
            # Also said at every start (gunicorn, the worker), not only by `manage.py check`.
            for name in checks.compliance_switches_off():
                logging.getLogger("lawsite").warning(
                    "compliance: %s is off, so its notice is not shown to visitors (default on)", name
                )

        if settings.ADMIN_REQUIRE_2FA:
            from django.contrib import admin

            from lawsite.admin_site import StaffOTPAdminSite

            # django-otp's documented way to make the default admin site demand a verified device.
            admin.site.__class__ = StaffOTPAdminSite
