"""The permission matrix: each role × each people page and API endpoint → allowed / 403 / 404,
and data scope applied to pages, API and export alike."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

ROLES = ["org_admin", "clerk", "inspector", "reviewer", "voter", "cadre", "section_head", "public"]

# Expected status per role. "own" = the cadre role's own record (张三, 李庄镇, in the clerk's
# subtree); "other" = 李四 of 何坊街道, outside the clerk's and the cadre's scope.
PAGE_MATRIX = {
    "/people/cadres/": dict(org_admin=200, clerk=200, inspector=403, reviewer=403, voter=403, cadre=200,
                            section_head=403, public=302),
    "/people/cadres/{own}/": dict(org_admin=200, clerk=200, inspector=403, reviewer=403, voter=403, cadre=200,
                                  section_head=403, public=302),
    "/people/cadres/{other}/": dict(org_admin=200, clerk=404, inspector=403, reviewer=403, voter=403, cadre=404,
                                    section_head=403, public=302),
    "/people/cadres/{own}/edit/": dict(org_admin=200, clerk=200, inspector=403, reviewer=403, voter=403, cadre=403,
                                       section_head=403, public=302),
    "/people/cadres/{other}/edit/": dict(org_admin=200, clerk=404, inspector=403, reviewer=403, voter=403, cadre=403,
                                         section_head=403, public=302),
    "/people/cadres/new/": dict(org_admin=200, clerk=200, inspector=403, reviewer=403, voter=403, cadre=403,
                                section_head=403, public=302),
    # starts a background job and redirects to its progress page
    "/people/cadres/export.xlsx": dict(org_admin=302, clerk=302, inspector=403, reviewer=403, voter=403, cadre=403,
                                       section_head=403, public=302),
    "/people/units/": dict(org_admin=200, clerk=200, inspector=403, reviewer=403, voter=403, cadre=403,
                           section_head=403, public=302),
    "/people/posts/": dict(org_admin=200, clerk=200, inspector=403, reviewer=403, voter=403, cadre=403,
                           section_head=403, public=302),
}
API_MATRIX = {
    "/api/v1/people/cadres": dict(org_admin=200, clerk=200, inspector=403, reviewer=403, voter=403, cadre=200,
                                  section_head=403, public=401),
    "/api/v1/people/cadres/{own}": dict(org_admin=200, clerk=200, inspector=403, reviewer=403, voter=403, cadre=200,
                                        section_head=403, public=401),
    "/api/v1/people/cadres/{other}": dict(org_admin=200, clerk=404, inspector=403, reviewer=403, voter=403, cadre=404,
                                          section_head=403, public=401),
    "/api/v1/people/cadres/export.xlsx": dict(org_admin=200, clerk=200, inspector=403, reviewer=403, voter=403,
                                              cadre=403, section_head=403, public=401),
    "/api/v1/people/units": dict(org_admin=200, clerk=200, inspector=403, reviewer=403, voter=403, cadre=403,
                                 section_head=403, public=401),
    "/api/v1/people/posts": dict(org_admin=200, clerk=200, inspector=403, reviewer=403, voter=403, cadre=403,
                                 section_head=403, public=401),
}


def _export(client, url):
    """The page's export runs as a job: follow it to its file (the API answers at once)."""
    from gongxin.jobs.runner import run_job

    response = client.get(url)
    if not url.startswith("/people/"):
        return response.content
    job_id = int(response["Location"].rstrip("/").split("/")[-1])
    run_job(job_id, 1)
    return b"".join(client.get(f"/jobs/{job_id}/download/").streaming_content)


def _client(cast, role):
    client = Client()
    if role != "public":
        client.force_login(cast["users"][role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_page_permission_matrix(cast, role):
    client = _client(cast, role)
    ids = {"own": cast["cadres"]["zhang"].pk, "other": cast["cadres"]["li"].pk}
    got = {url: client.get(url.format(**ids)).status_code for url in PAGE_MATRIX}
    assert got == {url: expected[role] for url, expected in PAGE_MATRIX.items()}


@pytest.mark.parametrize("role", ROLES)
def test_api_permission_matrix(cast, role):
    client = _client(cast, role)
    ids = {"own": cast["cadres"]["zhang"].pk, "other": cast["cadres"]["li"].pk}
    got = {url: client.get(url.format(**ids)).status_code for url in API_MATRIX}
    assert got == {url: expected[role] for url, expected in API_MATRIX.items()}


def test_a_township_clerk_sees_only_their_township_in_list_api_and_export(cast):
    client = _client(cast, "clerk")
    page = client.get("/people/cadres/").content.decode()
    assert "张三" in page and "王五" in page and "李四" not in page
    api_names = {row["name"] for row in client.get("/api/v1/people/cadres").json()["items"]}
    assert api_names == {"张三", "王五"}
    for url in ("/people/cadres/export.xlsx", "/api/v1/people/cadres/export.xlsx"):
        sheet = load_workbook(io.BytesIO(_export(client, url))).active
        assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"张三", "王五"}


def test_a_cadre_sees_only_their_own_record(cast):
    client = _client(cast, "cadre")
    assert [row["name"] for row in client.get("/api/v1/people/cadres").json()["items"]] == ["张三"]


def test_id_numbers_are_masked_for_a_clerk_and_shown_to_the_admin_and_to_the_cadre_themself(cast):
    zhang = cast["cadres"]["zhang"]
    clerk_view = _client(cast, "clerk").get(f"/people/cadres/{zhang.pk}/").content.decode()
    assert zhang.id_number not in clerk_view and zhang.masked_id_number in clerk_view
    assert zhang.id_number in _client(cast, "org_admin").get(f"/people/cadres/{zhang.pk}/").content.decode()
    assert zhang.id_number in _client(cast, "cadre").get(f"/people/cadres/{zhang.pk}/").content.decode()
    sheet = load_workbook(io.BytesIO(_export(_client(cast, "clerk"), "/people/cadres/export.xlsx"))).active
    ids = {row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert zhang.masked_id_number in ids and zhang.id_number not in ids
    api_row = _client(cast, "clerk").get(f"/api/v1/people/cadres/{zhang.pk}").json()
    assert api_row["id_number"] == zhang.masked_id_number


def test_every_full_view_and_export_is_logged(cast):
    from gongxin.people.models import AccessLog

    zhang = cast["cadres"]["zhang"]
    client = _client(cast, "clerk")
    client.get(f"/people/cadres/{zhang.pk}/")
    client.get(f"/api/v1/people/cadres/{zhang.pk}")
    client.get("/people/cadres/export.xlsx?q=zs")
    logs = list(AccessLog.objects.order_by("at").values_list("user__username", "cadre__name", "what"))
    assert logs == [("clerk", "张三", "record"), ("clerk", "张三", "api"), ("clerk", None, "export")]
    assert "q=zs" in AccessLog.objects.get(what="export").detail


def test_a_clerk_cannot_create_a_cadre_in_another_township_by_api(cast):
    import datetime as dt

    from tests.conftest import make_id_number

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["users"]["clerk"])
    response = client.post("/api/v1/people/cadres", content_type="application/json", data={
        "name": "赵六", "sex": "M", "birth_date": "1980-01-01", "id_number": make_id_number(dt.date(1980, 1, 1)),
        "org_unit_id": cast["hefang"].pk})
    # Session auth needs the CSRF token for writes: without it, 403 before anything else.
    assert response.status_code == 403
    token_client = Client(enforce_csrf_checks=False)
    from gongxin.accounts.models import ApiToken

    token = ApiToken.new_token()
    ApiToken.objects.create(user=cast["users"]["clerk"], name="t", digest=ApiToken.digest_of(token))
    response = token_client.post("/api/v1/people/cadres", content_type="application/json",
                                 HTTP_AUTHORIZATION=f"Bearer {token}", data={
        "name": "赵六", "sex": "M", "birth_date": "1980-01-01", "id_number": make_id_number(dt.date(1980, 1, 1)),
        "org_unit_id": cast["hefang"].pk})
    assert response.status_code == 404
    assert response.json()["code"] == "org_unit.not_found"
