"""Tier moves, exits, training classes, direct nomination and exit on promotion, through the
real actions."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from gongxin.cases import actions as case_actions
from gongxin.cases.models import CaseStage, Channel
from gongxin.core.errors import Conflict, DomainError
from gongxin.ledger.models import Event
from gongxin.reserve import actions
from gongxin.reserve.models import ChangeKind, ReserveCadre, TraineeStatus


def kinds(subject) -> list[str]:
    return list(Event.objects.filter(subject_type="reserve.reservecadre", subject_id=str(subject.pk))
                .order_by("seq").values_list("kind", flat=True))


def test_tier_moves_and_exit_are_recorded(young, enter, admin):
    r = enter(young(), tier=3)
    actions.change_tier(acting_user=admin, reserve=r, tier=2, reason="年度考核优秀", on=dt.date(2026, 2, 1))
    actions.change_tier(acting_user=admin, reserve=r, tier=1, reason="中青班推荐", on=dt.date(2026, 3, 1))
    with pytest.raises(DomainError, match="已在第一层次"):
        actions.change_tier(acting_user=admin, reserve=r, tier=1, reason="重复")
    with pytest.raises(DomainError, match="请填写原因"):
        actions.change_tier(acting_user=admin, reserve=r, tier=2, reason=" ")
    with pytest.raises(DomainError, match="层次只能是"):
        actions.change_tier(acting_user=admin, reserve=r, tier=4, reason="x")
    with pytest.raises(DomainError, match="请写明出库的具体情况"):
        actions.exit_reserve(acting_user=admin, reserve=r, reason="over_age", note="")
    actions.exit_reserve(acting_user=admin, reserve=r, reason="over_age", note="年满 46 周岁", on=dt.date(2026, 6, 1))
    r.refresh_from_db()
    assert (r.status, r.tier, r.exit_reason) == ("exited", 1, "over_age")
    assert [c.kind for c in r.changes.all()] == [ChangeKind.ENTRY, ChangeKind.TIER_CHANGE, ChangeKind.TIER_CHANGE,
                                                 ChangeKind.EXIT]
    assert kinds(r) == ["reserve.reserve_cadre.entered", "reserve.reserve_cadre.tier_changed",
                        "reserve.reserve_cadre.tier_changed", "reserve.reserve_cadre.exited"]
    with pytest.raises(Conflict):
        actions.change_tier(acting_user=admin, reserve=r, tier=2, reason="x")
    with pytest.raises(Conflict):
        actions.exit_reserve(acting_user=admin, reserve=r, reason="resigned", note="x")


def test_one_active_stay_and_reentry_after_exit(young, enter, admin):
    cadre = young()
    r = enter(cadre)
    with pytest.raises(Conflict, match="已在后备干部库中"):
        enter(cadre)
    actions.exit_reserve(acting_user=admin, reserve=r, reason="by_decision", note="调整", on=dt.date(2026, 2, 1))
    again = enter(cadre, tier=2, on=dt.date(2026, 3, 1))
    assert ReserveCadre.objects.filter(cadre=cadre).count() == 2 and again.is_active


def test_profile_over_500_refused(young, enter):
    with pytest.raises(DomainError, match="不能超过 500 字"):
        enter(young(), profile="字" * 501)


def test_enrolment_tier1_or_by_decision(young, enter, admin):
    tc = actions.create_training_class(acting_user=admin, name="2026年中青班", starts_on=dt.date(2026, 3, 1),
                                       ends_on=dt.date(2026, 4, 30))
    one, two, outside = young("甲一"), young("乙二"), young("丙三")
    enter(one, tier=1)
    enter(two, tier=2)
    actions.enrol_trainee(acting_user=admin, training_class=tc, cadre=one)
    with pytest.raises(DomainError, match="第二层次后备干部"):
        actions.enrol_trainee(acting_user=admin, training_class=tc, cadre=two)
    with pytest.raises(DomainError, match="不是后备干部"):
        actions.enrol_trainee(acting_user=admin, training_class=tc, cadre=outside)
    t = actions.enrol_trainee(acting_user=admin, training_class=tc, cadre=outside, decision="县委组织部调训通知〔2026〕3号")
    assert t.decision.startswith("县委组织部")
    with pytest.raises(Conflict, match="已是本班学员"):
        actions.enrol_trainee(acting_user=admin, training_class=tc, cadre=one)


def test_graduation_needs_evaluations_and_attendance(young, enter, admin):
    tc = actions.create_training_class(acting_user=admin, name="第一期", starts_on=dt.date(2026, 3, 1),
                                       ends_on=dt.date(2026, 3, 31))
    sessions = [actions.add_session(acting_user=admin, training_class=tc, held_on=dt.date(2026, 3, d), topic=f"课{d}")
                for d in (2, 3, 4, 5, 6)]
    with pytest.raises(DomainError, match="开班与结业日期之间"):
        actions.add_session(acting_user=admin, training_class=tc, held_on=dt.date(2026, 4, 2), topic="x")
    a, b, c = (young(n) for n in ("甲", "乙", "丙"))
    for x in (a, b, c):
        enter(x)
    ta, tb, tcc = (actions.enrol_trainee(acting_user=admin, training_class=tc, cadre=x) for x in (a, b, c))
    for i, s in enumerate(sessions):
        # b misses two of five sessions (60% < 80%); a and c miss none / one (80%: enough)
        present = [ta.pk] + ([tb.pk] if i < 3 else []) + ([tcc.pk] if i else [])
        actions.record_attendance(acting_user=admin, session=s, present=present)
    actions.evaluate_trainee(acting_user=admin, trainee=ta, grade="excellent", comment="优")
    with pytest.raises(DomainError, match="1 名学员尚未鉴定|2 名学员尚未鉴定"):
        actions.graduate_class(acting_user=admin, training_class=tc, on=dt.date(2026, 3, 31))
    actions.evaluate_trainee(acting_user=admin, trainee=tb, grade="good", comment="良")
    actions.evaluate_trainee(acting_user=admin, trainee=tcc, grade="fail", comment="缺交作业")
    actions.graduate_class(acting_user=admin, training_class=tc, on=dt.date(2026, 3, 31))
    for t in (ta, tb, tcc):
        t.refresh_from_db()
    assert ta.status == TraineeStatus.GRADUATED and ta.graduated_on == dt.date(2026, 3, 31)
    assert tb.status == TraineeStatus.NOT_GRADUATED and "3/5" in tb.status_note
    assert tcc.status == TraineeStatus.NOT_GRADUATED and "不合格" in tcc.status_note
    with pytest.raises(Conflict, match="已于 2026-03-31 结业"):
        actions.evaluate_trainee(acting_user=admin, trainee=ta, grade="good", comment="改")


# ---- direct nomination ------------------------------------------------------------------------------

@pytest.fixture
def direct_case(cast, posts, admin):
    return case_actions.open_case(acting_user=admin, title="李庄镇镇长选任", org_unit=cast["lizhuang"],
                                  posts=[posts["lizhuang_head"]], channels=[Channel.RESERVE_DIRECT],
                                  motion_reason="镇长调任", motion_date=dt.date(2026, 1, 5))


def nominate(case, cadre, admin, training_class=None):
    evidence = {"training_class": training_class.pk} if training_class else {}
    return case_actions.add_candidate(acting_user=admin, case=case, cadre=cadre, channel=Channel.RESERVE_DIRECT,
                                      evidence=evidence)


REFUSALS = [
    # who, expected words
    ("not_in_pool", "不在后备干部库中"),
    ("tier2", "只有第一层次后备干部可以直接提名"),
    ("non_graduate", "没有中青班结业记录"),
    ("past_validity", "直接提名有效期已于"),
    ("no_class_cited", "请选择"),
]


@pytest.mark.parametrize("who, words", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_direct_nomination_refused(who, words, young, enter, graduate, admin, direct_case):
    today = timezone.localdate()
    cadre = young()
    cited = None
    if who != "not_in_pool":
        enter(cadre, tier=2 if who == "tier2" else 1, on=today - dt.timedelta(days=1200))
    if who in ("past_validity", "no_class_cited", "tier2"):
        # R24/training: 24 months; 25 months ago is past it
        on = today - dt.timedelta(days=760) if who == "past_validity" else today - dt.timedelta(days=30)
        if who == "tier2":
            cited = None
        else:
            cited = graduate([cadre], on) if who == "past_validity" else None
            if who == "no_class_cited":
                graduate([cadre], on)
    with pytest.raises(DomainError) as exc:
        nominate(direct_case, cadre, admin, cited)
    assert exc.value.code == "candidate.not_allowed"
    assert words in exc.value.message
    assert not direct_case.candidates.exists()


def test_direct_nomination_of_a_tier1_graduate_cites_the_class(young, enter, graduate, admin, direct_case):
    cadre = young()
    enter(cadre, tier=1)
    tc = graduate([cadre], timezone.localdate() - dt.timedelta(days=60))
    cand = nominate(direct_case, cadre, admin, tc)
    assert cand.evidence["training_class"] == tc.pk
    event = Event.objects.filter(kind="cases.candidate.added").order_by("-seq").first()
    assert json.loads(bytes(event.data))["payload"]["evidence"]["training_class"] == tc.pk


def test_other_channels_are_not_checked(young, cast, posts, admin):
    case = case_actions.open_case(acting_user=admin, title="x", org_unit=cast["lizhuang"], posts=[posts["lizhuang_head"]],
                                  channels=[Channel.PERFORMANCE], motion_reason="x")
    case_actions.add_candidate(acting_user=admin, case=case, cadre=young(), channel=Channel.PERFORMANCE, evidence={})


def test_appointment_through_a_case_exits_the_pool(young, enter, graduate, admin, direct_case, make_cadre, cast):
    from gongxin.cases.demo import clear_inspection, hold_decision

    cadre = young(rank_since=dt.date(2020, 1, 1), party_joined=dt.date(2008, 7, 1))
    from gongxin.people import actions as pa
    pa.add_resume_entry(acting_user=None, cadre=cadre, start=dt.date(2010, 1, 1), end=dt.date(2016, 1, 1),
                        description="李庄镇党政办科员", is_grassroots=True)
    r = enter(cadre, tier=1)
    tc = graduate([cadre], timezone.localdate() - dt.timedelta(days=60))
    nominate(direct_case, cadre, admin, tc)
    case = direct_case
    for stage in (CaseStage.NOMINATION, CaseStage.CANDIDATES, CaseStage.INSPECTION):
        case = case_actions.advance_case(acting_user=admin, case=case, to_stage=stage)
    for cand in case.candidates.all():
        clear_inspection(cand, acting_user=admin)
    case = case_actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.DECISION)
    members = [{"name": f"委员{i}", "cadre": make_cadre(cast["org_dept"], name=f"委员{i}", rank="fuchu",
                                                        birth=dt.date(1970, 1, 1 + i))} for i in range(7)]
    hold_decision(case, acting_user=admin, members=members, held_on=timezone.localdate() - dt.timedelta(days=20))
    case = case_actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.PUBLICITY)
    from gongxin.cases.demo import publish_publicity
    publish_publicity(case, acting_user=admin, start=timezone.localdate() - dt.timedelta(days=15))
    case = case_actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.APPOINTMENT)
    cand = case.candidates.get()
    case_actions.appoint_candidate(acting_user=admin, candidate=cand, start=timezone.localdate())
    r.refresh_from_db()
    assert (r.status, r.exit_reason) == ("exited", "promoted")
    assert "李庄镇镇长选任" in r.exit_note
