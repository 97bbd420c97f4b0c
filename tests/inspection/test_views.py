"""Pages: adapters over the actions, scoped on fetch."""

import datetime as dt

import pytest
from django.urls import reverse

from gongxin.cases import actions as case_actions
from gongxin.inspection import actions
from gongxin.inspection.models import Certificate, Inspection, Interview, ReviewRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(admin, inspectors):
    return actions.form_team(acting_user=admin, name="第一考察组", leader=inspectors[0], members=[inspectors[1]])


@pytest.fixture
def tracing(admin, team, candidate_cadre, today):
    return actions.open_inspection(acting_user=admin, team=team, kind="source_tracing", cadre=candidate_cadre,
                                   opened_on=today - dt.timedelta(days=3))


def test_inspector_list_shows_only_assignments(client_for, inspectors, tracing, admin, cast):
    other_team = actions.form_team(acting_user=admin, name="乙组", leader=inspectors[2], members=[inspectors[1]])
    other = actions.open_inspection(acting_user=admin, team=other_team, kind="circles", cadre=cast["cadres"]["li"])
    c = client_for(inspectors[0])
    page = c.get(reverse("inspection:inspection_list")).content.decode()
    assert "孙明" in page and "李四" not in page
    assert c.get(reverse("inspection:inspection_detail", args=[other.pk])).status_code == 404
    assert c.get(reverse("inspection:interview_new", args=[other.pk])).status_code == 404


def test_list_query_count_does_not_grow_with_rows(client_for, admin, team, cast, candidate_cadre,
                                                   django_assert_max_num_queries):
    for cadre in [candidate_cadre, cast["cadres"]["zhang"], cast["cadres"]["li"], cast["cadres"]["wang"]]:
        actions.open_inspection(acting_user=admin, team=team, kind="circles", cadre=cadre)
    c = client_for(admin)
    with django_assert_max_num_queries(12):
        assert c.get(reverse("inspection:inspection_list")).status_code == 200


def test_recording_an_interview_on_the_phone_form(client_for, inspectors, tracing, today):
    c = client_for(inspectors[1])
    url = reverse("inspection:interview_new", args=[tracing.pk])
    assert c.get(url).status_code == 200
    response = c.post(url, {"interviewee": "李老师", "category": "classmate", "circle": "social", "place": "山东师范大学",
                            "held_on": today.isoformat(), "summary": "学习刻苦，团结同学", "leaning": "positive"})
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert (interview.category, interview.recorded_by) == ("classmate", inspectors[1])
    # missing fields are shown, nothing saved
    response = c.post(url, {"interviewee": "", "category": "classmate", "circle": "social"})
    assert response.status_code == 200 and "保存未成功" in response.content.decode()
    assert Interview.objects.count() == 1


def test_detail_shows_the_coverage_figure(client_for, inspectors, tracing, today):
    place = tracing.places.first()
    actions.mark_place_visited(acting_user=inspectors[0], place=place, visited_on=today)
    page = client_for(inspectors[0]).get(reverse("inspection:inspection_detail", args=[tracing.pk])).content.decode()
    assert "已走访 1 / 3 处（覆盖 33%）" in page


def test_team_form_says_why_it_refuses(client_for, admin, inspectors, make_inspector):
    novice = make_inspector("新手", certified=False)
    c = client_for(admin)
    response = c.post(reverse("inspection:team_new"), {"name": "组", "leader": inspectors[0].pk,
                                                       "members": [novice.pk]}, follow=True)
    assert "新手 没有考察资格证书" in response.content.decode()


def test_review_officer_answers_problem_found(client_for, admin, candidate, officers, today):
    actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=5))
    mine = ReviewRequest.objects.get(department__code="audit")
    theirs = ReviewRequest.objects.get(department__code="health")
    c = client_for(officers["audit"])
    queue = c.get(reverse("inspection:review_queue")).content.decode()
    assert queue.count("data-request=") == 1
    assert c.get(reverse("inspection:review_answer", args=[theirs.pk])).status_code == 404
    assert c.post(reverse("inspection:review_answer", args=[theirs.pk]), {"answer": "clear"}).status_code == 404
    response = c.post(reverse("inspection:review_answer", args=[mine.pk]), {"answer": "problem", "text": ""})
    assert "须写明具体情况" in response.content.decode()
    response = c.post(reverse("inspection:review_answer", args=[mine.pk]), {"answer": "problem", "text": "资金问题"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "suspended"


def test_manager_pages_render(client_for, admin, candidate, tracing, today):
    actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=5))
    problem = actions.intake_complaint(acting_user=admin, cadre=candidate.cadre, channel="letter", text="来信反映")
    project = actions.create_key_project(acting_user=admin, name="开发区建设", started=today)
    c = client_for(admin)
    for name, args in [("inspection_list", []), ("inspection_new", []), ("inspector_list", []),
                       ("project_list", []), ("project_detail", [project.pk]), ("review_overview", []),
                       ("review_candidate", [candidate.pk]), ("problem_list", []), ("problem_detail", [problem.pk]),
                       ("dashboard", []), ("inspection_detail", [tracing.pk])]:
        response = c.get(reverse(f"inspection:{name}", args=args))
        assert response.status_code == 200, name
    page = c.get(reverse("inspection:review_candidate", args=[candidate.pk])).content.decode()
    assert "审计局尚未答复联审函。" in page


def test_inspector_record_shows_accountability_findings(client_for, admin, inspectors, team, candidate_cadre, today):
    inspection = actions.open_inspection(acting_user=admin, team=team, kind="circles", cadre=candidate_cadre)
    actions.record_interview(acting_user=inspectors[0], inspection=inspection, interviewee="甲", category="dissenter",
                             circle="work", place="办公室", held_on=today, summary="有不同意见", leaning="negative")
    actions.record_vote(acting_user=inspectors[0], inspection=inspection, held_on=today, competent=10)
    actions.save_report(acting_user=inspectors[0], inspection=inspection, morality="好", ability="好", diligence="好",
                        achievement="好", integrity="好", weaknesses="无")
    actions.sign_report(acting_user=inspectors[0], inspection=inspection)
    actions.record_report_finding(acting_user=admin, inspection=inspection, kind="distorted", text="夸大实绩")
    page = client_for(admin).get(reverse("inspection:inspector_detail", args=[inspectors[1].pk])).content.decode()
    assert "歪曲事实" in page and "夸大实绩" in page


def test_cadre_role_is_refused(client_for, cast):
    assert client_for(cast["users"]["cadre"]).get(reverse("inspection:inspection_list")).status_code == 403
    assert client_for(cast["users"]["inspector"]).get(reverse("inspection:dashboard")).status_code == 403


def test_review_overview_query_count_does_not_grow_with_candidates(client_for, admin, case, candidate_cadre, cast,
                                                                   make_cadre, today, django_assert_max_num_queries):
    case_actions.advance_case(acting_user=admin, case=case, to_stage="nomination")
    for i in range(6):
        cadre = make_cadre(cast["lizhuang"], name=f"人选{i}", birth=dt.date(1985, 1, 1 + i))
        candidate = case_actions.add_candidate(acting_user=admin, case=case, cadre=cadre, channel="open_nomination")
        actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=5))
        actions.record_check(acting_user=admin, candidate=candidate, check="file")
    case_actions.advance_case(acting_user=admin, case=case, to_stage="candidates")
    c = client_for(admin)
    with django_assert_max_num_queries(15):
        page = c.get(reverse("inspection:review_overview")).content.decode()
    assert page.count("尚未答复联审函") == 6 * 5


def test_inspection_page_query_count_does_not_grow_with_interviews(client_for, admin, inspectors, tracing, today,
                                                                  django_assert_max_num_queries):
    for i in range(25):
        actions.record_interview(acting_user=inspectors[0], inspection=tracing, interviewee=f"对象{i}",
                                 category="colleague", circle="work", place="会议室", held_on=today,
                                 summary="邻里和睦，工作扎实", leaning="positive")
    c = client_for(inspectors[0])
    with django_assert_max_num_queries(22):
        page = c.get(reverse("inspection:inspection_detail", args=[tracing.pk])).content.decode()
    assert page.count("邻里和睦，工作扎实") == 25


def test_manager_opens_an_inspection_for_a_candidate_and_revokes_a_certificate(client_for, admin, inspectors,
                                                                               candidate, team, today):
    c = client_for(admin)
    response = c.post(reverse("inspection:inspection_new"), {
        "team": team.pk, "kind": "circles", "cadre": candidate.cadre.pk, "candidate": candidate.pk,
        "opened_on": today.isoformat()})
    assert response.status_code == 302
    assert Inspection.objects.get().candidate == candidate
    cert = Certificate.objects.get(user=inspectors[1])
    c.post(reverse("inspection:certificate_revoke", args=[inspectors[1].pk, cert.pk]), {"reason": "考察失真"})
    cert.refresh_from_db()
    assert cert.revoked_reason == "考察失真" and cert.revoked_at == today


def test_the_review_queue_splits_open_from_answered_and_tells_namesakes_apart(client_for, admin, candidate, officers, today):
    """Issue 19: answered requests were mixed with open ones, and a request said too little to
    tell two people of one name apart (unit, post, birth month, masked ID number)."""
    actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=5))
    mine = ReviewRequest.objects.get(department__code="audit")
    c = client_for(officers["audit"])
    queue = c.get(reverse("inspection:review_queue")).content.decode()
    open_part, answered_part = queue.split('id="answered"', 1)
    assert f'data-request="{mine.pk}"' in open_part and "data-request=" not in answered_part
    cadre = candidate.cadre
    for shown in (cadre.org_unit.name, f"{cadre.birth_date:%Y.%m}", cadre.masked_id_number):
        assert shown in open_part
    assert cadre.id_number not in queue
    c.post(reverse("inspection:review_answer", args=[mine.pk]), {"answer": "clear", "text": ""})
    queue = c.get(reverse("inspection:review_queue")).content.decode()
    open_part, answered_part = queue.split('id="answered"', 1)
    assert "data-request=" not in open_part and f'data-request="{mine.pk}"' in answered_part
    page = c.get(reverse("inspection:review_answer", args=[mine.pk])).content.decode()
    assert cadre.masked_id_number in page and f"{cadre.birth_date:%Y.%m}" in page
