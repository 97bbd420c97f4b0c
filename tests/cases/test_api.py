"""/api/v1/cases/: the same actions, scope and errors as the pages."""

import datetime as dt
import json

import pytest

from gongxin.cases import actions
from gongxin.cases.models import CaseStage

from .conftest import drive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_guards_only")]
API = "/api/v1/cases"


def post(c, url, data=None):
    return c.post(url, json.dumps(data or {}), content_type="application/json")


def test_create_advance_and_blockers(client_for, clerk, cast, posts, eligible):
    c = client_for(clerk)
    r = post(c, f"{API}/cases", {"title": "李庄镇镇长选任", "org_unit_id": cast["lizhuang"].pk,
                                 "post_ids": [posts["lizhuang_head"].pk], "channels": ["open_nomination"],
                                 "motion_reason": "调任"})
    assert r.status_code == 201, r.content
    case = r.json()
    assert case["stage"] == "motion" and case["next_stage"] == "nomination" and case["blockers"] == []
    r = post(c, f"{API}/cases/{case['id']}/advance", {"to_stage": "candidates"})
    assert r.status_code == 400 and r.json()["code"] == "case.blocked" and r.json()["details"]["blockers"]
    r = post(c, f"{API}/cases/{case['id']}/advance", {"to_stage": "nomination"})
    assert r.status_code == 200 and r.json()["blockers"] == ["李庄镇镇长 还没有提名人选。"]
    cadre = eligible("甲")
    r = post(c, f"{API}/cases/{case['id']}/candidates", {"cadre_id": cadre.pk, "channel": "open_nomination"})
    assert r.status_code == 201 and r.json()["eligibility_passed"] is True
    assert {x["code"] for x in r.json()["eligibility"]} >= {"R1", "R8"}
    r = post(c, f"{API}/candidates/{r.json()['id']}/suspend", {"reason": "待核"})
    assert r.json()["status"] == "suspended"


def test_scope_and_capability(client_for, cast, clerk, admin, posts):
    other = actions.open_case(acting_user=admin, title="何坊", org_unit=cast["hefang"],
                              posts=[posts["hefang_secretary"]], channels=["performance"], motion_reason="x")
    c = client_for(clerk)
    assert c.get(f"{API}/cases/{other.pk}").status_code == 404
    assert post(c, f"{API}/cases", {"title": "x", "org_unit_id": cast["hefang"].pk,
                                    "post_ids": [posts["hefang_secretary"].pk], "channels": []}).status_code == 404
    assert [x["id"] for x in c.get(f"{API}/cases").json()] == []
    insp = client_for(cast["users"]["inspector"])
    assert insp.get(f"{API}/cases").status_code == 403
    assert client_for(None).get(f"{API}/cases").status_code == 401


def test_decision_meeting_api(client_for, admin, case, eligible, members):
    c = client_for(admin)
    case = drive(case, admin, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    r = post(c, f"{API}/cases/{case.pk}/decision-meetings",
             {"title": "常委会", "members": [{"name": m.name, "cadre_id": m.pk} for m in members]})
    assert r.status_code == 201, r.content
    meeting = r.json()
    ids = [m["id"] for m in meeting["members"]]
    r = post(c, f"{API}/decision-meetings/{meeting['id']}/attendance", {"present": ids[:6]})
    assert r.json()["tally"]["quorum_met"] is True and r.json()["tally"]["present"] == 6
    cand = case.candidates.get()
    r = post(c, f"{API}/decision-meetings/{meeting['id']}/votes",
             {"candidate_id": cand.pk, "choices": {str(i): "agree" for i in ids[:5]}})
    assert r.json()["tally"]["candidates"][0]["agree"] == 5
    r = post(c, f"{API}/decision-meetings/{meeting['id']}/close")
    assert r.json()["status"] == "closed" and r.json()["result"]["candidates"][0]["passed"] is True
    r = post(c, f"{API}/cases/{case.pk}/advance", {"to_stage": "publicity"})
    assert r.status_code == 200 and r.json()["stage"] == "publicity"
    dossier = c.get(f"{API}/cases/{case.pk}/dossier").json()
    assert any(e["kind"] == "cases.decision.taken" for e in dossier)


def test_rules_api(client_for, admin, clerk):
    c = client_for(admin)
    sets = c.get(f"{API}/rule-sets").json()
    r17 = [r for r in sets[0]["rules"] if r["code"] == "R17"][0]
    r = post(c, f"{API}/rules/{r17['id']}", {"parameters": {"working_days": 7}, "note": "本县从严"})
    assert r.status_code == 201 and r.json()["version"] == 2
    assert post(client_for(clerk), f"{API}/rules/{r17['id']}", {"parameters": {}, "note": "x"}).status_code == 403


def test_self_nomination_api(client_for, cast, admin, case):
    notice = post(client_for(admin), f"{API}/cases/{case.pk}/notices", {
        "post_id": case.case_posts.get().post_id, "qualifications": "本科",
        "deadline": (dt.date.today() + dt.timedelta(days=5)).isoformat()}).json()
    cadre = client_for(cast["users"]["cadre"])
    assert [n["id"] for n in cadre.get(f"{API}/notices").json()] == [notice["id"]]
    r = post(cadre, f"{API}/notices/{notice['id']}/apply", {"statement": "自荐"})
    assert r.status_code == 201 and r.json()["eligibility_passed"] is False
    r = post(client_for(admin), f"{API}/applications/{r.json()['id']}/reject", {"reason": "党龄不足"})
    assert r.json()["status"] == "rejected"


def test_openapi_lists_the_cases_endpoints(client_for, admin):
    spec = client_for(admin).get("/api/v1/openapi.json").json()
    paths = [p for p in spec["paths"] if p.startswith("/api/v1/cases/")]
    assert "/api/v1/cases/cases/{case_id}/advance" in paths
    assert "/api/v1/cases/decision-meetings/{meeting_id}/close" in paths
    assert "422" in spec["paths"]["/api/v1/cases/cases"]["post"]["responses"]
