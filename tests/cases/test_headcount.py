"""Posts as vacant / in a case / filled, and a warning with a reason to override when a case
would exceed the post's headcount (issue 11 defect 10)."""

import json

import pytest

from gongxin.cases import actions
from gongxin.core.errors import DomainError
from gongxin.ledger.models import Event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_guards_only")]


def _open(admin, cast, posts, **kw):
    return actions.open_case(acting_user=admin, title="李庄镇镇长选任", org_unit=cast["lizhuang"],
                             posts=[posts["lizhuang_head"]], channels=["performance"], motion_reason="x", **kw)


def test_a_second_case_for_a_full_post_needs_a_reason(admin, cast, posts):
    first = _open(admin, cast, posts)
    with pytest.raises(DomainError) as exc:
        _open(admin, cast, posts)
    assert exc.value.code == "case.over_headcount"
    assert "正在选任 1 人（李庄镇镇长选任）" in exc.value.message and "请填写超职数原因" in exc.value.message
    second = _open(admin, cast, posts, over_headcount_reason="原镇长即将调任，提前启动")
    assert second.pk != first.pk
    payload = json.loads(bytes(Event.objects.filter(kind="cases.case.opened").order_by("-seq")[0].data))["payload"]
    assert payload["over_headcount"]["reason"] == "原镇长即将调任，提前启动"


def test_the_post_list_shows_a_post_in_a_case_not_as_vacant(admin, clerk, cast, posts, client_for):
    c = client_for(clerk)
    rows = {p["title"]: p for p in c.get("/api/v1/people/posts?page=1").json()["items"]}
    assert rows["镇长"]["vacancies"] == 1 and rows["镇长"]["in_case"] == 0
    case = _open(admin, cast, posts)
    rows = {p["title"]: p for p in c.get("/api/v1/people/posts?page=1").json()["items"]}
    assert rows["镇长"]["vacancies"] == 0 and rows["镇长"]["in_case"] == 1 and rows["镇长"]["case_id"] == case.pk
    page = c.get("/people/posts/?vacant=1").content.decode()
    assert "镇长" not in page.split("<tbody>")[1]
    page = c.get("/people/posts/").content.decode()
    assert f'href="/cases/{case.pk}/"' in page and "选任中" in page


def test_the_api_and_page_ask_for_the_reason(admin, clerk, cast, posts, client_for):
    _open(admin, cast, posts)
    body = {"title": "又一个", "org_unit_id": cast["lizhuang"].pk, "post_ids": [posts["lizhuang_head"].pk],
            "channels": ["performance"], "motion_reason": "x"}
    r = client_for(clerk).post("/api/v1/cases/cases", json.dumps(body), content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "case.over_headcount"
    r = client_for(clerk).post("/api/v1/cases/cases", json.dumps({**body, "over_headcount_reason": "提前启动"}),
                               content_type="application/json")
    assert r.status_code == 201
