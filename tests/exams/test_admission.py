"""Recruitment's admission (录用): after the published ranking, each post admits the top of its
ranking up to its places (a veterans' post veterans only), once; each member of the public
admitted becomes a cadre of the post's unit holding the post on probation (R18)."""

import datetime as dt
import json

import pytest

from gongxin.core.errors import Conflict, DomainError
from gongxin.exams import actions
from gongxin.exams.models import ExamChannel, ExamStatus, RegistrationStatus
from gongxin.exams.ranking import ABSENT
from gongxin.ledger.models import Event
from gongxin.people import actions as people_actions
from gongxin.people.models import Cadre, PostHolding, PostKind
from tests.conftest import make_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruitment(announce, cast, ranks):
    """A recruitment exam with a graduates' post (2 places, the real staff post of 李庄镇党政办) and a
    veterans' post (1 place, no post named), its applicants registered with their ID numbers."""
    staff = people_actions.create_post(acting_user=None, org_unit=cast["lizhuang_office"], title="科员",
                                       rank=ranks["erji_keyuan"], kind=PostKind.STAFF, headcount=4)
    exam = announce(channel=ExamChannel.RECRUITMENT, with_case=False,
                    posts=[{"title": "乡镇综合岗", "code": "01", "count": 2, "post": staff},
                           {"title": "乡镇综合岗（退役士兵）", "code": "02", "count": 1, "veterans_only": True}],
                    requirements={"max_age": 35, "min_education": "associate"})
    p1, p2 = exam.posts.order_by("code")
    regs = {}
    for i, (name, post, veteran) in enumerate([("甲一", p1, False), ("乙二", p1, False), ("丙三", p1, False),
                                                ("丁四", p1, False), ("戊五", p2, True), ("己六", p2, True),
                                                ("庚七", p2, False)]):
        regs[name] = actions.register_public(exam=exam, exam_post=post, name=name, education="bachelor",
                                             id_number=make_id_number(dt.date(1998, 1, 1 + i), "M"),
                                             is_veteran=veteran, is_graduate=not veteran)
    return exam, staff, regs


def _to_published(exam, admin, written, interview, appeal_upheld=()):
    actions.close_registration(acting_user=admin, exam=exam)
    for reg in exam.registrations.filter(name__in=appeal_upheld):
        actions.appeal_screening(acting_user=None, registration=reg, text="本人服过兵役")
        actions.decide_appeal(acting_user=admin, registration=reg, upheld=True, decision="材料齐全，复核通过")
    actions.issue_admission_tickets(acting_user=admin, exam=exam)
    by_name = {r.name: r.pk for r in exam.registrations.exclude(ticket_number="")}
    actions.record_scores(acting_user=admin, exam=exam, component="written",
                          scores={by_name[n]: s for n, s in written.items() if n in by_name})
    actions.rank_written(acting_user=admin, exam=exam)
    invited = set(actions.scorable(exam, "interview").values_list("name", flat=True))
    actions.record_scores(acting_user=admin, exam=exam, component="interview",
                          scores={by_name[n]: s for n, s in interview.items() if n in invited})
    actions.rank_final(acting_user=admin, exam=exam)
    return exam


def test_admission_takes_the_top_of_each_post_and_makes_cadres_on_probation(recruitment, cast, today):
    # given a published ranking; 庚七 (not a veteran) was let in to the veterans' post on appeal
    # and ranks first there
    admin = cast["users"]["org_admin"]
    exam, staff, regs = recruitment
    written = {"甲一": 9000, "乙二": 8000, "丙三": 8500, "丁四": 6000, "戊五": 7000, "己六": 7500, "庚七": 9500}
    interview = dict.fromkeys(written, 8000)
    _to_published(exam, admin, written, interview, appeal_upheld=["庚七"])
    with pytest.raises(Conflict) as exc:  # ranked but not yet published
        actions.admit_recruits(acting_user=admin, exam=exam)
    assert "成绩和排名公布后才能办理录用" in exc.value.message
    actions.publish_results(acting_user=admin, exam=exam)
    cadres_before = Cadre.objects.count()

    # when the clerk admits from 1 September
    start = today + dt.timedelta(days=30)
    admitted = actions.admit_recruits(acting_user=admin, exam=exam, start=start)

    # then the graduates' post takes its top 2, the veterans' post its best veteran, not 庚七
    assert {r.name for r in admitted} == {"丙三", "甲一", "己六"}
    assert Cadre.objects.count() == cadres_before + 3
    for r in admitted:
        r.refresh_from_db()
        assert r.admitted_on == start and r.admitted_cadre.id_number == r.id_number
        assert r.admitted_cadre.name == r.name and r.admitted_cadre.birth_date == r.birth_date
    first = regs["甲一"]
    first.refresh_from_db()
    holding = PostHolding.objects.get(cadre=first.admitted_cadre, end__isnull=True)
    assert holding.post == staff and holding.start == start
    assert holding.probation_end == dt.date(start.year + 1, start.month, start.day) - dt.timedelta(days=1)
    assert first.admitted_cadre.org_unit == cast["lizhuang_office"]
    vet = regs["己六"]
    vet.refresh_from_db()  # no post named: a cadre of the exam's unit, no holding
    assert vet.admitted_cadre.org_unit == exam.org_unit
    assert not PostHolding.objects.filter(cadre=vet.admitted_cadre).exists()
    exam.refresh_from_db()
    assert exam.status == ExamStatus.CLOSED and exam.admitted_at is not None
    # one public event lists who, with their rank; the ID numbers masked
    event = Event.objects.get(kind="exams.recruits.admitted")
    assert event.public
    payload = json.loads(bytes(event.data))["payload"]
    post1 = next(p for p in payload["posts"] if p["post"] == "01")
    assert [(a["name"], a["rank"]) for a in post1["admitted"]] == [("甲一", 1), ("丙三", 2)]
    assert first.id_number not in bytes(event.data).decode()

    # and a second admission is refused in Chinese, nothing written
    with pytest.raises(Conflict) as exc:
        actions.admit_recruits(acting_user=admin, exam=exam)
    assert "不能重复录用" in exc.value.message
    assert Cadre.objects.count() == cadres_before + 3
    assert Event.objects.filter(kind="exams.recruits.admitted").count() == 1


def test_absent_are_never_admitted_and_a_tie_across_the_line_leaves_the_place_open(recruitment, cast):
    admin = cast["users"]["org_admin"]
    exam, staff, regs = recruitment
    # 乙二 and 丙三 tie on every key for the second place of post 01; 丁四 was absent
    written = {"甲一": 9000, "乙二": 8000, "丙三": 8000, "丁四": ABSENT, "戊五": 7000, "己六": ABSENT, "庚七": 9000}
    interview = {n: 8000 for n in written if written[n] != ABSENT}
    _to_published(exam, admin, written, interview)
    actions.publish_results(acting_user=admin, exam=exam)
    admitted = actions.admit_recruits(acting_user=admin, exam=exam)
    assert {r.name for r in admitted} == {"戊五", "甲一"}
    payload = json.loads(bytes(Event.objects.get(kind="exams.recruits.admitted").data))["payload"]
    post1 = next(p for p in payload["posts"] if p["post"] == "01")
    assert post1["vacant"] == 1 and len(post1["tied"]) == 2
    regs["庚七"].refresh_from_db()
    assert regs["庚七"].status == RegistrationStatus.INELIGIBLE and regs["庚七"].admitted_on is None


def test_admission_is_for_recruitment_only(announce, cast):
    exam = announce()
    with pytest.raises(DomainError) as exc:
        actions.admit_recruits(acting_user=cast["users"]["org_admin"], exam=exam)
    assert "只有公开招录" in exc.value.message


def test_a_full_post_refuses_the_whole_admission(recruitment, cast, make_cadre):
    admin = cast["users"]["org_admin"]
    exam, staff, regs = recruitment
    people_actions.update_post(acting_user=None, post=staff, headcount=1)
    written = {"甲一": 9000, "乙二": 8000, "丙三": 8500, "丁四": 6000, "戊五": 7000, "己六": 7500, "庚七": 9500}
    _to_published(exam, admin, written, dict.fromkeys(written, 8000))
    actions.publish_results(acting_user=admin, exam=exam)
    before = Cadre.objects.count()
    with pytest.raises(DomainError) as exc:
        actions.admit_recruits(acting_user=admin, exam=exam)
    assert "职数已满" in exc.value.message
    assert Cadre.objects.count() == before and not exam.registrations.filter(admitted_on__isnull=False).exists()


def test_the_page_button_and_the_api_admit_once(recruitment, cast, client_for):
    from gongxin.accounts import actions as account_actions

    admin = cast["users"]["org_admin"]
    exam, staff, regs = recruitment
    written = {"甲一": 9000, "乙二": 8000, "丙三": 8500, "丁四": 6000, "戊五": 7000, "己六": 7500}
    _to_published(exam, admin, written, dict.fromkeys(written, 8000))
    token = account_actions.issue_api_token(acting_user=None, user=admin, name="exams")
    api = client_for(admin)
    url = f"/api/v1/exams/exams/{exam.pk}/admission"
    out = api.post(url, {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert out.status_code == 409 and "成绩和排名公布后" in out.json()["message"]
    c = client_for(admin)
    page = c.get(f"/exams/{exam.pk}/")
    assert 'id="admit"' not in page.content.decode()
    actions.publish_results(acting_user=admin, exam=exam)
    page = c.get(f"/exams/{exam.pk}/")
    assert 'id="admit"' in page.content.decode()
    # the clerk presses 办理录用 with a start date
    start = dt.date.today() + dt.timedelta(days=10)
    page = c.post(f"/exams/{exam.pk}/admit/", {"start": start.isoformat()}, follow=True)
    text = page.content.decode()
    assert "已办理录用 3 人" in text and 'id="admission"' in text and 'id="admit"' not in text
    assert regs["甲一"].name in text
    # the API lists them; a second admission is 409 with the Chinese message
    out = api.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert out.status_code == 200 and {r["name"] for r in out.json()} == {"甲一", "丙三", "己六"}
    assert all(r["admitted_on"] == start.isoformat() for r in out.json())
    out = api.post(url, {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert out.status_code == 409 and out.json()["code"] == "exam.admitted" and "不能重复录用" in out.json()["message"]
    page = c.post(f"/exams/{exam.pk}/admit/", {}, follow=True)
    assert "不能重复录用" in page.content.decode()
