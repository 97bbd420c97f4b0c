import pytest
from django.core.management import call_command

from gongxin.accounts import actions
from gongxin.accounts.models import ApiToken, User
from gongxin.core.errors import DomainError
from gongxin.ledger.models import Event

pytestmark = pytest.mark.django_db


def test_an_admin_creates_a_township_clerk_through_the_page(cast, client_for):
    client = client_for(cast["users"]["org_admin"])
    response = client.post("/accounts/users/new/", {
        "username": "hefang_clerk", "full_name": "何坊经办", "role": "clerk", "data_scope": "subtree",
        "org_units": [cast["hefang"].pk], "password": "a-long-pass-phrase", "is_active": "on"})
    assert response.status_code == 302
    user = User.objects.get(username="hefang_clerk")
    assert list(user.org_units.all()) == [cast["hefang"]]
    event = Event.objects.order_by("-seq").first()
    assert event.kind == "accounts.user.created" and b"a-long-pass-phrase" not in bytes(event.data)


def test_a_subtree_scope_without_a_unit_says_what_to_fix(cast, client_for):
    response = client_for(cast["users"]["org_admin"]).post("/accounts/users/new/", {
        "username": "x", "role": "clerk", "data_scope": "subtree", "password": "a-long-pass-phrase"})
    assert "请选择所属单位" in response.content.decode()
    assert not User.objects.filter(username="x").exists()


def test_only_the_admin_manages_accounts(cast, client_for):
    assert client_for(cast["users"]["clerk"]).get("/accounts/users/").status_code == 403
    assert client_for(cast["users"]["clerk"]).get("/accounts/users/new/").status_code == 403


def test_a_weak_password_is_refused(cast):
    with pytest.raises(DomainError) as exc:
        actions.create_account(acting_user=None, username="y", password="123", role="cadre", data_scope="self")
    assert exc.value.code == "account.weak_password"


def test_the_token_command_issues_a_working_token(cast, capsys, client):
    call_command("token", "clerk", "scripts")
    token = capsys.readouterr().out.strip()
    assert token.startswith("gx_") and ApiToken.objects.get().digest == ApiToken.digest_of(token)
    assert client.get("/api/v1/people/cadres", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
