"""Inspection and joint-review actions: each refusal, suspension and its lifting, coverage."""

import datetime as dt

import pytest

from gongxin.cases import actions as case_actions
from gongxin.cases import workflow as case_workflow
from gongxin.cases.facts import run_eligibility
from gongxin.cases.models import Candidate
from gongxin.core.errors import Conflict, DomainError, Forbidden
from gongxin.inspection import actions, hooks, queries
from gongxin.inspection.models import (
    Certificate,
    InspectionStatus,
    ProblemFile,
    ProjectMember,
    ReviewAnswer,
    ReviewDepartment,
    ReviewRequest,
)
from gongxin.ledger.models import Event
from gongxin.people import actions as people_actions

pytestmark = pytest.mark.django_db


# ---- certification ------------------------------------------------------------------------

def test_certificate_needs_training_and_a_passed_exam(admin, training, make_inspector, today):
    # given an inspector who sat the exam but failed, and never attended training
    user = make_inspector("周考察", certified=False)
    actions.record_exam_score(acting_user=admin, exam=training["exam"], user=user, score=55)
    # when / then
    with pytest.raises(DomainError) as exc:
        actions.issue_certificate(acting_user=admin, user=user)
    assert "尚未参加考察人员培训" in exc.value.details["blockers"][0]
    assert "未达到合格分数线 60" in exc.value.details["blockers"][1]
    actions.record_attendance(acting_user=admin, session=training["session"], user=user)
    actions.record_exam_score(acting_user=admin, exam=training["exam"], user=user, score=72)
    cert = actions.issue_certificate(acting_user=admin, user=user, issued=today)
    assert cert.issued == today
    assert cert.expires == today.replace(year=today.year + 3) - dt.timedelta(days=1)
    assert cert.number.startswith(f"KC{today.year}")
    assert Event.objects.filter(kind="inspection.certificate.issued", subject_id=str(cert.pk)).count() == 1


# ---- teams ---------------------------------------------------------------------------------

def test_team_of_two_certified_inspectors_with_a_leader(admin, inspectors):
    team = actions.form_team(acting_user=admin, name="第一考察组", leader=inspectors[0], members=[inspectors[1]])
    assert team.leader == inspectors[0]
    assert team.members.count() == 2


def test_uncertified_inspector_is_refused(admin, inspectors, make_inspector):
    novice = make_inspector("新手", certified=False)
    with pytest.raises(DomainError) as exc:
        actions.form_team(acting_user=admin, name="组", leader=inspectors[0], members=[novice])
    assert exc.value.code == "team.uncertified"
    assert "新手 没有考察资格证书" in exc.value.message


def test_expired_certificate_is_refused(admin, inspectors, make_inspector, today):
    old = make_inspector("老考察", issued=today - dt.timedelta(days=800), years=2)
    assert Certificate.objects.get(user=old).expires < today
    with pytest.raises(DomainError) as exc:
        actions.form_team(acting_user=admin, name="组", leader=old, members=[inspectors[0]])
    assert exc.value.code == "team.certificate_expired"
    assert "老考察 的考察资格证书已于" in exc.value.message and "过期" in exc.value.message


def test_revoked_certificate_is_refused(admin, inspectors):
    actions.revoke_certificate(acting_user=admin, certificate=Certificate.objects.get(user=inspectors[1]),
                               reason="考察失真")
    with pytest.raises(DomainError) as exc:
        actions.form_team(acting_user=admin, name="组", leader=inspectors[0], members=[inspectors[1]])
    assert exc.value.code == "team.certificate_revoked"


def test_one_person_team_is_refused(admin, inspectors):
    with pytest.raises(DomainError) as exc:
        actions.form_team(acting_user=admin, name="单人组", leader=inspectors[0], members=[])
    assert exc.value.code == "team.too_small"
    assert "至少需要 2 名成员，现在只有 1 名" in exc.value.message


def test_recused_inspector_is_refused_for_that_cadre(admin, cast, make_cadre, make_inspector, inspectors,
                                                      candidate_cadre):
    # given an inspector whose own cadre record is the candidate's spouse
    wife = make_cadre(cast["finance"], name="刘芳", sex="F", birth=dt.date(1984, 2, 2))
    people_actions.add_relation(acting_user=None, cadre=candidate_cadre, kind="spouse", title="妻子", name="刘芳",
                                related_cadre=wife)
    relative = make_inspector("刘考察", cadre=wife)
    # a team may be formed without naming the cadre...
    team = actions.form_team(acting_user=admin, name="组", leader=inspectors[0], members=[relative])
    # ...but it cannot inspect her husband
    with pytest.raises(DomainError) as exc:
        actions.open_inspection(acting_user=admin, team=team, kind="circles", cadre=candidate_cadre)
    assert exc.value.code == "team.recused"
    assert "刘考察 须回避" in exc.value.message and "孙明" in exc.value.message
    with pytest.raises(DomainError):
        actions.form_team(acting_user=admin, name="组2", leader=inspectors[0], members=[relative],
                          cadres=[candidate_cadre])
    # an unrelated cadre is fine
    assert actions.open_inspection(acting_user=admin, team=team, kind="circles", cadre=cast["cadres"]["zhang"])


def test_certificate_expiring_before_the_inspection_opens_is_refused(admin, inspectors, make_inspector, today,
                                                                     candidate_cadre):
    soon = make_inspector("将过期", issued=today - dt.timedelta(days=364), years=1)
    team = actions.form_team(acting_user=admin, name="组", leader=inspectors[0], members=[soon])
    with pytest.raises(DomainError) as exc:
        actions.open_inspection(acting_user=admin, team=team, kind="circles", cadre=candidate_cadre,
                                opened_on=today + dt.timedelta(days=5))
    assert exc.value.code == "team.certificate_expired"


# ---- inspections ------------------------------------------------------------------------------

@pytest.fixture
def team(admin, inspectors):
    return actions.form_team(acting_user=admin, name="第一考察组", leader=inspectors[0], members=[inspectors[1]])


def test_source_tracing_lists_every_resume_place_and_shows_coverage(admin, team, inspectors, candidate_cadre, today):
    inspection = actions.open_inspection(acting_user=admin, team=team, kind="source_tracing", cadre=candidate_cadre,
                                         opened_on=today - dt.timedelta(days=10))
    places = list(inspection.places.all())
    assert [p.place for p in places] == ["山东师范大学", "何坊街道办事处", "李庄镇人民政府"]
    assert queries.coverage_for(inspection) == (0, 3, 0)
    actions.mark_place_visited(acting_user=inspectors[1], place=places[0], visited_on=today, note="走访母校")
    actions.mark_place_visited(acting_user=inspectors[1], place=places[2], visited_on=today)
    assert queries.coverage_for(inspection) == (2, 3, 66)
    actions.add_source_place(acting_user=inspectors[0], inspection=inspection, place="原籍村委会")
    assert queries.coverage_for(inspection) == (2, 4, 50)
    with pytest.raises(DomainError):
        actions.mark_place_visited(acting_user=inspectors[1], place=places[1], visited_on=today - dt.timedelta(days=30))


def test_tracking_needs_a_key_project_the_cadre_is_on(admin, team, candidate_cadre, today):
    project = actions.create_key_project(acting_user=admin, name="开发区建设", started=dt.date(2025, 3, 1))
    with pytest.raises(DomainError) as exc:
        actions.open_inspection(acting_user=admin, team=team, kind="tracking", cadre=candidate_cadre,
                                key_project=project)
    assert exc.value.code == "inspection.not_on_project"
    actions.add_project_member(acting_user=admin, project=project, cadre=candidate_cadre, role="lead",
                               joined=dt.date(2025, 3, 1))
    inspection = actions.open_inspection(acting_user=admin, team=team, kind="tracking", cadre=candidate_cadre,
                                         key_project=project, opened_on=today - dt.timedelta(days=30))
    for days in (20, 10, 0):
        actions.add_tracking_record(acting_user=admin, inspection=inspection, observed_on=today - dt.timedelta(days=days),
                                    text=f"{days} 天前：征地拆迁按期完成")
    assert inspection.tracking_records.count() == 3


def _complete(inspection, user, today):
    actions.record_interview(acting_user=user, inspection=inspection, interviewee="王大爷", category="neighbour",
                             circle="life", place="小区", held_on=today, summary="邻里和睦", leaning="positive")
    actions.record_vote(acting_user=user, inspection=inspection, held_on=today, excellent=20, competent=8,
                        basically_competent=2)
    actions.save_report(acting_user=user, inspection=inspection, morality="政治坚定", ability="善抓落实",
                        diligence="勤勉", achievement="完成开发区征地", integrity="清正廉洁", weaknesses="工作方法有时简单")


def test_report_signed_off_by_the_leader_only_then_locked(admin, team, inspectors, candidate_cadre, today):
    inspection = actions.open_inspection(acting_user=admin, team=team, kind="circles", cadre=candidate_cadre)
    with pytest.raises(DomainError) as exc:
        actions.sign_report(acting_user=inspectors[0], inspection=inspection)
    assert exc.value.code == "report.incomplete"
    assert any("缺少“廉”" in b for b in exc.value.details["blockers"])
    _complete(inspection, inspectors[1], today)
    with pytest.raises(Forbidden):
        actions.sign_report(acting_user=inspectors[1], inspection=inspection)
    report = actions.sign_report(acting_user=inspectors[0], inspection=inspection)
    assert report.vote_results == "共 30 票：优秀 20 票（66.7%）；称职 8 票（26.7%）；基本称职 2 票（6.7%）；不称职 0 票（0.0%）"
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.SIGNED
    with pytest.raises(Conflict):
        actions.record_interview(acting_user=inspectors[1], inspection=inspection, interviewee="甲", category="other",
                                 circle="work", place="办公室", held_on=today, summary="补充", leaning="neutral")
    with pytest.raises(Conflict):
        actions.save_report(acting_user=inspectors[0], inspection=inspection, integrity="改写")


def test_report_finding_is_recorded_against_the_team_and_its_inspectors(admin, team, inspectors, candidate_cadre, today):
    inspection = actions.open_inspection(acting_user=admin, team=team, kind="circles", cadre=candidate_cadre)
    with pytest.raises(DomainError):
        actions.record_report_finding(acting_user=admin, inspection=inspection, kind="hid", text="隐瞒")
    _complete(inspection, inspectors[0], today)
    actions.sign_report(acting_user=inspectors[0], inspection=inspection)
    actions.record_report_finding(acting_user=admin, inspection=inspection, kind="hid",
                                  text="报告未反映其在何坊街道期间被举报的问题")
    for user in inspectors[:2]:
        findings = queries.findings_for_inspector(user)
        assert [f.text for f in findings] == ["报告未反映其在何坊街道期间被举报的问题"]
    assert queries.findings_for_inspector(inspectors[2]) == []


# ---- joint review ----------------------------------------------------------------------------

def _all_checks(admin, candidate):
    for item in ["file", "personal_matters_report", "discipline_opinion", "complaints"]:
        actions.record_check(acting_user=admin, candidate=candidate, check=item)


def _answer_all(officers, candidate, answer="clear", skip=()):
    for r in ReviewRequest.objects.filter(candidate=candidate).select_related("department"):
        if r.department.code not in skip:
            actions.answer_review_request(acting_user=officers[r.department.code], request=r, answer=answer)


def test_requests_go_to_every_active_department_at_once(admin, candidate, today):
    ReviewDepartment.objects.create(code="housing", name="住建局", sort_order=99, is_active=False)
    sent = actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=7))
    assert sorted(r.department.code for r in sent) == ["audit", "discipline", "health", "petitions", "political_legal"]
    assert {r.deadline for r in sent} == {today + dt.timedelta(days=7)}
    with pytest.raises(Conflict):
        actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=7))


def test_a_department_cannot_answer_another_departments_request(admin, candidate, officers, today):
    actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=7))
    audit_request = ReviewRequest.objects.get(candidate=candidate, department__code="audit")
    with pytest.raises(Forbidden) as exc:
        actions.answer_review_request(acting_user=officers["health"], request=audit_request, answer="clear")
    assert exc.value.code == "review.not_your_department"
    with pytest.raises(Forbidden):
        actions.answer_review_request(acting_user=admin, request=audit_request, answer="clear")
    audit_request.refresh_from_db()
    assert audit_request.answer == ReviewAnswer.PENDING


def test_problem_found_needs_text(admin, candidate, officers, today):
    actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=7))
    r = ReviewRequest.objects.get(candidate=candidate, department__code="audit")
    with pytest.raises(DomainError) as exc:
        actions.answer_review_request(acting_user=officers["audit"], request=r, answer="problem", text="  ")
    assert exc.value.code == "review.text_required"


def _without_r11(case):
    """The decision blockers other than R11's "no inspection report" (tested on its own)."""
    return [b for b in case_workflow.blockers(case, "decision") if "报告，须经考察并签发报告" not in b]


def test_decision_blocked_while_a_department_is_silent_or_a_check_missing(admin, candidate, officers, today):
    # given every check but one, and every department but 信访局 answered clear
    actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=7))
    _answer_all(officers, candidate, skip={"petitions"})
    for item in ["file", "personal_matters_report", "discipline_opinion"]:
        actions.record_check(acting_user=admin, candidate=candidate, check=item)
    # then the case cannot go to decision, and says why
    blockers = case_workflow.blockers(candidate.case, "decision")
    assert "孙明：信访局尚未答复联审函。" in blockers
    assert any("凡提四必”尚未完成：反映违规违纪问题线索具体的信访举报必查" in b for b in blockers)
    with pytest.raises(DomainError):
        case_actions.advance_case(acting_user=admin, case=candidate.case, to_stage="decision")
    # when the last department answers and the last check is recorded
    actions.answer_review_request(acting_user=officers["petitions"],
                                  request=ReviewRequest.objects.get(candidate=candidate, department__code="petitions"),
                                  answer="clear")
    assert _without_r11(candidate.case) == [
        "孙明：“凡提四必”尚未完成：反映违规违纪问题线索具体的信访举报必查。"]
    actions.record_check(acting_user=admin, candidate=candidate, check="complaints")
    assert _without_r11(candidate.case) == []
    # R11: and still no inspection report (issue 11 defect 4)
    with pytest.raises(DomainError, match="孙明：没有考察报告"):
        case_actions.advance_case(acting_user=admin, case=candidate.case, to_stage="decision")


def test_needs_verification_blocks_until_answered_again(admin, candidate, officers, today):
    actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=7))
    _answer_all(officers, candidate, skip={"health"})
    _all_checks(admin, candidate)
    r = ReviewRequest.objects.get(candidate=candidate, department__code="health")
    actions.answer_review_request(acting_user=officers["health"], request=r, answer="needs_verification",
                                  text="生育信息待核对")
    assert queries.candidate_blockers(candidate) == ["卫健委答复需进一步核实，尚未核实完毕。"]
    actions.answer_review_request(acting_user=officers["health"], request=r, answer="clear")
    assert queries.candidate_blockers(candidate) == []
    with pytest.raises(Conflict):
        actions.answer_review_request(acting_user=officers["health"], request=r, answer="problem", text="改口")


def test_problem_suspends_candidate_until_finding_resolves_it(admin, candidate, officers, today):
    actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=7))
    _answer_all(officers, candidate, skip={"audit"})
    _all_checks(admin, candidate)
    r = ReviewRequest.objects.get(candidate=candidate, department__code="audit")
    # when 审计局 finds a problem
    actions.answer_review_request(acting_user=officers["audit"], request=r, answer="problem",
                                  text="任副镇长期间专项资金使用不规范")
    candidate.refresh_from_db()
    # then the candidate is suspended with the reason, and a problem file is opened
    assert candidate.status == "suspended"
    assert candidate.status_reason == "联审：审计局发现问题：任副镇长期间专项资金使用不规范"
    problem = ProblemFile.objects.get(cadre=candidate.cadre)
    assert problem.channel == "joint_review"
    assert ("inspection.problemfile", str(problem.pk)) in hooks.dossier_subjects(candidate.case)
    # the candidate cannot proceed, and with nobody else active the case cannot go to decision
    assert queries.review_state(candidate).blockers == ["审计局发现问题，尚未核查认定。"]
    assert _without_r11(candidate.case) == [
        "孙明 已暂停（联审：审计局发现问题：任副镇长期间专项资金使用不规范），没有可提交讨论决定的人选。"]
    # when the finding clears it
    actions.record_verification(acting_user=admin, problem=problem, text="调阅账目")
    actions.record_finding(acting_user=admin, problem=problem, finding="unsubstantiated", text="资金使用符合规定")
    candidate.refresh_from_db()
    assert candidate.status == "active"
    assert "不属实" in candidate.status_reason
    assert queries.candidate_blockers(candidate) == []
    assert _without_r11(candidate.case) == []


def test_unsigned_inspection_report_blocks_the_decision(admin, candidate, officers, inspectors, today):
    actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=7))
    _answer_all(officers, candidate)
    _all_checks(admin, candidate)
    team = actions.form_team(acting_user=admin, name="组", leader=inspectors[0], members=[inspectors[1]])
    inspection = actions.open_inspection(acting_user=admin, team=team, kind="circles", cadre=candidate.cadre,
                                         candidate=candidate)
    assert case_workflow.blockers(candidate.case, "decision") == ["孙明：两圈考察报告尚未由考察组组长签发。"]
    _complete(inspection, inspectors[0], today)
    actions.sign_report(acting_user=inspectors[0], inspection=inspection)
    assert case_workflow.blockers(candidate.case, "decision") == []


def test_substantiated_problem_keeps_suspension_and_fails_eligibility(admin, candidate, officers, today):
    actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=7))
    r = ReviewRequest.objects.get(candidate=candidate, department__code="discipline")
    actions.answer_review_request(acting_user=officers["discipline"], request=r, answer="problem", text="违规收受礼金")
    problem = ReviewRequest.objects.get(pk=r.pk).problem_file
    actions.record_finding(acting_user=admin, problem=problem, finding="substantiated", text="违规收受礼金属实")
    candidate.refresh_from_db()
    assert candidate.status == "suspended"
    assert "纪委监委反映的问题经核查属实。" in queries.review_state(candidate).blockers
    checked = case_actions.check_eligibility(acting_user=admin, candidate=candidate)
    assert checked.eligibility_passed is False
    failed = [x["reason"] for x in checked.eligibility if x["outcome"] == "fail"]
    assert any("违规收受礼金属实" in reason for reason in failed)


# ---- problem files from any channel --------------------------------------------------------

def test_publicity_feedback_complaint_substantiated_removes_from_project_and_suspends(admin, candidate, today):
    project = actions.create_key_project(acting_user=admin, name="古城开发", started=dt.date(2025, 1, 1))
    member = actions.add_project_member(acting_user=admin, project=project, cadre=candidate.cadre,
                                        role="coordinating_head", joined=dt.date(2025, 1, 1))
    problem = actions.intake_complaint(acting_user=None, cadre=candidate.cadre, channel="publicity_feedback",
                                       text="反映其亲属承揽古城开发工程", source_ref="FB-2026-0001")
    assert problem.source_ref == "FB-2026-0001" and problem.status == "received"
    # while the complaint is open, the complaints check is a problem for eligibility
    r13 = [r for r in run_eligibility(candidate) if r.item == "R13.checks"]
    assert r13[0].outcome == "fail" and "信访举报" in r13[0].reason
    actions.assign_problem(acting_user=admin, problem=problem, assignee=admin)
    actions.record_finding(acting_user=admin, problem=problem, finding="substantiated", text="亲属承揽工程属实",
                           remove_from_projects=True, suspend_promotion=True)
    member.refresh_from_db()
    candidate.refresh_from_db()
    assert member.removed_on == today and "问题属实" in member.removed_reason
    assert candidate.status == "suspended" and "暂缓提拔" in candidate.status_reason
    assert sorted(e.kind for e in problem.effects.all()) == ["promotion_suspended", "removed_from_project"]
    with pytest.raises(Conflict):
        actions.record_finding(acting_user=admin, problem=problem, finding="unsubstantiated", text="改判")


def test_intake_refuses_unknown_channel_and_empty_text(admin, cast):
    with pytest.raises(DomainError):
        actions.intake_complaint(acting_user=admin, cadre=cast["cadres"]["zhang"], channel="pigeon", text="x")
    with pytest.raises(DomainError):
        actions.intake_complaint(acting_user=admin, cadre=cast["cadres"]["zhang"], channel="letter", text=" ")


# ---- key projects and the performance channel ---------------------------------------------------

def test_performance_nomination_cites_the_records(admin, case, candidate_cadre):
    project = actions.create_key_project(acting_user=admin, name="孙子文化旅游节", started=dt.date(2025, 2, 1))
    with pytest.raises(DomainError):
        actions.add_performance_record(acting_user=admin, project=project, cadre=candidate_cadre,
                                       recorded_on=dt.date(2025, 5, 1), title="招商", text="引进项目")
    actions.add_project_member(acting_user=admin, project=project, cadre=candidate_cadre, role="lead",
                               joined=dt.date(2025, 2, 1))
    record = actions.add_performance_record(acting_user=admin, project=project, cadre=candidate_cadre,
                                            recorded_on=dt.date(2025, 5, 1), title="招商引资",
                                            text="引进文旅项目 3 个")
    case_actions.advance_case(acting_user=admin, case=case, to_stage="nomination")
    cand = actions.nominate_from_performance(acting_user=admin, case=case, cadre=candidate_cadre)
    assert cand.channel == "performance"
    assert cand.evidence["performance_records"][0]["id"] == record.pk
    assert cand.evidence["key_projects"] == ["孙子文化旅游节"]
    assert ProjectMember.objects.get(cadre=candidate_cadre).role == "lead"
    assert Candidate.objects.filter(case=case).count() == 1


def test_each_change_to_the_checks_or_problem_files_updates_the_candidates_eligibility(admin, candidate):
    """The case page shows the stored eligibility: once the four checks are recorded it must
    no longer say they are pending (it said so from nomination until the decision stage)."""
    from gongxin.ledger.models import Event

    def r13(c):
        c.refresh_from_db()
        return [r["outcome"] for r in c.eligibility if r.get("item") == "R13.checks"]

    assert r13(candidate) == ["pending"]
    before = Event.objects.filter(kind="cases.candidate.eligibility_checked").count()
    for item in ("file", "personal_matters_report", "discipline_opinion"):
        actions.record_check(acting_user=admin, candidate=candidate, check=item)
    assert r13(candidate) == ["pending"]  # one still to do
    actions.record_check(acting_user=admin, candidate=candidate, check="complaints")
    assert r13(candidate) == ["pass"]
    assert Event.objects.filter(kind="cases.candidate.eligibility_checked").count() == before + 4
    # a complaint received afterwards is an open problem file until its finding
    problem = actions.intake_complaint(acting_user=admin, cadre=candidate.cadre, channel="letter", text="反映其违规。")
    assert r13(candidate) == ["fail"]
    actions.record_finding(acting_user=admin, problem=problem, finding="unsubstantiated", text="经核查不属实。")
    assert r13(candidate) == ["pass"]
