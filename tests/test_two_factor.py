import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lawsite.admin_site import StaffOTPAdminSite

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def two_factor_admin(settings):
    """The admin as production runs it (DJANGO_ADMIN_REQUIRE_2FA on)."""
    settings.ADMIN_REQUIRE_2FA = True
    admin.site.__class__ = StaffOTPAdminSite
    yield admin.site
    admin.site.__class__ = AdminSite


@pytest.fixture
def enrolled_staff(capsys):
    user = User.objects.create_user("clerk", password=PASSWORD, is_staff=True, is_superuser=True)
    call_command("enrol_totp", "clerk")
    assert "otpauth://totp/" in capsys.readouterr().out
    return user, TOTPDevice.objects.get(user=user)


def login(client, token=""):
    return client.post(
        reverse("admin:login"),
        {"username": "clerk", "password": PASSWORD, "otp_token": token, "next": reverse("admin:index")},
    )


def test_password_alone_does_not_open_the_admin(client, two_factor_admin, enrolled_staff):
    response = login(client)
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_password_and_current_code_open_the_admin(client, two_factor_admin, enrolled_staff):
    _, device = enrolled_staff
    response = login(client, token=f"{totp(device.bin_key):06d}")
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_is_refused(client, two_factor_admin, enrolled_staff):
    _, device = enrolled_staff
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    assert login(client, token=wrong).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_enrolling_twice_needs_replace(enrolled_staff):
    with pytest.raises(Exception, match="already has an authenticator"):
        call_command("enrol_totp", "clerk")
    call_command("enrol_totp", "clerk", replace=True)
    assert TOTPDevice.objects.filter(user=enrolled_staff[0]).count() == 1


def test_two_factor_is_on_by_default_when_debug_is_off():
    from tests.test_environment import PRODUCTION
    from tests.test_site import run_django

    result = run_django(
        "import django; django.setup(); from django.contrib import admin; print(admin.site.__class__.__name__)",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "StaffOTPAdminSite"


def test_the_sign_in_page_asks_for_the_code_in_plain_words(client, two_factor_admin):
    html = client.get(reverse("admin:login")).content.decode()
    assert "Code from your authenticator app" in html
    assert 'autocomplete="one-time-code"' in html
    assert "OTP" not in html


def test_staff_without_an_authenticator_are_told_what_to_do(client, two_factor_admin):
    User.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    response = login(client, token="123456")
    assert response.status_code == 200
    assert "has no authenticator app set up yet" in response.content.decode()
    assert "enrol_totp clerk" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_no_authenticator_message_needs_the_right_password(client, two_factor_admin):
    User.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    response = client.post(
        reverse("admin:login"), {"username": "clerk", "password": "wrong", "otp_token": ""}
    )
    assert "authenticator app set up" not in response.content.decode()


def test_an_administrator_enrols_a_colleague_in_the_admin_and_shows_the_qr_code(admin_client):
    User.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    clerk = User.objects.get(username="clerk")
    add = reverse("admin:otp_totp_totpdevice_add")
    form = admin_client.get(add).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(user=clerk.pk, name="Clerk's phone", confirmed="on")
    response = admin_client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    device = TOTPDevice.objects.get(user=clerk)
    assert device.confirmed
    config = admin_client.get(reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk}))
    assert config.status_code == 200
    qrcode = admin_client.get(reverse("admin:otp_totp_totpdevice_qrcode", kwargs={"pk": device.pk}))
    assert qrcode.status_code == 200 and qrcode["Content-Type"].startswith("image/")
