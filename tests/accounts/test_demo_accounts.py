"""The demo's account list (issue 23 item 3): each description says only what the account can do
today, and every role lands on a home page with somewhere to go."""

import re

import pytest

from gongxin.accounts.actions import create_account
from gongxin.accounts.demo import DEMO_ACCOUNTS
from gongxin.accounts.roles import Role

NOT_BUILT_YET = ["报名考试", "双向选择志愿", "为本科室的报名人员排序", "讨论决定时表决"]


def test_no_account_promises_what_the_product_cannot_do_yet():
    for username, _role, hint in DEMO_ACCOUNTS:
        for words in NOT_BUILT_YET:
            assert words not in hint, (username, words)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_lands_somewhere_useful(role, cast, client_for):
    user = next((u for u in cast["users"].values() if u.role == role), None) or create_account(
        acting_user=cast["users"]["org_admin"], username=f"demo_{role}", password="gongxin-demo-pw", role=role,
        data_scope="self", full_name=f"演示{role}")
    client = client_for(user)
    home = client.get("/").content.decode()
    links = re.findall(r'<a class="card" href="([^"]+)">', home)
    assert links, f"{role}: an empty home page"
    for href in links:
        assert client.get(href).status_code == 200, (role, href)
