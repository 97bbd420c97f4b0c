"""County-wide settings need the county's scope; dashboards and lists follow the user's data
scope (issue 11 defect 7: a township clerk deactivated 信访局 and saw all inspectors)."""

import datetime as dt

import pytest
from django.urls import reverse

from gongxin.inspection import actions, queries
from gongxin.inspection.models import ReviewDepartment

pytestmark = pytest.mark.django_db


def test_a_township_clerk_cannot_change_review_departments(cast, client_for):
    clerk = cast["users"]["clerk"]  # 李庄镇, 本单位及下级
    petitions = ReviewDepartment.objects.get(code="petitions")
    c = client_for(clerk)
    assert c.post(reverse("inspection:department_toggle", args=[petitions.pk])).status_code == 403
    assert c.post(reverse("inspection:department_new"), {"code": "x", "name": "某局"}).status_code == 403
    petitions.refresh_from_db()
    assert petitions.is_active is True
    page = c.get(reverse("inspection:review_overview")).content.decode()
    assert "停用" not in page and "添加联审单位" not in page


def test_the_county_admin_can_and_is_told(cast, client_for):
    petitions = ReviewDepartment.objects.get(code="petitions")
    r = client_for(cast["users"]["org_admin"]).post(reverse("inspection:department_toggle", args=[petitions.pk]),
                                                    follow=True)
    assert "已停用联审单位“信访局”" in r.content.decode()


def test_inspectors_and_dashboard_follow_the_scope(cast, client_for, make_inspector, inspectors, candidate_cadre):
    admin, clerk = cast["users"]["org_admin"], cast["users"]["clerk"]
    everyone = set(queries.inspectors_with_records().values_list("username", flat=True))
    assert len(everyone) >= 3
    assert set(queries.inspectors_with_records(user=clerk).values_list("username", flat=True)) == set()
    team = actions.form_team(acting_user=admin, name="组", leader=inspectors[0], members=[inspectors[1]])
    actions.open_inspection(acting_user=admin, team=team, kind="circles", cadre=candidate_cadre)  # 李庄镇 cadre
    mine = set(queries.inspectors_with_records(user=clerk).values_list("username", flat=True))
    assert mine == {inspectors[0].username, inspectors[1].username}
    year = dt.date.today().year
    assert queries.dashboard_figures(year=year)["certified_inspectors"] == len(everyone)
    assert queries.dashboard_figures(year=year, user=clerk)["certified_inspectors"] == 2
    page = client_for(clerk).get(reverse("inspection:dashboard")).content.decode()
    assert "仅统计您的管理范围内" in page
    listing = client_for(clerk).get(reverse("inspection:inspector_list")).content.decode()
    assert f'inspectors/{inspectors[2].pk}/">' not in listing and f'inspectors/{inspectors[0].pk}/">' in listing
