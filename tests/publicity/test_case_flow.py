"""Publicity inside a case: the notice is drafted when the case enters publicity, and the
case cannot move to appointment before the period ends or while feedback is open."""

import datetime as dt

import pytest

cases_actions = pytest.importorskip("gongxin.cases.actions")
from gongxin.cases.models import CaseStage  # noqa: E402
from gongxin.core.errors import DomainError  # noqa: E402
from gongxin.publicity import actions  # noqa: E402
from gongxin.publicity.models import Appointment, Notice, NoticeKind  # noqa: E402


def _publicity_blockers(exc):
    return [b for b in exc.value.details.get("blockers", []) if "公示" in b]


@pytest.fixture(autouse=True)
def only_publicity_guards(monkeypatch):
    """The guards of the other apps (decision meeting, joint review, four checks) are tested
    in those apps; here only the cases workflow and the publicity hooks run."""
    from collections import defaultdict

    from gongxin.cases import guards, workflow

    monkeypatch.setattr(workflow, "OWN_GUARDS", {})
    monkeypatch.setattr(guards, "_guards", defaultdict(list, {"appointment": [actions.case_appointment_blockers]}))
    monkeypatch.setattr(guards, "_on_enter", defaultdict(list, {"publicity": [actions.on_case_enters_publicity]}))
    monkeypatch.setattr(guards, "_candidate_blockers", [actions.candidate_feedback_blockers])


def test_entering_publicity_drafts_the_notice_in_stroke_order(case_in_decision, cast):
    case = case_in_decision
    cases_actions.advance_case(acting_user=cast["users"]["clerk"], case=case, to_stage=CaseStage.PUBLICITY)
    notice = Notice.objects.get(case_id=case.pk)
    assert notice.kind == NoticeKind.PRE_APPOINTMENT and notice.status == "draft"
    assert [e.name for e in notice.entries.order_by("position")] == ["王五", "张三"]
    assert all(e.proposed_post == "李庄镇党委书记" for e in notice.entries.all())


def test_case_cannot_move_to_appointment_before_period_end_or_with_open_feedback(case_in_decision, cast):
    clerk = cast["users"]["clerk"]
    case = case_in_decision
    cases_actions.advance_case(acting_user=clerk, case=case, to_stage=CaseStage.PUBLICITY)
    notice = Notice.objects.get(case_id=case.pk)
    # draft: blocked
    with pytest.raises(DomainError) as exc:
        cases_actions.advance_case(acting_user=clerk, case=case, to_stage=CaseStage.APPOINTMENT)
    assert any("尚未发布" in b for b in _publicity_blockers(exc))
    # published today: the period runs
    actions.publish_notice(acting_user=clerk, notice=notice)
    with pytest.raises(DomainError) as exc:
        cases_actions.advance_case(acting_user=clerk, case=case, to_stage=CaseStage.APPOINTMENT)
    assert any("公示期未满" in b for b in _publicity_blockers(exc))
    # a period that has ended, but one open feedback item
    Notice.objects.filter(pk=notice.pk).update(period_start=dt.date(2026, 1, 5), period_end=dt.date(2026, 1, 9))
    entry = notice.entries.get(name="张三")
    fb = actions.submit_feedback(notice=notice, entry=entry, category="integrity", text="反映张三有问题。")
    with pytest.raises(DomainError) as exc:
        cases_actions.advance_case(acting_user=clerk, case=case, to_stage=CaseStage.APPOINTMENT)
    assert any("未办结" in b for b in _publicity_blockers(exc))
    # resolved: no publicity blocker remains
    actions.reply_feedback(acting_user=clerk, feedback=fb, reply="经核查，不属实。", resolve=True)
    assert actions.case_appointment_blockers(case) == []
    cases_actions.advance_case(acting_user=clerk, case=case, to_stage=CaseStage.APPOINTMENT)
    # new feedback after the move blocks that person's appointment (per-candidate blocker)
    late = actions.submit_feedback(notice=notice, entry=entry, category="conduct", text="又有新的反映。")
    with pytest.raises(DomainError):
        actions.appoint(acting_user=clerk, cadre=entry.cadre, post=entry.post, start=dt.date(2026, 11, 20),
                        notice=notice)
    actions.reply_feedback(acting_user=clerk, feedback=late, reply="已核查。", resolve=True)
    # and the clerk appoints through publicity: the case's candidate becomes appointed
    appointment = actions.appoint(acting_user=clerk, cadre=entry.cadre, post=entry.post, start=dt.date(2026, 11, 20),
                                  notice=notice)
    assert Appointment.objects.get() == appointment
    assert case.candidates.get(cadre=entry.cadre).status == "appointed"


def test_publicity_events_are_in_the_case_dossier(case_in_decision, cast):
    from gongxin.publicity.apps import _dossier_subjects

    clerk = cast["users"]["clerk"]
    cases_actions.advance_case(acting_user=clerk, case=case_in_decision, to_stage=CaseStage.PUBLICITY)
    notice = actions.publish_notice(acting_user=clerk, notice=Notice.objects.get(case_id=case_in_decision.pk))
    fb = actions.submit_feedback(notice=notice, category="other", text="有意见反映。")
    subjects = _dossier_subjects(case_in_decision)
    assert ("publicity.notice", str(notice.pk)) in subjects and ("publicity.feedback", str(fb.pk)) in subjects
