"""/api/v1/inspection/: same rules as the pages, errors as {code, message}."""

import datetime as dt
import json

import pytest

from gongxin.inspection import actions
from gongxin.inspection.models import ReviewRequest

pytestmark = pytest.mark.django_db
API = "/api/v1/inspection"


def post(client, url, data):
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_inspector_lists_and_records_interviews(client_for, admin, inspectors, candidate_cadre, cast, today):
    team = actions.form_team(acting_user=admin, name="甲组", leader=inspectors[0], members=[inspectors[1]])
    mine = actions.open_inspection(acting_user=admin, team=team, kind="source_tracing", cadre=candidate_cadre)
    other_team = actions.form_team(acting_user=admin, name="乙组", leader=inspectors[2], members=[inspectors[1]])
    other = actions.open_inspection(acting_user=admin, team=other_team, kind="circles", cadre=cast["cadres"]["li"])
    c = client_for(inspectors[0])
    assert [row["id"] for row in c.get(f"{API}/inspections").json()] == [mine.pk]
    detail = c.get(f"{API}/inspections/{mine.pk}").json()
    assert detail["coverage"] == {"visited": 0, "total": 3, "percent": 0}
    assert c.get(f"{API}/inspections/{other.pk}").status_code == 404
    response = post(c, f"{API}/inspections/{mine.pk}/interviews", {
        "interviewee": "老同学", "category": "classmate", "circle": "social", "place": "济南", "held_on": today,
        "summary": "为人正直", "leaning": "positive"})
    assert response.status_code == 201, response.content
    response = post(c, f"{API}/inspections/{other.pk}/interviews", {
        "interviewee": "x", "category": "other", "circle": "work", "place": "x", "held_on": today,
        "summary": "x", "leaning": "neutral"})
    assert response.status_code == 404


def test_one_person_team_refused_with_code(client_for, admin, inspectors):
    response = post(client_for(admin), f"{API}/teams", {"name": "单人组", "leader_id": inspectors[0].pk})
    assert response.status_code == 400
    assert response.json()["code"] == "team.too_small"


def test_answering_another_departments_request_is_404(client_for, admin, candidate, officers, today):
    c = client_for(admin)
    response = post(c, f"{API}/review/candidates/{candidate.pk}/send", {"deadline": today + dt.timedelta(days=5)})
    assert response.status_code == 201 and len(response.json()) == 5
    health = ReviewRequest.objects.get(department__code="health")
    audit = client_for(officers["audit"])
    assert [r["department"] for r in audit.get(f"{API}/review/requests").json()] == ["audit"]
    response = post(audit, f"{API}/review/requests/{health.pk}/answer", {"answer": "clear"})
    assert response.status_code == 404
    health.refresh_from_db()
    assert health.answer == "pending"
    response = post(client_for(officers["health"]), f"{API}/review/requests/{health.pk}/answer", {"answer": "clear"})
    assert response.status_code == 200 and response.json()["answer"] == "clear"
    state = c.get(f"{API}/review/candidates/{candidate.pk}").json()
    assert "审计局尚未答复联审函。" in state["blockers"]


def test_complaint_intake_and_dashboard(client_for, admin, candidate_cadre, today):
    c = client_for(admin)
    response = post(c, f"{API}/problems", {"cadre_id": candidate_cadre.pk, "channel": "online", "text": "网上举报"})
    assert response.status_code == 201
    pid = response.json()["id"]
    response = post(c, f"{API}/problems/{pid}/finding", {"finding": "substantiated", "text": "属实"})
    assert response.json()["finding"] == "substantiated"
    figures = c.get(f"{API}/dashboard?year={today.year}").json()
    assert figures["tracked_cadres"] == 0 and figures["open_problem_files"] == 0
