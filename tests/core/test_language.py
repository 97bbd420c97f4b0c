import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_the_chinese_interface():
    page = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/accounts/login/")
    assert '<html lang="zh-CN">' in page.content.decode()
    assert page["Content-Language"] == "zh-hans"


def test_the_switch_chooses_english_and_it_sticks(cast):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(cast["users"]["org_admin"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Cadre roster" in page  # the menu is translated too


def test_an_unknown_language_cookie_falls_back_to_chinese():
    client = Client()
    client.cookies["django_language"] = "xx"
    assert '<html lang="zh-CN">' in client.get("/accounts/login/").content.decode()

