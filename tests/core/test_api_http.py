"""The API as integrators call it: over real HTTP against a live server, where Django's
CSRF check runs (the test client skips it)."""

import http.cookiejar
import json
import re
import urllib.error
import urllib.request

import pytest

from gongxin.accounts import actions as account_actions

pytestmark = pytest.mark.django_db(transaction=True)

RESUME = {"start": "2010-07-01", "description": "李庄镇党政办科员", "kind": "work"}


def _call(opener, url, body=None, headers=None, method="POST"):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def _session(live_server, username):
    """A browser-like opener logged in through the login page: cookie jar, CSRF form token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{live_server.url}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"username": username, "password": "pass-1234-word",
                                   "csrfmiddlewaretoken": token}).encode()
    opener.open(urllib.request.Request(f"{live_server.url}/accounts/login/", data=form), timeout=30)
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, "login failed"
    return opener, cookies


def test_a_bearer_token_writes_without_any_cookie(live_server, cast):
    token = account_actions.issue_api_token(acting_user=None, user=cast["users"]["clerk"], name="integration")
    zhang = cast["cadres"]["zhang"]
    opener = urllib.request.build_opener()  # no cookie jar at all
    status, body = _call(opener, f"{live_server.url}/api/v1/people/cadres/{zhang.pk}/resume", RESUME,
                         {"Authorization": f"Bearer {token}"})
    assert status == 201, body
    assert body["description"] == RESUME["description"]


def test_a_wrong_token_is_401_with_a_code_and_a_chinese_message(live_server, cast):
    status, body = _call(urllib.request.build_opener(), f"{live_server.url}/api/v1/people/cadres",
                         headers={"Authorization": "Bearer nope"}, method="GET")
    assert status == 401
    assert body["code"] == "auth.required" and "令牌" in body["message"]


def test_a_session_cookie_without_the_csrf_token_is_refused(live_server, cast):
    opener, _cookies = _session(live_server, "clerk")
    zhang = cast["cadres"]["zhang"]
    status, body = _call(opener, f"{live_server.url}/api/v1/people/cadres/{zhang.pk}/resume", RESUME)
    assert status == 403
    assert body["code"] == "auth.csrf_failed" and "CSRF" in body["message"]
    assert not zhang.resume_entries.exists()


def test_a_session_cookie_with_the_csrf_token_writes(live_server, cast):
    opener, cookies = _session(live_server, "clerk")
    zhang = cast["cadres"]["zhang"]
    status, body = _call(opener, f"{live_server.url}/api/v1/people/cadres/{zhang.pk}/resume", RESUME,
                         {"X-CSRFToken": cookies["csrftoken"]})
    assert status == 201, body
    assert zhang.resume_entries.count() == 1
