"""Admin accounts need a second factor (TOTP) when the setting says so (issue 12, item 12)."""


import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongxin.ledger.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings):
    settings.REQUIRE_ADMIN_OTP = True


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def _login(username):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": "pass-1234-word"})
    assert response.status_code == 302
    return client


def test_an_admin_enrols_with_a_qr_code_and_then_gets_in(cast):
    admin = _login("org_admin")
    # held at the code page, whatever page is asked for
    assert admin.get("/people/cadres/")["Location"].startswith("/accounts/otp/")
    page = admin.get("/accounts/otp/").content.decode()
    assert "<svg" in page and "二维码" in page
    device = TOTPDevice.objects.get(user=cast["users"]["org_admin"], confirmed=False)
    # a wrong code says so
    wrong = admin.post("/accounts/otp/", {"token": "000000" if _code(device) != "000000" else "111111"})
    assert "验证码不正确" in wrong.content.decode()
    # the right one confirms the device, records it in the ledger and lets the admin in
    response = admin.post("/accounts/otp/", {"token": _code(device), "next": "/people/cadres/"})
    assert response["Location"] == "/people/cadres/"
    assert admin.get("/people/cadres/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert Event.objects.filter(kind="accounts.otp.enrolled").count() == 1


def test_an_enrolled_admin_must_enter_the_code_at_every_login(cast):
    device = TOTPDevice.objects.create(user=cast["users"]["org_admin"], name="phone", confirmed=True)
    admin = _login("org_admin")
    page = admin.get("/accounts/otp/").content.decode()
    assert "<svg" not in page  # no new enrolment
    assert admin.get("/api/v1/people/cadres").status_code == 403
    admin.post("/accounts/otp/", {"token": _code(device)})
    assert admin.get("/people/cadres/").status_code == 200
    assert admin.get("/api/v1/people/cadres").status_code == 200


def test_other_roles_and_the_demo_setting_need_no_second_factor(cast, settings):
    assert _login("clerk").get("/people/cadres/").status_code == 200
    settings.REQUIRE_ADMIN_OTP = False
    assert _login("org_admin").get("/people/cadres/").status_code == 200




def test_a_junk_bearer_header_does_not_let_an_unverified_admin_session_into_the_api(cast):
    TOTPDevice.objects.create(user=cast["users"]["org_admin"], name="phone", confirmed=True)
    admin = _login("org_admin")
    response = admin.get("/api/v1/people/cadres", HTTP_AUTHORIZATION="Bearer junk")
    assert response.status_code == 403 and response.json()["code"] == "auth.second_factor"
