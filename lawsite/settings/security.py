"""Sign-in and security: the admin's login throttling and two-factor sign-in, staff sessions, passwords, the
security headers and what changes behind a TLS-terminating proxy."""

from datetime import timedelta

from django.utils.csp import CSP

from lawsite.settings.core import DEBUG, env, env_bool, env_int, env_list

AUTHENTICATION_BACKENDS = [
    "lawsite.auth_backends.LoginThrottleBackend",  # refuses logins while a username + address is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Admin login throttling: 5 failures for one username from one address lock that pair for 30 minutes.
# Unlock early from the admin (Axes > Access attempts) or `manage.py axes_reset_username <name>`.
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "consultations.client_ip.client_ip"
AXES_VERBOSE = False  # its log lines name the user and address; the database keeps the attempts

# Two-factor sign-in (TOTP) for the admin: on by default in production. Enrol a member of staff with
# `manage.py enrol_totp <username>` (prints a QR code for an authenticator app).
ADMIN_REQUIRE_2FA = env_bool("DJANGO_ADMIN_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = env("FIRM_NAME", "Leav & Steinberg LLP")

# Staff sessions end after this much inactivity (and in any case when the browser closes).
STAFF_IDLE_TIMEOUT = timedelta(minutes=env_int("DJANGO_STAFF_IDLE_MINUTES", 60))
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Security headers. No 'unsafe-inline' anywhere. Public pages have no inline script or style, so their
# policy carries no nonce at all and is the same for every reader: two anonymous GETs of a page get
# byte-identical bodies and headers, which an edge cache (deploy/nginx/lawsite.conf) may keep and share.
# A page that does use {% csp_nonce_attr %} / csp_nonce (the admin widgets' media) gets "nonce-…" added by
# Django's middleware for that response only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "lawsite.views.csrf_failure"

BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY")
# Addresses (or networks, 10.0.0.0/24) of our own proxies. X-Forwarded-For is read only on a connection from
# one of them (consultations/client_ip.py): otherwise anyone reaching the app server directly could pick the
# address the form's rate limit and the admin lockout count. Default: none; behind the bundled nginx on the
# same machine, loopback. With remote app servers, list the nginx machine's private address.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1" if BEHIND_TLS_PROXY else "")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # /healthz is probed by the load balancer over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 63072000  # two years
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
