import datetime as dt

import pytest
from django.test import Client

from gongxin.accounts.models import ApiToken
from gongxin.ledger.models import Event
from tests.conftest import make_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(cast):
    token = ApiToken.new_token()
    ApiToken.objects.create(user=cast["users"]["clerk"], name="tests", digest=ApiToken.digest_of(token))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.token = token
    return client


def test_the_openapi_document_lists_the_people_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/people/cadres", "/api/v1/people/cadres/{cadre_id}", "/api/v1/people/units",
                 "/api/v1/people/posts", "/api/v1/people/cadres/{cadre_id}/resume"):
        assert path in doc["paths"], path


def test_a_revoked_or_unknown_token_is_refused(api, cast):
    assert api.get("/api/v1/people/cadres").status_code == 200
    ApiToken.objects.update(revoked_at=dt.datetime.now(dt.UTC))
    assert api.get("/api/v1/people/cadres").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer gx_nonsense").get("/api/v1/people/cadres").status_code == 401


def test_create_then_patch_a_cadre_by_api_through_the_same_actions(api, cast):
    birth = dt.date(1990, 5, 4)
    before = Event.objects.count()
    response = api.post("/api/v1/people/cadres", content_type="application/json", data={
        "name": "孙武", "sex": "M", "birth_date": birth.isoformat(), "id_number": make_id_number(birth),
        "org_unit_id": cast["lizhuang"].pk, "rank": "fuke"})
    assert response.status_code == 201, response.content
    cadre_id = response.json()["id"]
    assert response.json()["id_number"].count("*") == 10  # masked for a clerk
    response = api.patch(f"/api/v1/people/cadres/{cadre_id}", content_type="application/json",
                         data={"native_place": "山东惠民"})
    assert response.status_code == 200 and response.json()["native_place"] == "山东惠民"
    assert list(Event.objects.filter(seq__gte=before).values_list("kind", flat=True)) == [
        "people.cadre.created", "people.cadre.updated"]


def test_a_bad_id_number_by_api_is_a_400_with_a_code_and_the_field_in_chinese(api, cast):
    zhang = cast["cadres"]["zhang"]
    bad = zhang.id_number[:-1] + ("1" if zhang.id_number[-1] != "1" else "2")
    response = api.patch(f"/api/v1/people/cadres/{zhang.pk}", content_type="application/json",
                         data={"id_number": bad})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation.failed"
    assert "校验位" in body["details"]["fields"]["id_number"][0]


def test_an_unknown_rank_code_names_the_field(api, cast):
    response = api.patch(f"/api/v1/people/cadres/{cast['cadres']['zhang'].pk}", content_type="application/json",
                         data={"rank": "emperor"})
    assert response.status_code == 400 and response.json()["code"] == "rank.unknown"


def test_resume_and_relations_by_api(api, cast):
    zhang, wang = cast["cadres"]["zhang"], cast["cadres"]["wang"]
    response = api.post(f"/api/v1/people/cadres/{zhang.pk}/resume", content_type="application/json",
                        data={"start": "2007-07-01", "description": "李庄镇党政办科员", "is_grassroots": True})
    assert response.status_code == 201 and response.json()["line"] == "2007.07--  李庄镇党政办科员"
    response = api.post(f"/api/v1/people/cadres/{zhang.pk}/relations", content_type="application/json",
                        data={"kind": "cousin", "title": "表弟", "name": "王五", "related_cadre_id": wang.pk})
    assert response.status_code == 201
    detail = api.get(f"/api/v1/people/cadres/{zhang.pk}").json()
    assert [r["related_cadre_id"] for r in detail["relations"]] == [wang.pk]
    assert detail["resume"][0]["is_grassroots"] is True
    # a relative outside the clerk's scope cannot be linked
    response = api.post(f"/api/v1/people/cadres/{zhang.pk}/relations", content_type="application/json",
                        data={"kind": "spouse", "title": "妻子", "name": "李四", "related_cadre_id": cast["cadres"]["li"].pk})
    assert response.status_code == 404


def test_pagination_and_search_by_api(api, cast):
    body = api.get("/api/v1/people/cadres", {"q": "ww"}).json()
    assert body["count"] == 1 and body["items"][0]["name"] == "王五"
