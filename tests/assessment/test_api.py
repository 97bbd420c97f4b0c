"""/api/v1/assessment/: the same rules as the pages, errors as {code, message}."""

import json

import pytest

from .test_actions import TOWNSHIP

pytestmark = pytest.mark.django_db
API = "/api/v1/assessment"


def send(client, method, url, data):
    return getattr(client, method)(url, json.dumps(data, default=str), content_type="application/json")


def test_the_year_from_system_to_grades_through_the_api(cast, client_for):
    c = client_for(cast["users"]["org_admin"])
    bad = send(c, "post", f"{API}/systems", {"category": "township", "name": "乡镇",
                                             "indicators": [{**TOWNSHIP[0], "weight": 0.5}, *TOWNSHIP[1:]]})
    assert bad.status_code == 400 and bad.json()["code"] == "assessment.weights_sum"
    assert send(c, "post", f"{API}/systems", {"category": "township", "name": "乡镇", "indicators": TOWNSHIP}).status_code == 201
    assert send(c, "post", f"{API}/years", {"year": 2025}).status_code == 201
    unit = cast["lizhuang"].pk
    response = send(c, "put", f"{API}/years/2025/units/{unit}/results", {"values": {"gdp": 8, "income": 5, "energy": 0.75}})
    assert response.status_code == 200, response.content
    scores = send(c, "post", f"{API}/years/2025/scores", {}).json()
    assert [round(s["raw"], 6) for s in scores] == [0.62]
    detail = c.get(f"{API}/years/2025/units/{unit}/breakdown").json()
    assert [round(line["contribution"], 6) for line in detail["lines"]] == [0.32, 0.15, 0.15]
    assert len(detail["scenarios"]) == 9 and detail["sensitivity"][0]["stable"] is True


def test_accountability_through_the_api_and_its_scope(cast, client_for):
    admin = client_for(cast["users"]["org_admin"])
    li = cast["cadres"]["li"]
    created = send(admin, "post", f"{API}/accountability", {"cadre_id": li.pk, "facts": "盲目举债上项目"})
    assert created.status_code == 201
    case_id = created.json()["id"]
    clerk = client_for(cast["users"]["clerk"])  # 李庄镇 only
    assert send(clerk, "post", f"{API}/accountability/{case_id}/decide",
                {"kind": "removal", "decision": "免职"}).status_code == 404
    wrong = send(admin, "post", f"{API}/accountability/{case_id}/decide", {"kind": "beheading", "decision": "x"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "accountability.kind"
    done = send(admin, "post", f"{API}/accountability/{case_id}/decide", {"kind": "removal", "decision": "免职"})
    assert done.json()["bar_months"] == 12


def test_ahp_weights_and_an_inconsistent_matrix_refused_with_its_ratio(cast, client_for):
    c = client_for(cast["users"]["org_admin"])
    ok = send(c, "post", f"{API}/ahp", {"matrix": [[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]]})
    assert ok.status_code == 200 and [round(w, 4) for w in ok.json()["weights"]] == [0.5714, 0.2857, 0.1429]
    bad = send(c, "post", f"{API}/ahp", {"matrix": [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]})
    assert bad.status_code == 400 and bad.json()["code"] == "assessment.ahp_inconsistent"
    assert "CR =" in bad.json()["message"]


def test_the_public_evaluation_through_the_api(cast, client_for):
    c = client_for(cast["users"]["org_admin"])
    send(c, "post", f"{API}/systems", {"category": "township", "name": "乡镇", "indicators": TOWNSHIP})
    send(c, "post", f"{API}/years", {"year": 2025})
    assert send(c, "post", f"{API}/years/2025/public-evaluation", {}).json()["code"] == "assessment.public_no_units"
    send(c, "put", f"{API}/years/2025/units/{cast['lizhuang'].pk}/results", {"values": {"gdp": 8, "income": 5, "energy": 0.75}})
    created = send(c, "post", f"{API}/years/2025/public-evaluation", {})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["meeting_id"] and body["meeting_status"] == "draft" and body["items"] == []
    again = send(c, "post", f"{API}/years/2025/public-evaluation", {})
    assert again.status_code == 409 and again.json()["code"] == "assessment.public_exists"
    early = send(c, "post", f"{API}/years/2025/public-evaluation/apply", {})
    assert early.status_code == 400 and early.json()["code"] == "assessment.public_not_closed"
    assert c.get(f"{API}/years/2025/public-evaluation").json()["meeting_id"] == body["meeting_id"]
