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


def _fail(client, username):
    return client.post("/accounts/login/", {"username": username, "password": "wrong"})


def test_spraying_many_user_names_from_one_address_locks_the_address(cast, settings):
    # given 80 failures across 20 user names (4 each, under the per-user limit) from one address
    sprayer = Client(REMOTE_ADDR="10.0.0.66")
    for n in range(80):
        _fail(sprayer, f"user{n % 20}")
    # then the address is locked, even for a real user with the right password
    response = sprayer.post("/accounts/login/", {"username": "clerk", "password": "pass-1234-word"})
    assert response.status_code == 429
    # and the same user still logs in from another address
    other = Client(REMOTE_ADDR="10.0.0.67")
    assert other.post("/accounts/login/", {"username": "clerk", "password": "pass-1234-word"}).status_code == 302


def test_a_locked_user_name_is_locked_from_another_address_too(cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(Client(REMOTE_ADDR="10.0.0.8"), "clerk")
    response = Client(REMOTE_ADDR="10.9.9.9").post("/accounts/login/", {"username": "clerk", "password": "pass-1234-word"})
    assert response.status_code == 429
    assert "暂时锁定" in response.content.decode()


def test_a_few_failures_from_a_shared_address_do_not_lock_it(cast, settings):
    office = Client(REMOTE_ADDR="10.0.0.9")
    for n in range(10):
        _fail(office, f"colleague{n}")
    assert office.post("/accounts/login/", {"username": "clerk", "password": "pass-1234-word"}).status_code == 302


def test_logging_in_with_one_valid_account_does_not_clear_the_address_count(cast, settings):
    sprayer = Client(REMOTE_ADDR="10.0.0.70")
    for n in range(settings.GONGXIN_LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        _fail(sprayer, f"user{n % 20}")
    assert sprayer.post("/accounts/login/", {"username": "clerk", "password": "pass-1234-word"}).status_code == 302
    sprayer.post("/accounts/logout/")
    _fail(sprayer, "user99")
    assert sprayer.post("/accounts/login/", {"username": "clerk", "password": "pass-1234-word"}).status_code == 429
