"""Actions through real state: candidates and their eligibility, exceptions, self-nomination,
the decision meeting with recusal, rule versions, appointment, the dossier."""

import datetime as dt

import pytest

from gongxin.cases import actions, dossier
from gongxin.cases.models import (
    Application,
    CandidateStatus,
    CaseStage,
    Channel,
    RuleSet,
    VotingMode,
)
from gongxin.cases.recusal import must_recuse, recusals
from gongxin.cases.rules import rule_params, rule_set_in_force
from gongxin.core.errors import DomainError
from gongxin.ledger.models import Event
from gongxin.people import actions as people_actions

from .conftest import drive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_guards_only")]


def test_rule_params_contract():
    assert rule_params("R17")["working_days"] == 5
    assert rule_params("R10")["min_members"] == 2
    assert rule_params("R7")["turnout"] == "2/3"
    assert rule_params("R15")["quorum"] == "2/3"
    assert rule_params("R18")["probation_months"] == 12
    assert rule_params("R1", variant="section")["min_work_years"] == 3
    assert rule_params("R1", variant="county")["min_work_years"] == 5
    codes = set(RuleSet.objects.get(version=1).rules.values_list("code", flat=True))
    assert {"R1", "R2", "R6", "R7", "R8", "R10", "R13", "R15", "R17", "R18", "R19", "R20", "R23", "R24", "R25",
            "R28", "R29"} <= codes


def test_a_case_freezes_the_rule_set_in_force_at_its_motion(case, admin, cast, posts):
    r17 = case.rule_set.rules.get(code="R17")
    v2 = actions.edit_rule(acting_user=admin, rule=r17, parameters={"working_days": 7}, note="本县从严",
                           effective_from=dt.date(2026, 6, 1))
    assert v2.version == 2 and rule_params("R17", on=dt.date(2026, 6, 1))["working_days"] == 7
    assert rule_params("R17", on=dt.date(2026, 5, 31))["working_days"] == 5
    assert rule_params("R17", case=case)["working_days"] == 5
    later = actions.open_case(acting_user=admin, title="何坊街道党工委书记", org_unit=cast["hefang"],
                              posts=[posts["hefang_secretary"]], channels=["performance"], motion_reason="x",
                              motion_date=dt.date(2026, 7, 1))
    assert later.rule_set == v2 and rule_params("R17", case=later)["working_days"] == 7
    ev = Event.objects.filter(kind="cases.rule_set.versioned").get()
    assert ev.public
    assert b'"after":{"parameters":{"working_days":7}}' in bytes(ev.data)


def test_only_the_latest_version_can_be_edited(case, admin):
    r17 = case.rule_set.rules.get(code="R17")
    actions.edit_rule(acting_user=admin, rule=r17, parameters={"working_days": 6}, note="a")
    with pytest.raises(DomainError) as exc:
        actions.edit_rule(acting_user=admin, rule=r17, parameters={"working_days": 8}, note="b")
    assert exc.value.code == "rule.stale"


def test_add_candidate_stores_eligibility_with_reasons(case, admin, eligible, make_cadre, cast):
    actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.NOMINATION)
    ok = actions.add_candidate(acting_user=admin, case=case, cadre=eligible("甲"), channel=Channel.OPEN_NOMINATION)
    assert ok.eligibility_passed and ok.eligibility_checked_at
    assert {r["code"] for r in ok.eligibility} >= {"R1", "R2", "R8", "R13", "R25"}
    people_actions.set_annual_grade(acting_user=None, cadre=cast["cadres"]["wang"], year=2023,
                                    grade="basically_competent")
    bad = actions.add_candidate(acting_user=admin, case=case, cadre=cast["cadres"]["wang"], channel="performance")
    assert bad.eligibility_passed is False
    reasons = [r["reason"] for r in bad.eligibility if r["outcome"] == "fail"]
    assert any("2023 年度考核为基本称职" in r for r in reasons)
    ev = Event.objects.filter(kind="cases.candidate.added", subject_id=str(bad.pk)).get()
    assert b"R8.grades" in bytes(ev.data)
    with pytest.raises(DomainError) as exc:
        actions.add_candidate(acting_user=admin, case=case, cadre=cast["cadres"]["wang"], channel="performance")
    assert exc.value.code == "candidate.duplicate"


def test_candidates_cannot_enter_after_the_candidates_stage(case, admin, eligible, members):
    case = drive(case, admin, CaseStage.INSPECTION, candidates=[eligible("甲")], members=members)
    with pytest.raises(DomainError) as exc:
        actions.add_candidate(acting_user=admin, case=case, cadre=eligible("乙"), channel="performance")
    assert exc.value.code == "case.candidates_fixed"


def test_candidate_status_changes_are_one_event_each(case, admin, eligible):
    cand = actions.add_candidate(acting_user=admin, case=case, cadre=eligible("甲"), channel="performance")
    before = Event.objects.count()
    actions.suspend_candidate(acting_user=admin, candidate=cand, reason="信访举报待核")
    actions.resume_candidate(acting_user=admin, candidate=cand, reason="核查不属实")
    cand = actions.disqualify_candidate(acting_user=admin, candidate=cand, reason="考察发现问题")
    assert cand.status == CandidateStatus.DISQUALIFIED and Event.objects.count() == before + 3
    with pytest.raises(DomainError):
        actions.resume_candidate(acting_user=admin, candidate=cand, reason="x")


def test_exception_with_approval_makes_a_short_tenure_candidate_eligible(case, admin, eligible):
    cand = actions.add_candidate(acting_user=admin, case=case, cadre=eligible("甲", rank_since=dt.date(2025, 9, 1)),
                                 channel="performance")
    assert cand.eligibility_passed is False
    cand = actions.record_exception(acting_user=admin, candidate=cand, reason="重点项目实绩突出",
                                    approval="市委组织部同意（市组函〔2026〕8号）")
    assert cand.eligibility_passed is True
    assert [r["outcome"] for r in cand.eligibility if r["item"] == "R1.tenure"] == ["exception"]
    with pytest.raises(DomainError) as exc:
        actions.record_exception(acting_user=admin, candidate=cand, reason="x", approval=" ")
    assert exc.value.code == "exception.incomplete"


def test_facts_providers_make_eligibility_fail(case, admin, eligible, own_guards_only, monkeypatch):
    from gongxin.cases import facts

    target = eligible("甲")
    monkeypatch.setattr(facts, "_providers", [lambda cadre, on: {
        "substantiated_problems": ["2026-05-01 信访反映：违规收受礼金"] if cadre.pk == target.pk else [],
        "sanctions": [{"kind": "admonishment", "imposed_on": dt.date(2026, 10, 1)}] if cadre.pk == target.pk else []}])
    cand = actions.add_candidate(acting_user=admin, case=case, cadre=target, channel="performance")
    failed = {r["item"] for r in cand.eligibility if r["outcome"] == "fail"}
    assert failed == {"R13.problems", "R25.sanctions"}


# ---- self-nomination --------------------------------------------------------------------------

def test_self_nomination_end_to_end(case, admin, cast, eligible):
    cadre_user = cast["users"]["cadre"]  # 张三, who lacks the Party years and rank tenure
    notice = actions.publish_vacancy_notice(acting_user=admin, case=case, post=case.case_posts.get().post,
                                            qualifications="大学本科以上学历，2 年以上副科级任职经历",
                                            deadline=dt.date.today() + dt.timedelta(days=10),
                                            requirements={"max_age": 45})
    assert "self_nomination" in type(case).objects.get(pk=case.pk).channels
    app = actions.apply_to_notice(acting_user=cadre_user, notice=notice, statement="熟悉乡镇工作")
    assert app.eligibility_passed is False
    assert any(r["item"] == "notice.age" for r in app.eligibility)
    with pytest.raises(DomainError) as exc:
        actions.apply_to_notice(acting_user=cadre_user, notice=notice)
    assert exc.value.code == "application.duplicate"
    actions.reject_application(acting_user=admin, application=app, reason="党龄不满三年")
    assert Application.objects.get(pk=app.pk).reason == "党龄不满三年"
    # A second applicant is accepted and becomes a candidate through the self-nomination channel.
    other = eligible("乙")
    from gongxin.accounts.models import User

    u = User.objects.create_user(username="yi", password="x-pass-1234", role="cadre", data_scope="self", cadre=other)
    app2 = actions.apply_to_notice(acting_user=u, notice=notice)
    assert app2.eligibility_passed
    app2 = actions.accept_application(acting_user=admin, application=app2)
    assert app2.candidate.channel == Channel.SELF_NOMINATION and app2.candidate.post == notice.post
    assert any(r["item"] == "notice.age" for r in app2.candidate.eligibility)
    kinds = list(Event.objects.filter(kind__startswith="cases.application").values_list("kind", flat=True))
    assert kinds == ["cases.application.submitted", "cases.application.rejected", "cases.application.submitted",
                     "cases.application.accepted"]


def test_open_notice_blocks_fixing_candidates(case, admin, eligible):
    actions.publish_vacancy_notice(acting_user=admin, case=case, post=case.case_posts.get().post,
                                   qualifications="x", deadline=dt.date.today() + dt.timedelta(days=3))
    actions.advance_case(acting_user=admin, case=case, to_stage="nomination")
    actions.add_candidate(acting_user=admin, case=case, cadre=eligible("甲"), channel="performance")
    with pytest.raises(DomainError) as exc:
        actions.advance_case(acting_user=admin, case=case, to_stage="candidates")
    assert any("自荐报名到" in b for b in exc.value.details["blockers"])


def test_applying_after_the_deadline_is_refused(case, admin, cast):
    notice = actions.publish_vacancy_notice(acting_user=admin, case=case, post=case.case_posts.get().post,
                                            qualifications="x", deadline=dt.date.today())
    actions.close_vacancy_notice(acting_user=admin, notice=notice)
    with pytest.raises(DomainError) as exc:
        actions.apply_to_notice(acting_user=cast["users"]["cadre"], notice=notice)
    assert exc.value.code == "notice.closed"


# ---- recusal on real data -------------------------------------------------------------------------

@pytest.fixture
def family(cast, make_cadre, county, posts):
    """甲 the candidate; 配偶 is 甲's spouse; 舅子 is the spouse's brother; 表兄 is 甲's cousin;
    书记 holds the township Party secretary post above 甲 (副科 in 李庄镇)."""
    cand = make_cadre(county["lizhuang"], name="甲")
    spouse = make_cadre(county["finance"], name="配偶", sex="F", birth=dt.date(1986, 2, 2))
    brother_in_law = make_cadre(county["finance"], name="舅子", birth=dt.date(1988, 2, 2))
    cousin = make_cadre(county["hefang"], name="表兄", birth=dt.date(1980, 2, 2))
    boss = make_cadre(county["lizhuang"], name="书记", rank="zhengke", birth=dt.date(1975, 2, 2))
    stranger = make_cadre(county["finance"], name="路人", birth=dt.date(1979, 2, 2))
    people_actions.add_relation(acting_user=None, cadre=cand, kind="spouse", title="妻子", name="配偶",
                                related_cadre=spouse)
    people_actions.add_relation(acting_user=None, cadre=spouse, kind="brother", title="弟弟", name="舅子",
                                related_cadre=brother_in_law)
    people_actions.add_relation(acting_user=None, cadre=cousin, kind="cousin", title="表弟", name="甲",
                                related_cadre=cand)
    people_actions.appoint_to_post(acting_user=None, cadre=boss, post=posts["lizhuang_head"],
                                   start=dt.date(2022, 1, 1))
    return {"cand": cand, "spouse": spouse, "brother_in_law": brother_in_law, "cousin": cousin, "boss": boss,
            "stranger": stranger}


def test_recusal_over_the_relations_graph(family):
    f = family
    assert [r.code for r in recusals(f["spouse"], f["cand"])] == ["spouse"]
    assert [r.code for r in recusals(f["brother_in_law"], f["cand"])] == ["in_law"]
    assert [r.code for r in recusals(f["cousin"], f["cand"])] == ["collateral3"]
    assert [r.code for r in recusals(f["boss"], f["cand"])] == ["superior"]
    assert recusals(f["stranger"], f["cand"]) == []
    assert "近姻亲" in must_recuse(f["brother_in_law"], f["cand"])
    assert must_recuse(f["stranger"], f["cand"]) is None


def test_recused_members_cannot_vote_and_are_shown(case, admin, family, members):
    f = family
    actions.advance_case(acting_user=admin, case=case, to_stage="nomination")
    cand = actions.add_candidate(acting_user=admin, case=case, cadre=f["cand"], channel="performance")
    case.stage = "decision"  # the decision stage's own data is what this test is about
    case.save(update_fields=["stage"])
    roster = [{"name": m.name, "cadre": m} for m in members[:7]] + [{"name": "配偶", "cadre": f["spouse"]},
                                                                    {"name": "书记", "cadre": f["boss"]}]
    meeting = actions.create_decision_meeting(acting_user=admin, case=case, title="常委会", members=roster)
    ms = {m.name: m for m in meeting.members.all()}
    actions.record_attendance(acting_user=admin, meeting=meeting, present=[m.pk for m in ms.values()])
    with pytest.raises(DomainError) as exc:
        actions.record_votes(acting_user=admin, meeting=meeting, candidate=cand, choices={ms["配偶"].pk: "agree"})
    assert exc.value.code == "decision.recused" and "夫妻" in exc.value.message
    actions.record_votes(acting_user=admin, meeting=meeting, candidate=cand,
                         choices={ms[m.name].pk: "agree" for m in members[:5]})
    meeting = actions.close_decision_meeting(acting_user=admin, meeting=meeting)
    row = meeting.result["candidates"][0]
    assert set(row["recused"]) == {"配偶", "书记"}
    assert row["agree"] == 5 and row["needed"] == 5 and row["vote_passed"]   # 5 of 9 members: more than half


def test_exactly_half_of_members_agreeing_fails_and_marks_the_candidate(case, admin, eligible, members):
    case = drive(case, admin, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    roster = [{"name": m.name, "cadre": m} for m in members] + [{"name": "第十人"}]
    meeting = actions.create_decision_meeting(acting_user=admin, case=case, title="常委会", members=roster)
    ms = list(meeting.members.all())
    actions.record_attendance(acting_user=admin, meeting=meeting, present=[m.pk for m in ms])
    cand = case.candidates.get()
    actions.record_votes(acting_user=admin, meeting=meeting, candidate=cand,
                         choices={m.pk: ("agree" if i < 5 else "disagree") for i, m in enumerate(ms)})
    actions.close_decision_meeting(acting_user=admin, meeting=meeting)
    cand.refresh_from_db()
    assert cand.status == CandidateStatus.NOT_PASSED and "半数" in cand.status_reason


def test_absent_members_cannot_vote(case, admin, eligible, members):
    case = drive(case, admin, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    meeting = actions.create_decision_meeting(acting_user=admin, case=case, title="常委会",
                                              members=[{"name": m.name, "cadre": m} for m in members])
    ms = list(meeting.members.all())
    actions.record_attendance(acting_user=admin, meeting=meeting, present=[m.pk for m in ms[1:]],
                              absence_reasons={ms[0].pk: "出差"})
    with pytest.raises(DomainError) as exc:
        actions.record_votes(acting_user=admin, meeting=meeting, candidate=case.candidates.get(),
                             choices={ms[0].pk: "agree"})
    assert exc.value.code == "decision.absent"


def test_secret_ballot_counts(case, admin, eligible, members):
    case = drive(case, admin, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    meeting = actions.create_decision_meeting(acting_user=admin, case=case, title="全委会", mode=VotingMode.SECRET,
                                              members=[{"name": m.name, "cadre": m} for m in members])
    ms = list(meeting.members.all())
    actions.record_attendance(acting_user=admin, meeting=meeting, present=[m.pk for m in ms[:8]])
    cand = case.candidates.get()
    with pytest.raises(DomainError) as exc:
        actions.record_secret_counts(acting_user=admin, meeting=meeting, candidate=cand, agree=7, disagree=2, defer=0)
    assert exc.value.code == "decision.bad_counts"
    actions.record_secret_counts(acting_user=admin, meeting=meeting, candidate=cand, agree=6, disagree=1, defer=1)
    meeting = actions.close_decision_meeting(acting_user=admin, meeting=meeting)
    assert meeting.result["candidates"][0]["passed"]
    with pytest.raises(DomainError):
        actions.record_secret_counts(acting_user=admin, meeting=meeting, candidate=cand, agree=1, disagree=0, defer=0)


def test_decision_re_checks_eligibility_pending_checks_fail(case, admin, eligible, members, monkeypatch):
    from gongxin.cases import facts

    case = drive(case, admin, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    monkeypatch.setattr(facts, "_providers", [lambda cadre, on: {"four_checks": {"file": "done"}}])
    meeting = actions.create_decision_meeting(acting_user=admin, case=case, title="常委会",
                                              members=[{"name": m.name, "cadre": m} for m in members])
    ms = list(meeting.members.all())
    actions.record_attendance(acting_user=admin, meeting=meeting, present=[m.pk for m in ms])
    cand = case.candidates.get()
    actions.record_votes(acting_user=admin, meeting=meeting, candidate=cand, choices={m.pk: "agree" for m in ms})
    meeting = actions.close_decision_meeting(acting_user=admin, meeting=meeting)
    row = meeting.result["candidates"][0]
    assert row["vote_passed"] and not row["eligible"] and not row["passed"]
    assert any("尚未查核" in f for f in row["eligibility_failed"])


def test_decision_taken_asks_for_a_checkpoint_after_commit(case, admin, eligible, members, monkeypatch):
    import sys
    import types

    calls = []
    fake = types.ModuleType("gongxin.ledger.checkpoints")
    fake.checkpoint_after_commit = calls.append
    monkeypatch.setitem(sys.modules, "gongxin.ledger.checkpoints", fake)
    drive(case, admin, CaseStage.PUBLICITY, candidates=[eligible("甲")], members=members)
    assert len(calls) == 1 and "李庄镇党委书记选任" in calls[0]


# ---- appointment and the dossier -----------------------------------------------------------------

def test_appointment_updates_the_cadre_with_probation(case, admin, eligible, members):
    case = drive(case, admin, CaseStage.CLOSED, candidates=[eligible("甲"), eligible("乙")], members=members)
    appointed = case.candidates.get(status=CandidateStatus.APPOINTED)
    holding = appointed.cadre.post_holdings.get(end__isnull=True)
    assert holding.post == case.case_posts.get().post
    assert holding.probation_end == dt.date(2027, 3, 31)
    assert case.candidates.get(status=CandidateStatus.NOT_PASSED).status_reason == "同意票数未进入拟选职数"


@pytest.mark.parametrize(("rank", "on_probation"), [
    ("zhengke", False),             # 正科级 to a 正科 post: a move at the same level
    ("yiji_zhurenkeyuan", True),    # 一级主任科员 (a grade of the same level): the first leading post, 提拔
    ("fuke", True),                 # a level up
])
def test_r18_probation_on_a_promotion_to_a_leading_post(case, admin, eligible, members, rank, on_probation):
    case = drive(case, admin, CaseStage.CLOSED, candidates=[eligible("甲", rank=rank)], members=members)
    holding = case.candidates.get(status=CandidateStatus.APPOINTED).cadre.post_holdings.get(end__isnull=True)
    assert holding.probation_end == (dt.date(2027, 3, 31) if on_probation else None)


def test_dossier_has_every_stage_and_the_decision(case, admin, eligible, members):
    case = drive(case, admin, CaseStage.CLOSED, candidates=[eligible("甲")], members=members)
    built = dossier.build(case)
    stages_with_entries = [s["stage"] for s in built["stages"] if s["entries"]]
    assert stages_with_entries == ["motion", "nomination", "candidates", "inspection", "decision", "publicity",
                                   "appointment", "closed"]
    kinds = [e.kind for e in built["entries"]]
    assert kinds[0] == "cases.case.opened" and "cases.decision.taken" in kinds and kinds[-1] == "cases.case.advanced"
    decided = [e for e in built["entries"] if e.kind == "cases.decision.taken"][0]
    assert "应到 9 人，实到 9 人" in decided.summary


def test_rule_set_in_force_and_missing(db):
    assert rule_set_in_force(on=dt.date(2020, 1, 1)).version == 1
    with pytest.raises(DomainError) as exc:
        rule_set_in_force(on=dt.date(2010, 1, 1))
    assert exc.value.code == "rules.none_in_force"


def test_direct_superior_is_within_the_unit_not_the_parent(cast, make_cadre, county, posts, ranks):
    from gongxin.people.models import PostKind

    leader = make_cadre(county["root"], name="县领导", rank="fuchu", birth=dt.date(1968, 1, 1))
    county_post = people_actions.create_post(acting_user=None, org_unit=county["root"], title="副书记",
                                             rank=ranks["fuchu"], kind=PostKind.LEADERSHIP)
    people_actions.appoint_to_post(acting_user=None, cadre=leader, post=county_post, start=dt.date(2021, 1, 1))
    town_head = make_cadre(county["lizhuang"], name="镇长", rank="zhengke", birth=dt.date(1976, 1, 1))
    people_actions.appoint_to_post(acting_user=None, cadre=town_head, post=posts["lizhuang_head"],
                                   start=dt.date(2022, 1, 1))
    clerk_in_section = make_cadre(county["lizhuang_office"], name="科员", rank="fuke", birth=dt.date(1992, 1, 1))
    assert recusals(leader, town_head) == []                       # a parent unit's leader is not direct
    assert [r.code for r in recusals(town_head, clerk_in_section)] == ["superior"]   # section → its unit
    assert [r.code for r in recusals(clerk_in_section, town_head)] == ["subordinate"]
