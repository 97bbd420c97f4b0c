import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_in_production_settings():
    import gongxin.settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert Argon2PasswordHasher().encode("secret", Argon2PasswordHasher().salt()).startswith("argon2$")


def test_login_page_is_in_chinese_and_logs_in(cast):
    client = Client()
    assert "登录" in client.get("/accounts/login/").content.decode()
    response = client.post("/accounts/login/", {"username": "clerk", "password": "pass-1234-word"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_wrong_password_says_so_in_chinese(cast):
    response = Client().post("/accounts/login/", {"username": "clerk", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()


def test_repeated_failures_lock_the_account_even_for_the_right_password(cast, settings):
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "clerk", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "clerk", "password": "pass-1234-word"})
    assert response.status_code == 429
    assert "暂时锁定" in response.content.decode()
    assert Client(REMOTE_ADDR="10.0.0.7").get("/").status_code == 302  # not logged in


def test_pages_need_login_and_the_public_portal_does_not(cast):
    client = Client()
    assert client.get("/").status_code == 302
    assert client.get("/people/cadres/")["Location"].startswith("/accounts/login/")


def test_the_menu_shows_only_what_the_role_may_use(cast, client_for):
    admin_page = client_for(cast["users"]["org_admin"]).get("/").content.decode()
    inspector_page = client_for(cast["users"]["inspector"]).get("/").content.decode()
    assert "干部名册" in admin_page and "账号管理" in admin_page
    assert "干部名册" not in inspector_page and "账号管理" not in inspector_page


def test_the_language_switch_turns_the_ui_to_english(cast, client_for):
    client = client_for(cast["users"]["org_admin"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/people/cadres/").content.decode()
    assert "Cadre roster" in page
