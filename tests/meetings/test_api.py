"""The REST API: the whole meeting by API, public voting, errors as {code, message}."""

import json

from gongxin.meetings.models import MeetingStatus

SEED = "api-seed-0123456789abcdef"


def _post(c, url, data=None):
    return c.post(url, json.dumps(data or {}), content_type="application/json")


def test_meeting_by_api(cast, client_for, electors, nominees):
    admin = client_for(cast["users"]["org_admin"])
    public = client_for(None)
    r = _post(admin, "/api/v1/meetings/", {"title": "API 推荐会", "org_unit_id": cast["lizhuang"].pk})
    assert r.status_code == 201, r.content
    mid = r.json()["id"]
    assert _post(admin, f"/api/v1/meetings/{mid}/posts", {"title": "镇长", "k": 1}).status_code == 201
    assert _post(admin, f"/api/v1/meetings/{mid}/electorate", {"ids": [e.pk for e in electors]}).json()["added"] == 6
    elector_ids = [e["id"] for e in admin.get(f"/api/v1/meetings/{mid}/electorate").json()]
    assert _post(admin, f"/api/v1/meetings/{mid}/check-ins", {"ids": elector_ids}).json()["added"] == 6
    opened = _post(admin, f"/api/v1/meetings/{mid}/open", {"seed": SEED})
    assert opened.status_code == 200 and opened.json()["seed"] == SEED
    shares = opened.json()["key_shares"]
    assert len(shares) == 3 and opened.json()["shares_needed"] == 2
    codes = _post(admin, f"/api/v1/meetings/{mid}/codes", {"count": 6}).json()["codes"]
    found = public.get("/api/v1/meetings/public/write-ins", {"code": codes[0], "post": "1", "q": "zy"}).json()
    assert [c["name"] for c in found] == ["赵一"]
    receipts = []
    for i, code in enumerate(codes):
        r = _post(public, "/api/v1/meetings/public/ballots", {"code": code, "selections": [[nominees[i % 2].pk]]})
        assert r.status_code == 201, r.content
        receipts.append(r.json()["receipt"])
    again = _post(public, "/api/v1/meetings/public/ballots", {"code": codes[0], "selections": [[]]})
    assert again.status_code == 409 and again.json()["code"] == "ballot.code_used"
    sealed = _post(admin, f"/api/v1/meetings/{mid}/close", {"slips_issued": 6, "key_shares": shares[:1]})
    assert sealed.status_code == 400 and sealed.json()["code"] == "meeting.key_shares_missing"
    blocked = _post(admin, f"/api/v1/meetings/{mid}/close", {"slips_issued": 5, "key_shares": shares[:2]})
    assert blocked.status_code == 400 and blocked.json()["details"]["blockers"]
    closed = _post(admin, f"/api/v1/meetings/{mid}/close", {"slips_issued": 6, "key_shares": shares[1:]})
    assert closed.json()["tally"]["posts"][0]["votes"] == {str(nominees[0].pk): 3, str(nominees[1].pk): 3}
    revealed = _post(admin, f"/api/v1/meetings/{mid}/reveal", {"seed": SEED}).json()
    slate = revealed["tally"]["posts"][0]["slate"]
    # 3 : 3 is exactly half each, not more: dispersed, a competitive slate of both (order by the seed)
    assert slate["competitive"] and slate["reason"] == "dispersed"
    assert sorted(slate["nominees"]) == sorted([str(nominees[0].pk), str(nominees[1].pk)])
    assert _post(admin, f"/api/v1/meetings/{mid}/publish").json()["published"] is True
    assert admin.get(f"/api/v1/meetings/{mid}").json()["status"] == MeetingStatus.PUBLISHED
    check = public.get(f"/api/v1/meetings/public/receipts/{receipts[0]}").json()
    assert check == {"recorded": True, "meeting_id": mid, "meeting_title": "API 推荐会", "published": True}
    assert public.get("/api/v1/meetings/public/receipts/AAAAABBBBB").json()["recorded"] is False


def test_api_needs_capability_and_scope(cast, client_for):
    assert client_for(cast["users"]["voter"]).get("/api/v1/meetings/").status_code == 403
    r = _post(client_for(cast["users"]["clerk"]), "/api/v1/meetings/", {"title": "x", "org_unit_id": cast["hefang"].pk})
    assert r.status_code == 404
