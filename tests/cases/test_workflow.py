"""The transition table: every illegal move refused with its blockers; every legal move writes
exactly one ledger event."""

import datetime as dt

import pytest

from gongxin.cases import actions, workflow
from gongxin.cases.models import STAGE_ORDER, CaseStage, CaseStatus
from gongxin.core.errors import DomainError
from gongxin.ledger.models import Event

from .conftest import drive

pytestmark = pytest.mark.usefixtures("own_guards_only")


def test_the_table_is_a_single_chain_from_motion_to_closed():
    assert [t.source for t in workflow.TRANSITIONS] == STAGE_ORDER[:-1]
    assert [t.target for t in workflow.TRANSITIONS] == STAGE_ORDER[1:]


def _events():
    return Event.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("start", STAGE_ORDER)
def test_every_skip_or_backward_move_is_refused_with_a_blocker(start, case, admin, eligible, members):
    case = drive(case, admin, start, candidates=[eligible("甲"), eligible("乙")], members=members)
    allowed = workflow.NEXT.get(start)
    for target in STAGE_ORDER:
        if allowed and target == allowed.target:
            continue
        before = _events()
        with pytest.raises(DomainError) as exc:
            actions.advance_case(acting_user=admin, case=case, to_stage=target)
        assert exc.value.code == "case.blocked"
        assert exc.value.details["blockers"], target
        assert _events() == before
        case.refresh_from_db()
        assert case.stage == start


@pytest.mark.django_db
def test_every_legal_move_writes_exactly_one_event(case, admin, eligible, members):
    cands = [eligible("甲"), eligible("乙")]
    for target in STAGE_ORDER[1:]:
        case.refresh_from_db()
        # Prepare the stage's data first (through drive up to the stage before), then count.
        before_stage = STAGE_ORDER[STAGE_ORDER.index(target) - 1]
        case = drive(case, admin, before_stage, candidates=cands, members=members)
        _prepare(case, admin, target, cands, members)
        before = _events()
        case = actions.advance_case(acting_user=admin, case=case, to_stage=target)
        assert _events() == before + 1
        ev = Event.objects.order_by("-seq").first()
        assert ev.kind == "cases.case.advanced" and ev.subject_id == str(case.pk)
        assert case.stage == target
    assert case.status == CaseStatus.COMPLETED


def _prepare(case, user, target, cands, members):
    from gongxin.cases.models import Channel

    if target == CaseStage.CANDIDATES:
        for c in cands:
            actions.add_candidate(acting_user=user, case=case, cadre=c, channel=Channel.OPEN_NOMINATION)
    if target == CaseStage.PUBLICITY:
        meeting = actions.create_decision_meeting(acting_user=user, case=case, title="常委会",
                                                  members=[{"name": m.name, "cadre": m} for m in members])
        actions.record_attendance(acting_user=user, meeting=meeting, present=[m.pk for m in meeting.members.all()])
        for cand in case.candidates.filter(status="active"):
            actions.record_votes(acting_user=user, meeting=meeting, candidate=cand,
                                 choices={m.pk: "agree" for m in meeting.members.all()})
        actions.close_decision_meeting(acting_user=user, meeting=meeting)
    if target == CaseStage.CLOSED:
        for cand in case.candidates.filter(status="active"):
            actions.appoint_candidate(acting_user=user, candidate=cand, start=dt.date(2026, 4, 1))


def _blockers_for(case, target):
    try:
        actions.advance_case(acting_user=None, case=case, to_stage=target)
    except DomainError as exc:
        return exc.details["blockers"]
    raise AssertionError("moved")


@pytest.mark.django_db
def test_nomination_needs_a_candidate_per_post(case, admin, eligible):
    actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.NOMINATION)
    blockers = _blockers_for(case, CaseStage.CANDIDATES)
    assert any("还没有提名人选" in b for b in blockers)


@pytest.mark.django_db
def test_inspection_needs_stored_and_passing_eligibility(case, admin, eligible, make_cadre, cast):
    actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.NOMINATION)
    young = make_cadre(cast["lizhuang"], name="小刘", work_started=dt.date(2025, 7, 1), rank_since=dt.date(2025, 7, 1))
    actions.add_candidate(acting_user=admin, case=case, cadre=young, channel="self_nomination")
    actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.CANDIDATES)
    blockers = _blockers_for(case, CaseStage.INSPECTION)
    assert any("资格审查未通过" in b and "小刘" in b for b in blockers)


@pytest.mark.django_db
def test_publicity_needs_a_decision_with_quorum(case, admin, eligible, members):
    case = drive(case, admin, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    assert _blockers_for(case, CaseStage.PUBLICITY) == ["还没有召开讨论决定会议并形成决定。"]
    meeting = actions.create_decision_meeting(acting_user=admin, case=case, title="常委会",
                                              members=[{"name": m.name, "cadre": m} for m in members])
    ms = list(meeting.members.all())
    actions.record_attendance(acting_user=admin, meeting=meeting, present=[m.pk for m in ms[:5]])  # 5 of 9
    actions.close_decision_meeting(acting_user=admin, meeting=meeting)
    assert any("会议无效" in b and "请重新召开" in b for b in _blockers_for(case, CaseStage.PUBLICITY))


@pytest.mark.django_db
def test_registered_guards_and_candidate_blockers_are_shown(case, admin, eligible, members, own_guards_only):
    pending = {"n": 2}
    own_guards_only.register_guard("decision", lambda c: [f"联审尚有 {pending['n']} 个单位未答复"] if pending["n"] else [])
    own_guards_only.register_candidate_blockers(lambda cand: ["个人有关事项报告未查核"] if pending["n"] else [])
    case = drive(case, admin, CaseStage.INSPECTION, candidates=[eligible("甲")], members=members)
    blockers = _blockers_for(case, CaseStage.DECISION)
    assert "联审尚有 2 个单位未答复" in blockers
    assert "甲：个人有关事项报告未查核" in blockers
    pending["n"] = 0
    assert actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.DECISION).stage == "decision"


@pytest.mark.django_db
def test_on_enter_hooks_run_inside_the_transition(case, admin, own_guards_only):
    seen = []
    own_guards_only.register_on_enter("nomination", lambda c, user: seen.append((c.stage, user)))
    actions.advance_case(acting_user=admin, case=case, to_stage="nomination")
    assert seen == [("nomination", admin)]


@pytest.mark.django_db
def test_a_failing_on_enter_hook_rolls_the_move_back(case, admin, own_guards_only):
    def boom(c, user):
        raise DomainError("publicity.failed", "公示生成失败")

    own_guards_only.register_on_enter("nomination", boom)
    before = Event.objects.count()
    with pytest.raises(DomainError):
        actions.advance_case(acting_user=admin, case=case, to_stage="nomination")
    case.refresh_from_db()
    assert case.stage == "motion" and Event.objects.count() == before


@pytest.mark.django_db
def test_suspended_and_withdrawn_cases_do_not_move(case, admin):
    actions.suspend_case(acting_user=admin, case=case, reason="收到举报，需核查")
    assert "已暂停" in _blockers_for(case, "nomination")[0]
    with pytest.raises(DomainError) as exc:
        actions.suspend_case(acting_user=admin, case=case, reason="again")
    assert exc.value.code == "case.not_active"
    actions.resume_case(acting_user=admin, case=case, reason="核查无问题")
    actions.withdraw_case(acting_user=admin, case=case, reason="机构调整，职位撤销")
    assert "已撤销" in _blockers_for(case, "nomination")[0]
    with pytest.raises(DomainError):
        actions.resume_case(acting_user=admin, case=case, reason="x")
    kinds = list(Event.objects.filter(subject_type="cases.case", subject_id=str(case.pk))
                 .values_list("kind", flat=True))
    assert kinds == ["cases.case.opened", "cases.case.suspended", "cases.case.resumed", "cases.case.withdrawn"]


@pytest.mark.django_db
def test_status_changes_need_a_reason(case, admin):
    with pytest.raises(DomainError) as exc:
        actions.suspend_case(acting_user=admin, case=case, reason="  ")
    assert exc.value.code == "reason.required"


@pytest.mark.django_db
def test_decision_needs_a_fresh_eligibility_check(case, admin, eligible, members, monkeypatch):
    from gongxin.cases import facts

    case = drive(case, admin, CaseStage.INSPECTION, candidates=[eligible("甲")], members=members)
    # A problem substantiated during inspection reaches the engine through a facts provider.
    monkeypatch.setattr(facts, "_providers", [lambda cadre, on: {
        "four_checks": {"file": "done", "personal_matters_report": "done", "discipline_opinion": "done",
                        "complaints": "done"},
        "substantiated_problems": ["2026-06-01 信访反映：违规兼职取酬，经查属实"]}])
    blockers = _blockers_for(case, CaseStage.DECISION)
    assert blockers == ["甲 资格复核未通过：问题档案中有经查属实的问题：2026-06-01 信访反映：违规兼职取酬，经查属实"]
    monkeypatch.setattr(facts, "_providers", [lambda cadre, on: {"four_checks": {
        "file": "done", "personal_matters_report": "done", "discipline_opinion": "done", "complaints": "done"}}])
    case = actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.DECISION)
    cand = case.candidates.get()
    assert [r["outcome"] for r in cand.eligibility if r["item"] == "R13.checks"] == ["pass"]
    assert (f'"eligibility":[{{"candidate":{cand.pk},"name":"甲","passed":true}}]'
            in bytes(Event.objects.order_by("-seq").first().data).decode())
