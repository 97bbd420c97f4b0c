"""Hostile API input answers 4xx with {code, message, details} and a Chinese message, never a
500 (issue 12, items 2 and 3); the places fuzzing found."""

import io
import re

import openpyxl
import pytest
from django.test import Client

from gongxin.accounts import actions as account_actions

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def api(cast):
    """An API client with the admin's bearer token (no session)."""
    token = account_actions.issue_api_token(acting_user=None, user=cast["users"]["org_admin"], name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)


def _assert_error(response, status):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) >= {"code", "message"} and isinstance(body["code"], str)
    assert HAN.search(body["message"]), body
    return body


@pytest.mark.parametrize("url", [
    "/api/v1/inspection/dashboard?year=35462",
    "/api/v1/inspection/dashboard?year=-5",
    "/api/v1/people/cadres?age_min=1000000000000",
    "/api/v1/people/cadres?age_max=2294",
    "/api/v1/publicity/probations/ending?within_days=7000000",
    "/api/v1/publicity/probations/ending?within_days=-7000000",
    "/api/v1/people/cadres?page=100000000000000000000",
    "/api/v1/people/posts?page=100000000000000000000",
    "/api/v1/publicity/workdays/period?start=9999-12-31",
    "/api/v1/people/cadres?unit=100000000000000000000",
])
def test_out_of_range_query_values_are_422_in_chinese(api, url):
    _assert_error(api.get(url), 422)


def test_ids_beyond_64_bits_are_a_client_error(api, cast):
    zhang = cast["cadres"]["zhang"]
    response = api.post(f"/api/v1/people/cadres/{zhang.pk}/relations", {
        "kind": "spouse", "title": "妻子", "name": "王丽", "related_cadre_id": 10**20},
        content_type="application/json")
    assert response.status_code in (400, 404, 422)
    _assert_error(response, response.status_code)
    huge = api.get(f"/api/v1/people/cadres/{10**20}")
    _assert_error(huge, huge.status_code)
    assert huge.status_code in (400, 404)


def test_a_meeting_for_unit_zero_is_a_404_not_a_crash(api):
    response = api.post("/api/v1/meetings/", {"title": "推荐会", "org_unit_id": 0, "mode": "open"},
                        content_type="application/json")
    _assert_error(response, 404)


def test_decision_votes_with_non_numeric_member_keys_are_422(api):
    response = api.post("/api/v1/cases/decision-meetings/1/votes", {"candidate_id": 1, "choices": {"x": "agree"}},
                        content_type="application/json")
    body = _assert_error(response, 422)
    assert "choices.x" in body["details"]["fields"]


def test_401_403_404_422_bodies_are_code_and_message(api, cast, client_for):
    _assert_error(Client().get("/api/v1/people/cadres"), 401)
    inspector = client_for(cast["users"]["inspector"])
    _assert_error(inspector.get("/api/v1/people/cadres"), 403)
    _assert_error(api.get("/api/v1/people/cadres/999999"), 404)
    _assert_error(api.get("/api/v1/no/such/path"), 404)
    body = _assert_error(api.post("/api/v1/people/cadres", {}, content_type="application/json"), 422)
    assert "name" in body["details"]["fields"]
    _assert_error(api.post("/api/v1/people/cadres", "{not json", content_type="application/json"), 400)


def test_the_documented_error_schema_is_code_and_message(api):
    """Every 4xx an operation documents is a schema requiring code and message (each app's own
    ``Error`` class, named "<App>Error" in the document where several apps share the name)."""
    schema = api.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    documented = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                if not status.startswith("4"):
                    continue
                ref = response["content"]["application/json"]["schema"]["$ref"]
                error = components[ref.rsplit("/", 1)[-1]]
                assert set(error["required"]) >= {"code", "message"}, (method, path, status, ref)
                documented += 1
    assert documented > 100


# ---- item 3: control characters ---------------------------------------------------------------

CADRE = {"name": "赵\x00六", "sex": "M", "birth_date": "1985-06-15", "id_number": "371621198506150011",
         "org_unit_id": None}


def test_the_api_refuses_a_nul_byte_in_a_name_as_the_form_does(api, cast, client_for):
    body = {**CADRE, "org_unit_id": cast["lizhuang"].pk}
    response = api.post("/api/v1/people/cadres", body, content_type="application/json")
    error = _assert_error(response, 422)
    assert error["code"] == "validation.control_character" and "name" in error["details"]["fields"]
    # and the page form refuses other control characters too, with the same message
    page = client_for(cast["users"]["org_admin"]).post("/people/cadres/new/", {**body, "name": "赵\x1b六",
                                                                             "org_unit": cast["lizhuang"].pk})
    assert page.status_code == 200 and "控制字符" in page.content.decode()


def test_control_characters_in_query_strings_are_refused(api):
    _assert_error(api.get("/api/v1/people/cadres?q=%00"), 422)


def test_a_control_character_already_stored_does_not_break_the_excel_export(api, cast):
    from gongxin.people.models import Cadre

    zhang = cast["cadres"]["zhang"]
    Cadre.objects.filter(pk=zhang.pk).update(name="张\x01三", current_post_title="=HYPERLINK(\"x\")")
    response = api.get("/api/v1/people/cadres/export.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "张三" in rows
    assert rows["张三"][8] == "=HYPERLINK(\"x\")"
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert cells["张三"][8].data_type == "s"  # text, not a formula (a formula cell reads back the same)
    assert cells["张三"][1].data_type == "s" and cells["张三"][3].data_type == "n"
