"""The statistics dashboard (issue 19, DOMAIN §3.11): figures computed from data for a year and a
unit, each number a link to the records behind it; figures come through the dashboard_figures
hook, so a capability that is not installed has no figure (absent, not zero)."""

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse

from gongxin.cases.models import Channel
from gongxin.people.models import AnnualGrade, PostHolding
from gongxin.workbench import figures as fig

from .conftest import YEAR

pytestmark = [pytest.mark.django_db]


def _figure(client, key, **params):
    page = client.get(reverse("workbench:dashboard"), {"year": YEAR, **params})
    assert page.status_code == 200
    chart = next(c for c in page.context["charts"] if c["figure"].spec.key == key)
    return {b.label: b.value for b in chart["figure"].bars}, chart, page


def test_promotions_by_channel_and_the_performance_figure_opens_those_promotions(client_for, admin, promoted):
    client = client_for(admin)
    bars, chart, page = _figure(client, "promotions")
    assert bars["实绩备案提名"] == 1 and bars["海选（会议推荐）"] == 1 and bars["自荐"] == 0
    html = page.content.decode()
    assert "<svg" in html and "任用人数（按提名渠道）" in html
    link = next(r["url"] for r in chart["rows"] if r["bar"].part == Channel.PERFORMANCE)
    assert f'href="{link.replace("&", "&amp;")}"' in html  # the number in the table is the link
    records = client.get(link)
    text = records.content.decode()
    assert records.status_code == 200 and "实绩甲" in text and "海选乙" not in text
    assert reverse("publicity:appointment", args=[promoted["appointments"][0].pk]) in text
    # Another year: nothing.
    bars, _chart, _page = _figure(client, "promotions", year=YEAR - 1)
    assert sum(bars.values()) == 0


def test_the_unit_filter_counts_only_that_subtree(client_for, admin, promoted, cast):
    bars, _c, _p = _figure(client_for(admin), "promotions", unit=cast["hefang"].pk)
    assert sum(bars.values()) == 2
    bars, _c, _p = _figure(client_for(admin), "promotions", unit=cast["finance"].pk)
    assert sum(bars.values()) == 0


def test_nominations_grades_and_hard_postings(client_for, admin, promoted, cast, posts, county):
    client = client_for(admin)
    bars, _c, _p = _figure(client, "nominations")
    assert bars["实绩备案提名"] == 1 and bars["海选（会议推荐）"] == 1
    AnnualGrade.objects.create(cadre=promoted["performance"].cadre, year=YEAR, grade="excellent")
    bars, _c, _p = _figure(client, "grades")
    assert bars["优秀"] == 1 and bars["称职"] == 0
    # 实绩甲 served six years in a remote township before: a long-serving cadre of a hard posting.
    county["lizhuang"].is_remote = True
    county["lizhuang"].save()
    PostHolding.objects.create(cadre=promoted["performance"].cadre, post=posts["lizhuang_head"],
                               start=dt.date(2019, 1, 1), end=dt.date(YEAR, 2, 28))
    bars, chart, _p = _figure(client, "hard_postings")
    assert bars["在艰苦乡镇累计工作 5 年以上的干部提拔到领导岗位"] == 1
    assert bars["在艰苦乡镇累计工作 5 年以上的乡镇干部进入县直部门"] == 0  # township to township
    link = next(r["url"] for r in chart["rows"] if r["bar"].part == "long")
    assert "实绩甲" in client.get(link).content.decode()


def test_figures_come_from_installed_apps_only(monkeypatch, admin):
    keys = {s.key for s in fig.specs()}
    assert {"nominations", "promotions", "hard_postings", "nomination_meetings", "reserve_pool", "trained_nominated",
            "inspections", "joint_reviews", "problem_files", "grades"} <= keys
    # An app without the hook (as exams and evaluation today) has no figure, not a zero.
    monkeypatch.delattr(type(apps.get_app_config("reserve")), "dashboard_figures")
    assert not {"reserve_pool", "trained_nominated"} & {s.key for s in fig.specs()}


def test_every_figure_and_its_records_render_for_the_year(client_for, admin, promoted):
    client = client_for(admin)
    page = client.get(reverse("workbench:dashboard"), {"year": YEAR})
    for chart in page.context["charts"]:
        for row in chart["rows"]:
            assert client.get(row["url"]).status_code == 200, row["url"]


def test_who_may_see_the_dashboard(client_for, cast):
    assert client_for(cast["users"]["voter"]).get(reverse("workbench:dashboard")).status_code == 403
    assert client_for(cast["users"]["clerk"]).get(reverse("workbench:dashboard")).status_code == 200
    # A township clerk cannot choose a unit outside their scope.
    assert client_for(cast["users"]["clerk"]).get(reverse("workbench:dashboard"),
                                                  {"unit": cast["finance"].pk}).status_code == 404
