"""The decision-meeting page with a missing, non-numeric or unknown candidate or member:
a Chinese message on the page, never a 500 (issue 12, item 2)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from gongxin.cases.models import CaseStage

from .conftest import drive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_guards_only")]


@pytest.fixture
def meeting(client_for, clerk, case, eligible, members):
    c = client_for(clerk)
    case = drive(case, clerk, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    c.post(reverse("cases:meeting_create", args=[case.pk]), {
        "title": "县委常委会第 12 次会议", "held_on": "2026-03-01", "mode": "open", "place": "县委第一会议室",
        "other_members": "\n".join(m.name for m in members)})
    return c, case.decision_meetings.get()


@pytest.mark.parametrize("verb,data", [
    ("votes", {}),
    ("votes", {"candidate": "abc"}),
    ("votes", {"candidate": "999999"}),
    ("votes", {"candidate": str(10**20)}),
    ("attendance", {"present": ["x"]}),
    ("attendance", {"present": [str(10**20)]}),
])
def test_bad_posts_to_a_decision_meeting_say_what_is_wrong(meeting, verb, data):
    client, m = meeting
    client.raise_request_exception = False
    response = client.post(reverse("cases:meeting_action", args=[m.pk, verb]), data)
    assert response.status_code == 302
    said = [str(x) for x in get_messages(response.wsgi_request)]
    assert said and any(("人选" in s or "成员" in s) for s in said), said
