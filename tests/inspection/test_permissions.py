"""Scope: inspectors see only their own teams' inspections, review officers only their own
department's queue; out of scope is 404, no capability is 403."""

import datetime as dt

import pytest

from gongxin.core.errors import Forbidden, NotFound
from gongxin.inspection import actions, permissions
from gongxin.inspection.models import ReviewRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_inspections(admin, inspectors, cast, candidate_cadre):
    mine = actions.form_team(acting_user=admin, name="甲组", leader=inspectors[0], members=[inspectors[1]])
    other = actions.form_team(acting_user=admin, name="乙组", leader=inspectors[2], members=[inspectors[1]])
    a = actions.open_inspection(acting_user=admin, team=mine, kind="circles", cadre=candidate_cadre)
    b = actions.open_inspection(acting_user=admin, team=other, kind="circles", cadre=cast["cadres"]["li"])
    return a, b


def test_inspector_sees_only_own_teams(two_inspections, inspectors):
    a, b = two_inspections
    assert list(permissions.inspections_for_user(inspectors[0])) == [a]
    assert set(permissions.inspections_for_user(inspectors[1])) == {a, b}
    with pytest.raises(NotFound):
        permissions.get_inspection_for_user(inspectors[0], b.pk)


def test_clerk_sees_inspections_in_data_scope_only(two_inspections, cast):
    a, b = two_inspections  # a: 李庄镇 cadre, b: 何坊街道 cadre
    clerk = cast["users"]["clerk"]
    assert list(permissions.inspections_for_user(clerk)) == [a]
    with pytest.raises(NotFound):
        permissions.get_inspection_for_user(clerk, b.pk)


def test_roles_without_the_capability_get_403(cast):
    for role in ["cadre", "voter", "reviewer"]:
        with pytest.raises(Forbidden):
            permissions.inspections_for_user(cast["users"][role])
    with pytest.raises(Forbidden):
        permissions.review_requests_for_user(cast["users"]["inspector"])


def test_review_officers_see_only_their_departments_queue(admin, candidate, officers, today):
    actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=5))
    queue = list(permissions.review_requests_for_user(officers["audit"]))
    assert [r.department.code for r in queue] == ["audit"]
    health = ReviewRequest.objects.get(department__code="health")
    with pytest.raises(NotFound):
        permissions.get_review_request_for_user(officers["audit"], health.pk)
    assert permissions.review_requests_for_user(admin).count() == 5
