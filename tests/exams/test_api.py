"""The exams API over real HTTP against a live server: a bearer token, and a session cookie
with its CSRF token, drive the same actions as the pages; errors carry code and message."""

import datetime as dt

import pytest

from gongxin.accounts import actions as account_actions
from gongxin.exams.models import Exam, Registration
from tests.core.test_api_http import _call, _session

pytestmark = pytest.mark.django_db(transaction=True)


def test_clerk_with_a_token_runs_an_exam_and_a_cadre_with_a_cookie_registers(live_server, cast, qualified):
    import urllib.request

    token = account_actions.issue_api_token(acting_user=None, user=cast["users"]["org_admin"], name="exams")
    auth = {"Authorization": f"Bearer {token}"}
    api = f"{live_server.url}/api/v1/exams"
    plain = urllib.request.build_opener()
    closes = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    body = {"channel": "public_selection", "title": "API公告", "org_unit_id": cast["root"].pk,
            "posts": [{"code": "01", "title": "副镇长", "count": 1}], "registration_closes": closes,
            "weights": {"written": "0.5", "interview": "0.6"}}
    status, out = _call(plain, f"{api}/exams", body, auth)
    assert status == 400 and out["code"] == "exam.weights" and "必须等于 1" in out["message"]
    body["weights"] = {"written": "50%", "interview": "1/2"}
    status, out = _call(plain, f"{api}/exams", body, auth)
    assert status == 201, out
    exam_id = out["id"]
    assert out["next_step"] == "publish_exam"
    status, out = _call(plain, f"{api}/exams/{exam_id}/step", {"step": "close_registration"}, auth)
    assert status == 409
    status, out = _call(plain, f"{api}/exams/{exam_id}/step", {"step": "publish_exam"}, auth)
    assert status == 200 and out["status"] == "registration"
    # a cadre registers with the session cookie (and its CSRF token)
    from gongxin.accounts.models import User

    cadre = qualified(cast["lizhuang"], "吴用")
    User.objects.create_user(username="wuyong", password="pass-1234-word", role="cadre", data_scope="self",
                             cadre=cadre)
    opener, cookies = _session(live_server, "wuyong")
    post_id = Exam.objects.get(pk=exam_id).posts.get().pk
    status, out = _call(opener, f"{api}/exams/{exam_id}/register", {"exam_post_id": post_id})
    assert status == 403  # no CSRF token
    status, out = _call(opener, f"{api}/exams/{exam_id}/register", {"exam_post_id": post_id},
                        {"X-CSRFToken": cookies["csrftoken"]})
    assert status == 201 and out["name"] == "吴用" and out["screening"]
    status, out = _call(opener, f"{api}/exams/{exam_id}/register", {"exam_post_id": post_id},
                        {"X-CSRFToken": cookies["csrftoken"]})
    assert status == 409 and out["code"] == "exam.registration_duplicate"
    for step in ("close_registration", "issue_admission_tickets"):
        assert _call(plain, f"{api}/exams/{exam_id}/step", {"step": step}, auth)[0] == 200
    ticket = Registration.objects.get(exam_id=exam_id).ticket_number
    status, out = _call(plain, f"{api}/exams/{exam_id}/scores", {"component": "written", "scores": {ticket: "缺考"}},
                        auth)
    assert status == 200 and out["recorded"] == 1
    status, out = _call(plain, f"{api}/exams/{exam_id}/ranking", None, auth, method="GET")
    assert status == 200 and out[0]["written"] == "缺考"
    # the cadre cannot reach the clerk's endpoints
    status, out = _call(opener, f"{api}/exams/{exam_id}/ranking", None, {"X-CSRFToken": cookies["csrftoken"]},
                        method="GET")
    assert status == 403
