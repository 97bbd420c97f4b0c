"""/api/v1/reserve/: the pool, tier moves, exits, composition and a class from enrolment to
graduation, with the pages' rules and errors as {code, message}."""

import datetime as dt
import json

API = "/api/v1/reserve"


def send(client, method, url, data):
    return getattr(client, method)(url, json.dumps(data, default=str), content_type="application/json")


def test_pool_lifecycle_over_the_api(client_for, admin, young, cast):
    c = client_for(admin)
    cadre = young("接口人", unit=cast["hefang"])
    r = send(c, "post", f"{API}/pool", {"cadre_id": cadre.pk, "tier": 2, "target_rank": "zhengke",
                                        "source": "organisation", "entered_on": "2026-01-10"})
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    old = send(c, "post", f"{API}/pool", {"cadre_id": young("超龄", birth=dt.date(1970, 1, 1)).pk, "tier": 1,
                                          "target_rank": "zhengke", "source": "organisation", "entered_on": "2026-01-10"})
    assert old.status_code == 400 and old.json()["code"] == "reserve.entry_refused"
    assert send(c, "post", f"{API}/pool/{rid}/tier", {"tier": 1, "reason": "表现突出", "on": "2026-02-01"}).json()["tier"] == 1
    listing = c.get(f"{API}/pool", {"tier": 1}).json()
    assert listing["count"] == 1 and listing["results"][0]["name"] == "接口人"
    comp = c.get(f"{API}/composition").json()
    assert comp[-1]["tier"] is None and comp[-1]["total"] == 1
    assert send(c, "put", f"{API}/composition/targets", {"measure": "women", "min_share": "50%"}).status_code == 200
    bad = send(c, "put", f"{API}/composition/targets", {"measure": "women", "min_share": "abc"})
    assert bad.status_code == 400 and bad.json()["code"] == "reserve.bad_share"
    out = send(c, "post", f"{API}/pool/{rid}/exit", {"reason": "resigned", "note": "辞职", "on": "2026-03-01"})
    assert out.json()["status"] == "exited"
    assert client_for(cast["users"]["clerk"]).get(f"{API}/pool/{rid}").status_code == 404


def test_class_over_the_api(client_for, admin, young, enter):
    c = client_for(admin)
    cadre = young("学员")
    enter(cadre, tier=1)
    tc = send(c, "post", f"{API}/classes", {"name": "接口班", "starts_on": "2026-03-01", "ends_on": "2026-03-20"}).json()
    s = send(c, "post", f"{API}/classes/{tc['id']}/sessions", {"held_on": "2026-03-02", "topic": "理论"}).json()
    t = send(c, "post", f"{API}/classes/{tc['id']}/trainees", {"cadre_id": cadre.pk}).json()
    assert send(c, "put", f"{API}/sessions/{s['id']}/attendance", {"present": [t["id"]]}).json() == {"present": 1}
    assert send(c, "post", f"{API}/trainees/{t['id']}/assignments",
                {"title": "调研报告", "submitted_on": "2026-03-10", "mark": "good"}).status_code == 201
    early = send(c, "post", f"{API}/classes/{tc['id']}/graduate", {"on": "2026-03-20"})
    assert early.status_code == 400 and early.json()["code"] == "training_class.not_ready"
    send(c, "put", f"{API}/trainees/{t['id']}/evaluation", {"grade": "excellent", "comment": "优秀"})
    done = send(c, "post", f"{API}/classes/{tc['id']}/graduate", {"on": "2026-03-20"}).json()
    assert done["graduated_on"] == "2026-03-20" and done["trainees"][0]["status"] == "graduated"
    assert done["trainees"][0]["attended"] == 1
