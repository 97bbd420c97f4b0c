"""The inspection app's part of a cadre's page: inspections, performance and problem files,
for the users who manage them; never for the cadre himself, never printed."""

import datetime as dt

import pytest
from django.urls import reverse

from gongxin.inspection import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_file(cast):
    admin, zhang = cast["users"]["org_admin"], cast["cadres"]["zhang"]
    project = actions.create_key_project(acting_user=admin, name="李庄镇污水处理厂", started=dt.date(2025, 3, 1))
    actions.add_project_member(acting_user=admin, project=project, cadre=zhang, role="lead", joined=dt.date(2025, 3, 1))
    actions.add_performance_record(acting_user=admin, project=project, cadre=zhang, recorded_on=dt.date(2025, 12, 1),
                                   title="提前两个月建成投运", text="日处理污水一万吨。")
    actions.intake_complaint(acting_user=admin, cadre=zhang, channel="letter", text="反映其违规收受礼金。")
    return zhang


def test_the_clerk_sees_performance_and_problem_files_on_the_cadre_page(client_for, cast, on_file):
    html = client_for(cast["users"]["clerk"]).get(reverse("people:cadre_detail", args=[on_file.pk])).content.decode()
    section = html[html.index('class="cadre-inspection no-print"'):]
    assert "实绩备案" in section and "提前两个月建成投运" in section and "李庄镇污水处理厂" in section
    assert "问题档案" in section and "反映其违规收受礼金。" in section and "已受理" in section
    assert html.index("干部任免审批表") < html.index('class="cadre-inspection no-print"')


def test_the_cadre_himself_does_not_see_complaints_about_him(client_for, cast, on_file):
    page = client_for(cast["users"]["cadre"]).get(reverse("people:cadre_detail", args=[on_file.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "干部任免审批表" in html
    assert "cadre-inspection" not in html and "违规收受礼金" not in html
