"""The evaluation API over real HTTP against a live server: a bearer token, and a session cookie
with its CSRF token (the test client would skip the CSRF check)."""

import pytest

from gongxin.accounts import actions as account_actions
from tests.core.test_api_http import _call, _session

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_whole_evaluation_by_api_with_a_token(live_server, cast, members, promoted):
    token = account_actions.issue_api_token(acting_user=None, user=cast["users"]["clerk"], name="evaluation")
    auth = {"Authorization": f"Bearer {token}"}
    import urllib.request

    opener = urllib.request.build_opener()
    base = f"{live_server.url}/api/v1"
    status, report = _call(opener, f"{base}/evaluation/reports", {"year": 2025, "org_unit_id": cast["lizhuang"].pk}, auth)
    assert status == 201 and report["figures"]["appointments"]["count"] == 2
    status, body = _call(opener, f"{base}/evaluation/reports/{report['id']}", {"text": "  "}, auth, method="PUT")
    assert status == 400 and body["code"] == "report.empty" and "正文" in body["message"]
    status, ev = _call(opener, f"{base}/evaluation/", {"year": 2025, "org_unit_id": cast["lizhuang"].pk,
                                                       "meeting_date": "2026-01-20",
                                                       "elector_ids": [m.pk for m in members]}, auth)
    assert status == 201, ev
    assert [c["name"] for c in ev["cadres"]] == ["甲一", "乙二"] and ev["flag_rule"]["flag_share"] == "1/3"
    mid = ev["meeting_id"]
    status, opened = _call(opener, f"{base}/meetings/{mid}/open", {}, auth)
    assert status == 200, opened
    electors = [e["id"] for e in _call(opener, f"{base}/meetings/{mid}/electorate", None, auth, method="GET")[1]]
    _call(opener, f"{base}/meetings/{mid}/check-ins", {"ids": electors}, auth)
    status, codes = _call(opener, f"{base}/meetings/{mid}/codes", {"count": 9}, auth)
    for i, code in enumerate(codes["codes"]):
        sel = [["satisfied"], ["endorse"], ["not_endorse" if i < 4 else "basically_endorse"]]
        status, body = _call(opener, f"{base}/meetings/public/ballots", {"code": code, "selections": sel})
        assert status == 201, body
    status, body = _call(opener, f"{base}/meetings/public/ballots",
                         {"code": codes["codes"][0], "selections": [["satisfied"], ["endorse"], ["endorse"]]})
    assert status == 409 and body["code"] == "ballot.code_used"
    status, closed = _call(opener, f"{base}/evaluation/{ev['id']}/close",
                           {"key_shares": opened["key_shares"][:2], "slips_issued": 9}, auth)
    assert status == 200, closed
    assert closed["results"]["satisfaction_rate"] == "1" and [c["flagged"] for c in closed["cadres"]] == [False, True]
    status, published = _call(opener, f"{base}/evaluation/{ev['id']}/publish", {}, auth)
    assert status == 200 and published["status"] == "published"
    status, public = _call(opener, f"{base}/evaluation/public/results", None, method="GET")
    assert status == 200 and public[0]["flagged"] == 1 and public[0]["satisfaction_rate"] == "1"
    assert "name" not in public[0]
    with opener.open(f"{live_server.url}{public[0]['ballots_file']}", timeout=30) as response:
        assert b'"mode": "rating"' in response.read()


def test_a_cookie_needs_its_csrf_token(live_server, cast, members, promoted):
    opener, cookies = _session(live_server, "clerk")
    url = f"{live_server.url}/api/v1/evaluation/reports"
    status, body = _call(opener, url, {"year": 2025, "org_unit_id": cast["lizhuang"].pk})
    assert status == 403 and body["code"] == "auth.csrf_failed"
    status, body = _call(opener, url, {"year": 2025, "org_unit_id": cast["lizhuang"].pk},
                         {"X-CSRFToken": cookies["csrftoken"]})
    assert status == 201 and body["year"] == 2025
    status, body = _call(opener, url, {"year": 2025, "org_unit_id": cast["hefang"].pk}, {"X-CSRFToken": cookies["csrftoken"]})
    assert status == 403 and body["code"] == "evaluation.unit_out_of_scope"
