import datetime as dt
import json

from django.test import Client

from gongxin.publicity import actions


def test_public_endpoints_need_no_login(publicity):
    c = Client()
    rows = c.get("/api/v1/publicity/public/notices?current=true").json()
    assert [r["title"] for r in rows] == ["李庄镇领导干部任前公示"]
    detail = c.get(f"/api/v1/publicity/public/notices/{publicity['notice'].pk}").json()
    assert [e["name"] for e in detail["entries"]] == ["王五", "张三", "赵六"]
    assert detail["leaf_hash"] == publicity["notice"].leaf_hash
    fb = actions.submit_feedback(notice=publicity["notice"], category="other", text="有意见反映。")
    r = c.post("/api/v1/publicity/public/feedback/track", json.dumps({"code": fb.code.lower()}),
               content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "received" and "text" not in r.json()
    r = c.post("/api/v1/publicity/public/feedback/track", json.dumps({"code": "X" * 16}), content_type="application/json")
    assert r.status_code == 404 and r.json()["code"] == "feedback.not_found"


def test_staff_api_reply_and_appoint_with_the_gate(publicity, client_for):
    c = client_for(publicity["clerk"])
    fb = actions.submit_feedback(notice=publicity["notice"], entry=publicity["entries"]["zhang"], category="other",
                                 text="有意见反映。")
    assert [f["code"] for f in c.get("/api/v1/publicity/feedback").json()] == [fb.code]
    body = {"cadre_id": publicity["cadres"]["zhang"].pk, "post_id": publicity["posts"]["lizhuang_secretary"].pk,
            "start": "2026-11-20", "notice_id": publicity["notice"].pk}
    r = c.post("/api/v1/publicity/appointments", json.dumps(body), content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "appointment.blocked"
    r = c.post(f"/api/v1/publicity/feedback/{fb.pk}/reply", json.dumps({"reply": "不属实。", "resolve": True}),
               content_type="application/json")
    assert r.json()["status"] == "resolved"
    r = c.post("/api/v1/publicity/appointments", json.dumps(body), content_type="application/json")
    assert r.status_code == 200 and r.json()["probation_status"] == "on_probation"
    assert r.json()["probation_end"] == "2027-11-19"


def test_staff_api_scope_and_capability(publicity, client_for):
    other = actions.create_notice(acting_user=None, kind="vacancy", title="财政局", org_unit=publicity["finance"])
    assert client_for(publicity["clerk"]).get(f"/api/v1/publicity/notices/{other.pk}").status_code == 404
    assert client_for(publicity["users"]["voter"]).get("/api/v1/publicity/notices").status_code == 403
    assert Client().get("/api/v1/publicity/notices").status_code == 401


def test_period_endpoint_warns_for_unknown_year(publicity, client_for):
    r = client_for(publicity["clerk"]).get("/api/v1/publicity/workdays/period?start=2026-12-28").json()
    assert r["end"] == "2027-01-01" and r["warnings"] and r["working_days"] == 5
    assert dt.date.fromisoformat(r["days"][0]) == dt.date(2026, 12, 28)
