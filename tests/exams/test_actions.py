"""The exam pipeline through its actions: announcement → registration → screening and appeal →
tickets → scores → written ranking and the interview list → final ranking → publication and
the case's candidates. Every step leaves its ledger event."""

import datetime as dt

import pytest

from gongxin.cases.models import Candidate
from gongxin.core.errors import Conflict, DomainError
from gongxin.exams import actions
from gongxin.exams.models import ExamChannel, ExamStatus, Outcome, RegistrationStatus
from gongxin.exams.ranking import ABSENT, DISQUALIFIED
from gongxin.ledger.models import Event

pytestmark = pytest.mark.django_db


def kinds():
    return list(Event.objects.filter(kind__startswith="exams.").order_by("seq").values_list("kind", flat=True))


def test_weights_that_do_not_sum_to_one_are_refused(announce):
    with pytest.raises(DomainError) as exc:
        announce(weights={"written": "0.6", "interview": "0.5"})
    assert exc.value.code == "exam.weights" and "必须等于 1" in exc.value.message
    assert not kinds()


def test_the_rule_row_gives_weights_ratios_and_tie_order(announce):
    exam = announce()
    assert exam.weights == {"written": "3/5", "interview": "2/5"}
    assert exam.interview_ratio == 3 and exam.inspection_ratio == 1
    assert exam.tie_order == ["written", "interview"]
    assert "EXM" not in exam.rule_source and "考试选拔" in exam.rule_source
    assert kinds() == ["exams.exam.announced", "exams.exam.published"]


def _people(qualified, unit, n, **kw):
    return [qualified(unit, f"候选{i}", **kw) for i in range(n)]


def _run_to_written(exam, admin, cadres, users=None):
    post = exam.posts.get()
    regs = [actions.register_cadre(acting_user=None, exam=exam, exam_post=post, cadre=c) for c in cadres]
    actions.close_registration(acting_user=admin, exam=exam)
    actions.issue_admission_tickets(acting_user=admin, exam=exam)
    for r in regs:
        r.refresh_from_db()
    return regs


def test_whole_pipeline_to_the_case(announce, cast, make_cadre, qualified):
    admin = cast["users"]["org_admin"]
    exam = announce()
    people = _people(qualified, cast["lizhuang"], 6)
    old = qualified(cast["lizhuang"], "年长者", birth=dt.date(1960, 1, 1))
    regs = _run_to_written(exam, admin, [*people, old])
    # screening: the one over 45 is refused, with the reason in Chinese
    old_reg = regs[-1]
    assert old_reg.status == RegistrationStatus.INELIGIBLE
    assert any("公告要求不超过 45 岁" in r["reason"] for r in old_reg.screening if r["outcome"] == "fail")
    assert old_reg.ticket_number == ""
    eligible = regs[:-1]
    assert all(r.status == RegistrationStatus.ELIGIBLE and r.ticket_number and r.seat for r in eligible)
    assert len({r.ticket_number for r in eligible}) == 6
    # written: one absent, one disqualified, a tie on the line of 3 (1 post × 1:3)
    written = [9000, 8500, 8000, 8000, ABSENT, DISQUALIFIED]
    actions.record_scores(acting_user=admin, exam=exam, component="written",
                          scores={r.pk: s for r, s in zip(eligible, written, strict=True)})
    exam = actions.rank_written(acting_user=admin, exam=exam)
    assert exam.status == ExamStatus.INTERVIEW
    assert exam.interview_cut[0] | {"selected": 4} == exam.interview_cut[0]
    assert exam.interview_cut[0]["tied_at_line"] == 1
    for r in eligible:
        r.refresh_from_db()
    assert [r.written_rank for r in eligible] == [1, 2, 3, 3, None, None]
    assert [r.outcome for r in eligible] == ["", "", "", "", Outcome.NOT_INVITED, Outcome.NOT_INVITED]
    # interview: only the invited get scores; the one not invited is refused
    with pytest.raises(DomainError):
        actions.record_scores(acting_user=admin, exam=exam, component="interview", scores={eligible[4].pk: 9000})
    interview = {eligible[0].pk: 7000, eligible[1].pk: 8500, eligible[2].pk: 9000, eligible[3].pk: ABSENT}
    actions.record_scores(acting_user=admin, exam=exam, component="interview", scores=interview)
    exam = actions.rank_final(acting_user=admin, exam=exam)
    for r in eligible:
        r.refresh_from_db()
    # totals: 0.6×90+0.4×70=82.00, 0.6×85+0.4×85=85.00, 0.6×80+0.4×90=84.00; absent: no total
    assert [r.total_score for r in eligible[:4]] == [8200, 8500, 8400, None]
    assert [r.final_rank for r in eligible[:4]] == [3, 1, 2, None]
    # the note is a code, shown in words in the reader's language; text stored before the codes still reads
    assert eligible[3].rank_note == "absent"
    from gongxin.exams.queries import rank_note_label

    assert rank_note_label(eligible[3].rank_note) == rank_note_label("缺考") == "缺考"
    assert rank_note_label("tied") == rank_note_label("并列") == "并列"
    assert rank_note_label("decided:written") == "总分相同，按笔试成绩排序"
    from django.utils import translation

    with translation.override("en"):
        assert rank_note_label("disqualified") == rank_note_label("取消资格") == "Disqualified"
    assert [r.outcome for r in eligible[:4]] == [Outcome.NOT_SELECTED, Outcome.FOR_INSPECTION,
                                                  Outcome.NOT_SELECTED, Outcome.NOT_SELECTED]
    # publication: the candidate for inspection enters the linked case through the channel
    exam = actions.publish_results(acting_user=admin, exam=exam)
    assert exam.results_ledger_seq and len(exam.results_leaf_hash) == 64
    cand = Candidate.objects.get(case=exam.case)
    assert cand.cadre == eligible[1].cadre and cand.channel == ExamChannel.PUBLIC_SELECTION
    assert cand.evidence["exam"] == exam.pk and cand.evidence["total"] == "85.00"
    published = Event.objects.get(kind="exams.results.published")
    assert published.public
    assert kinds() == ["exams.exam.announced", "exams.exam.published", *["exams.registration.submitted"] * 7,
                       "exams.screening.completed", "exams.tickets.issued", "exams.scores.recorded",
                       "exams.written.ranked", "exams.scores.recorded", "exams.final.ranked",
                       "exams.results.published"]


def test_the_case_refuses_someone_the_exam_did_not_choose(announce, cast, make_cadre):
    from gongxin.cases import actions as case_actions

    exam = announce()
    outsider = make_cadre(cast["lizhuang"], name="局外人")
    with pytest.raises(DomainError) as exc:
        case_actions.add_candidate(acting_user=cast["users"]["org_admin"], case=exam.case, cadre=outsider,
                                   channel=ExamChannel.PUBLIC_SELECTION)
    assert "不在考察对象名单中" in exc.value.message


def test_interview_ratio_when_fewer_remain(announce, cast, qualified):
    admin = cast["users"]["org_admin"]
    exam = announce(posts=[{"title": "副镇长", "code": "01", "count": 2}], with_case=False)
    regs = _run_to_written(exam, admin, _people(qualified, cast["lizhuang"], 4))
    actions.record_scores(acting_user=admin, exam=exam, component="written",
                          scores={regs[0].pk: 7000, regs[1].pk: 6000, regs[2].pk: ABSENT, regs[3].pk: 5000})
    exam = actions.rank_written(acting_user=admin, exam=exam)
    cut = exam.interview_cut[0]
    assert cut["places"] == 6 and cut["available"] == 3 and cut["fewer"] and cut["selected"] == 3


def test_a_missing_score_blocks_the_ranking_and_blank_is_not_zero(announce, cast, qualified):
    admin = cast["users"]["org_admin"]
    exam = announce(with_case=False)
    regs = _run_to_written(exam, admin, _people(qualified, cast["lizhuang"], 2))
    actions.record_scores(acting_user=admin, exam=exam, component="written", scores={regs[0].pk: 0})
    with pytest.raises(Conflict) as exc:
        actions.rank_written(acting_user=admin, exam=exam)
    assert "还有 1 人没有笔试成绩" in exc.value.message


def test_a_recorded_score_changes_only_by_a_correction_with_its_reason(announce, cast, qualified):
    admin = cast["users"]["org_admin"]
    exam = announce(with_case=False)
    regs = _run_to_written(exam, admin, _people(qualified, cast["lizhuang"], 2))
    actions.record_scores(acting_user=admin, exam=exam, component="written", scores={regs[0].pk: 8000})
    with pytest.raises(Conflict):
        actions.record_scores(acting_user=admin, exam=exam, component="written", scores={regs[0].pk: 8100})
    # the same value again (a double submit) changes nothing and is not an error
    assert actions.record_scores(acting_user=admin, exam=exam, component="written", scores={regs[0].pk: 8000}) == 0
    with pytest.raises(DomainError):
        actions.correct_score(acting_user=admin, registration=regs[0], component="written", value=8100, reason=" ")
    actions.correct_score(acting_user=admin, registration=regs[0], component="written", value=8100,
                          reason="复核发现登分错误")
    ev = Event.objects.get(kind="exams.score.corrected")
    from gongxin.ledger.canonical import canonical_json  # noqa: F401  (the payload is JSON)
    assert b"80.00" in bytes(ev.data) and b"81.00" in bytes(ev.data)


def test_appeal_decided_by_staff_makes_a_refused_registration_eligible(announce, cast, qualified):
    admin = cast["users"]["org_admin"]
    exam = announce(with_case=False)
    old = qualified(cast["lizhuang"], "年长者", birth=dt.date(1960, 1, 1))
    post = exam.posts.get()
    reg = actions.register_cadre(acting_user=None, exam=exam, exam_post=post, cadre=old)
    actions.close_registration(acting_user=admin, exam=exam)
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.INELIGIBLE
    with pytest.raises(DomainError):
        actions.appeal_screening(acting_user=None, registration=reg, text="")
    actions.appeal_screening(acting_user=None, registration=reg, text="出生日期登记有误")
    with pytest.raises(Conflict) as exc:
        actions.issue_admission_tickets(acting_user=admin, exam=exam)
    assert "复核申请未处理" in exc.value.message
    reg = actions.decide_appeal(acting_user=admin, registration=reg, upheld=True, decision="经核对户籍，出生日期有误")
    assert reg.status == RegistrationStatus.ELIGIBLE
    actions.issue_admission_tickets(acting_user=admin, exam=exam)


def test_competitive_posting_is_open_only_to_the_units_staff(announce, cast, qualified, ranks):
    from gongxin.people import actions as people_actions
    from gongxin.people.models import PostKind

    admin = cast["users"]["org_admin"]
    middle = people_actions.create_post(acting_user=None, org_unit=cast["lizhuang_office"], title="党政办主任",
                                        rank=ranks["fuke"], kind=PostKind.MIDDLE)
    exam = announce(channel=ExamChannel.COMPETITIVE_POSTING, with_case=False, org_unit=cast["lizhuang"],
                    posts=[{"post": middle, "code": "01"}])
    post = exam.posts.get()
    inside = actions.register_cadre(acting_user=None, exam=exam, exam_post=post, cadre=qualified(cast["lizhuang_office"], "钱一"))
    outside = actions.register_cadre(acting_user=None, exam=exam, exam_post=post, cadre=qualified(cast["hefang"], "孙二"))
    actions.close_registration(acting_user=admin, exam=exam)
    inside.refresh_from_db()
    outside.refresh_from_db()
    assert inside.status == RegistrationStatus.ELIGIBLE
    assert outside.status == RegistrationStatus.INELIGIBLE
    assert any("只面向 李庄镇 在职人员" in r["reason"] for r in outside.screening)


def test_recruitment_public_registration_and_veterans_post(announce, cast, today):
    from tests.conftest import make_id_number

    exam = announce(channel=ExamChannel.RECRUITMENT, with_case=False,
                    posts=[{"title": "乡镇综合岗", "code": "01", "count": 2},
                           {"title": "乡镇综合岗（退役士兵）", "code": "02", "count": 1, "veterans_only": True}],
                    requirements={"max_age": 35, "min_education": "bachelor"})
    p1, p2 = exam.posts.order_by("code")
    number = make_id_number(dt.date(2000, 5, 1), "F")
    reg = actions.register_public(exam=exam, exam_post=p1, name="赵敏", id_number=number, education="bachelor",
                                  is_graduate=True)
    assert reg.birth_date == dt.date(2000, 5, 1) and reg.sex == "F" and len(reg.tracking_code) == 12
    with pytest.raises(Conflict):
        actions.register_public(exam=exam, exam_post=p2, name="赵敏", id_number=number, education="bachelor")
    with pytest.raises(DomainError) as exc:
        actions.register_public(exam=exam, exam_post=p1, name="钱多", id_number="371621200005010000",
                                education="bachelor")
    assert exc.value.code == "exam.id_number"
    civilian = actions.register_public(exam=exam, exam_post=p2, name="孙立", education="bachelor",
                                       id_number=make_id_number(dt.date(1999, 1, 1)))
    veteran = actions.register_public(exam=exam, exam_post=p2, name="周武", education="associate", is_veteran=True,
                                      id_number=make_id_number(dt.date(1998, 1, 1)))
    actions.close_registration(acting_user=cast["users"]["org_admin"], exam=exam)
    for r in (reg, civilian, veteran):
        r.refresh_from_db()
    assert reg.status == RegistrationStatus.ELIGIBLE
    assert civilian.status == RegistrationStatus.INELIGIBLE
    assert any("只面向退役士兵" in r["reason"] for r in civilian.screening)
    # the veteran lacks the notice's education: refused for that, with the engine's reason
    assert veteran.status == RegistrationStatus.INELIGIBLE
    assert any("低于大学本科" in r["reason"] for r in veteran.screening)


def test_public_selection_does_not_take_the_public(announce):
    exam = announce(with_case=False)
    with pytest.raises(DomainError) as exc:
        actions.register_public(exam=exam, exam_post=exam.posts.get(), name="赵敏", id_number="x", education="bachelor")
    assert exc.value.code == "exam.public_closed"


def test_village_to_township_takes_only_serving_village_cadres_with_years_and_grades(announce, cast, make_cadre, ranks):
    from gongxin.people import actions as people_actions
    from gongxin.people.models import OrgUnitKind, PostKind

    admin = cast["users"]["org_admin"]
    village = people_actions.create_org_unit(acting_user=None, name="李庄村", kind=OrgUnitKind.VILLAGE,
                                             parent=cast["lizhuang"], is_grassroots=True)
    secretary = people_actions.create_post(acting_user=None, org_unit=village, title="村党支部书记",
                                           rank=ranks["fuke"], kind=PostKind.LEADERSHIP, headcount=5)
    exam = announce(channel=ExamChannel.VILLAGE_TO_TOWNSHIP, with_case=False,
                    posts=[{"title": "李庄镇机关", "code": "01"}], requirements={})
    year = exam.published_at.year

    def villager(name, since, grades):
        c = make_cadre(village, name=name, rank=None)
        people_actions.appoint_to_post(acting_user=None, cadre=c, post=secretary, start=since)
        for y, g in grades.items():
            people_actions.set_annual_grade(acting_user=None, cadre=c, year=year - y, grade=g)
        return actions.register_cadre(acting_user=None, exam=exam, exam_post=exam.posts.get(), cadre=c)

    good = villager("村好", dt.date(2015, 1, 1), {1: "excellent", 2: "competent", 3: "competent"})
    short = villager("村短", dt.date(year - 1, 1, 1), {1: "competent", 2: "competent", 3: "competent"})
    weak = villager("村弱", dt.date(2015, 1, 1), {1: "competent", 2: "basically_competent", 3: "competent"})
    town = actions.register_cadre(acting_user=None, exam=exam, exam_post=exam.posts.get(),
                                  cadre=make_cadre(cast["lizhuang"], name="镇干"))
    actions.close_registration(acting_user=admin, exam=exam)
    for r in (good, short, weak, town):
        r.refresh_from_db()
    fails = {r.name: [x["reason"] for x in r.screening if x["outcome"] == "fail"] for r in (good, short, weak, town)}
    assert good.status == RegistrationStatus.ELIGIBLE, fails["村好"]
    assert any("不满 3 年" in x for x in fails["村短"])
    assert any("基本称职" in x and "未达到要求" in x for x in fails["村弱"])
    assert any("只面向现任村（社区）干部" in x for x in fails["镇干"])


def test_registrations_imported_from_the_online_platform_are_checked_and_logged_once(announce, cast):
    from tests.conftest import make_id_number

    exam = announce(channel=ExamChannel.RECRUITMENT, with_case=False,
                    posts=[{"title": "综合岗", "code": "01", "count": 1}], requirements={"max_age": 35})
    post = exam.posts.get()
    good = make_id_number(dt.date(2001, 2, 3))
    rows = [{"exam_post": post, "name": "赵一", "id_number": good, "education": "bachelor", "is_graduate": True},
            {"exam_post": post, "name": "钱二", "id_number": "371621200102030000", "education": "bachelor"}]
    with pytest.raises(DomainError) as exc:
        actions.import_registrations(acting_user=None, exam=exam, rows=rows, source="网上报名系统")
    assert "第 2 行身份证号码有误" in exc.value.message and not exam.registrations.exists()
    assert actions.import_registrations(acting_user=None, exam=exam, rows=rows[:1], source="网上报名系统") == 1
    reg = exam.registrations.get()
    assert reg.birth_date == dt.date(2001, 2, 3) and reg.is_graduate
    assert kinds()[-1] == "exams.registrations.imported"
