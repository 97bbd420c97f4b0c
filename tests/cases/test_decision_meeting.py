"""Decision meeting (R15): a meeting without a quorum is not held and decides nothing (issue 11
defect 1); members record only their own stance once the clerk opened voting (defect 9)."""

import json

import pytest
from django.urls import reverse

from gongxin.cases import actions
from gongxin.cases.models import CandidateStatus, CaseStage, DecisionMeeting
from gongxin.core.errors import DomainError
from gongxin.ledger.models import Event

from .conftest import drive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_guards_only")]
API = "/api/v1/cases"


def _meeting(case, user, members, *, extra=None):
    roster = [{"name": m.name, "cadre": m} for m in members] + (extra or [])
    return actions.create_decision_meeting(acting_user=user, case=case, title="常委会", members=roster)


def _hold(meeting, user, present_count, choice="agree"):
    ms = list(meeting.members.all())
    actions.record_attendance(acting_user=user, meeting=meeting, present=[m.pk for m in ms[:present_count]])
    for cand in meeting.case.candidates.filter(status="active"):
        actions.record_votes(acting_user=user, meeting=meeting, candidate=cand,
                             choices={m.pk: choice for m in ms[:present_count]})
    return actions.close_decision_meeting(acting_user=user, meeting=meeting)


def test_without_quorum_the_meeting_is_not_held_and_a_new_one_decides(case, admin, eligible, members):
    # given: 9 members, 5 present (below 2/3), every present member agrees
    case = drive(case, admin, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    cand = case.candidates.get()
    first = _hold(_meeting(case, admin, members), admin, 5)
    # then: not held, the candidate untouched, the reason on the case
    assert first.status == DecisionMeeting.Status.NOT_HELD
    assert first.get_status_display() == "不足法定人数，会议无效"
    cand.refresh_from_db()
    assert cand.status == CandidateStatus.ACTIVE and cand.status_reason == ""
    assert Event.objects.filter(kind="cases.decision_meeting.not_held").count() == 1
    assert not Event.objects.filter(kind="cases.decision.taken").exists()
    with pytest.raises(DomainError) as exc:
        actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.PUBLICITY)
    assert "会议无效" in exc.value.message and "请重新召开" in exc.value.message
    # when: a second meeting also fails, a third one with a quorum decides
    assert _hold(_meeting(case, admin, members), admin, 4).status == DecisionMeeting.Status.NOT_HELD
    third = _hold(_meeting(case, admin, members), admin, 6)
    assert third.status == DecisionMeeting.Status.CLOSED and third.result["candidates"][0]["passed"] is True
    assert actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.PUBLICITY).stage == "publicity"


def test_a_held_meeting_that_refuses_decides(case, admin, eligible, members):
    case = drive(case, admin, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    held = _hold(_meeting(case, admin, members), admin, 9, choice="disagree")
    assert held.status == DecisionMeeting.Status.CLOSED
    assert case.candidates.get().status == CandidateStatus.NOT_PASSED
    with pytest.raises(DomainError):
        actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.PUBLICITY)


def test_not_held_through_the_api_then_a_new_meeting(client_for, admin, case, eligible, members):
    c = client_for(admin)
    case = drive(case, admin, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    body = {"title": "常委会", "members": [{"name": m.name, "cadre_id": m.pk} for m in members]}
    meeting = c.post(f"{API}/cases/{case.pk}/decision-meetings", json.dumps(body), content_type="application/json").json()
    ids = [m["id"] for m in meeting["members"]]
    c.post(f"{API}/decision-meetings/{meeting['id']}/attendance", json.dumps({"present": ids[:5]}),
           content_type="application/json")
    r = c.post(f"{API}/decision-meetings/{meeting['id']}/close")
    assert r.status_code == 200 and r.json()["status"] == "not_held"
    assert case.candidates.get().status == "active"
    r = c.post(f"{API}/cases/{case.pk}/decision-meetings", json.dumps(body), content_type="application/json")
    assert r.status_code == 201
    r = c.post(f"{API}/decision-meetings/{r.json()['id']}/votes",
               json.dumps({"candidate_id": case.candidates.get().pk, "choices": {}}), content_type="application/json")
    assert r.status_code == 200  # the candidate is in the new meeting's scope


def test_member_records_only_their_own_stance_after_voting_opens(client_for, cast, admin, case, eligible, members):
    voter = cast["users"]["voter"]
    case = drive(case, admin, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    cand = case.candidates.get()
    meeting = _meeting(case, admin, members, extra=[{"name": "投票人", "user": voter}])
    ms = list(meeting.members.all())
    actions.record_attendance(acting_user=admin, meeting=meeting, present=[m.pk for m in ms])
    actions.record_votes(acting_user=admin, meeting=meeting, candidate=cand, choices={ms[0].pk: "disagree"})
    c = client_for(voter)
    page = c.get(reverse("cases:meeting_detail", args=[meeting.pk])).content.decode()
    # nobody else's stance, no dropdown per member, and a wait until the clerk opens voting
    assert "尚未开始表态" in page and f"choice_{ms[0].pk}" not in page and ms[0].name not in page
    r = c.post(reverse("cases:meeting_stance", args=[meeting.pk]), {"candidate": cand.pk, "choice": "agree"},
               follow=True)
    assert "工作人员尚未开始表态" in r.content.decode()
    actions.open_voting(acting_user=admin, meeting=meeting)
    page = c.get(reverse("cases:meeting_detail", args=[meeting.pk])).content.decode()
    assert 'type="radio" name="choice" value="agree"' in page and "缓议" in page
    r = c.post(reverse("cases:meeting_stance", args=[meeting.pk]), {"candidate": cand.pk, "choice": "defer"})
    assert r.status_code == 302
    mine = meeting.members.get(user=voter)
    assert meeting.votes.get(member=mine).choice == "defer"
    assert meeting.votes.get(member=ms[0]).choice == "disagree"  # untouched
    # a member cannot run the clerk's actions
    assert c.post(reverse("cases:meeting_action", args=[meeting.pk, "votes"]),
                  {"candidate": cand.pk, f"choice_{ms[0].pk}": "agree"}).status_code == 403
    # the clerk sees the tally
    page = client_for(admin).get(reverse("cases:meeting_detail", args=[meeting.pk])).content.decode()
    assert "同意 0、不同意 1、缓议 1" in page


def test_voting_cannot_open_without_a_quorum(case, admin, eligible, members):
    case = drive(case, admin, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    meeting = _meeting(case, admin, members)
    actions.record_attendance(acting_user=admin, meeting=meeting, present=[m.pk for m in meeting.members.all()][:3])
    with pytest.raises(DomainError) as exc:
        actions.open_voting(acting_user=admin, meeting=meeting)
    assert exc.value.code == "decision.no_quorum"


def test_clerk_closes_a_meeting_without_quorum_on_the_page(client_for, clerk, case, eligible, members):
    c = client_for(clerk)
    case = drive(case, clerk, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    meeting = _meeting(case, clerk, members)
    ms = list(meeting.members.all())
    c.post(reverse("cases:meeting_action", args=[meeting.pk, "attendance"]), {"present": [m.pk for m in ms[:4]]})
    page = c.get(reverse("cases:meeting_detail", args=[meeting.pk])).content.decode()
    assert "未达到法定人数" in page and "结束会议（不足法定人数，会议无效）" in page
    r = c.post(reverse("cases:meeting_action", args=[meeting.pk, "close"]), follow=True)
    assert "会议无效，人选状态不变" in r.content.decode()
    case_page = c.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "召开讨论决定会议" in case_page
