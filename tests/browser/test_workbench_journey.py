"""Journeys from the workbench (issue 19): each role's home lists what waits on it, the top line
opens the action in one click, and the dashboard's promoted-through-performance figure opens the
list of those promotions. Screenshots of each workbench and the dashboard, desktop and phone."""

import pytest
from django.urls import reverse

from gongxin.cases import actions
from gongxin.cases.models import CaseStage
from tests.browser.conftest import login
from tests.cases.conftest import admin, case, eligible, members, own_guards_only  # noqa: F401
from tests.workbench.conftest import YEAR, at_inspection, county_clerk, promoted  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PHONE = (390, 844)


def _home(new_page, username, shot, name, password="pass-1234-word"):
    """Log in (the home page is the workbench), screenshot it on a phone too; return the page."""
    phone = new_page(viewport=PHONE)
    login(phone, username, password)
    assert phone.inner_text("h1") == "工作台"
    shot(phone, f"{name}-phone")
    page = new_page()
    login(page, username, password)
    shot(page, f"{name}-desktop")
    return page


def _top(page):
    return page.locator(".wb-item").first


def test_reviewer_answers_the_overdue_request_from_the_top_line(new_page, shot, cast, at_inspection):  # noqa: F811
    page = _home(new_page, "reviewer", shot, "reviewer-workbench")
    top = _top(page)
    assert "联审请求待答复" in top.inner_text() and "已逾期 1 件" in top.inner_text()
    assert "钱甲" in top.inner_text()
    top.locator("a.wb-main").click()  # one click: the answer form of the overdue request
    page.wait_for_load_state("networkidle")
    assert "/inspection/review/requests/" in page.url
    page.check("input[name=answer][value=clear]")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    page.goto(page.base + "/")
    top = _top(page)
    assert "联审请求待答复" in top.inner_text() and "已逾期" not in top.inner_text()
    assert top.locator(".wb-count").inner_text() == "1"


@pytest.mark.usefixtures("own_guards_only")
def test_voter_records_the_open_vote_from_the_top_line(new_page, shot, cast, admin, case, eligible, members):  # noqa: F811
    from tests.cases.conftest import drive

    voter = cast["users"]["voter"]
    case = drive(case, admin, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    meeting = actions.create_decision_meeting(acting_user=admin, case=case, title="县委常委会第12次会议",
                                              members=[{"name": m.name, "cadre": m} for m in members]
                                              + [{"name": "投票人", "user": voter}])
    actions.record_attendance(acting_user=admin, meeting=meeting, present=[m.pk for m in meeting.members.all()])
    actions.open_voting(acting_user=admin, meeting=meeting)
    page = _home(new_page, "voter", shot, "voter-workbench")
    top = _top(page)
    assert "讨论决定待表态" in top.inner_text() and "县委常委会第12次会议" in top.inner_text()
    top.locator("a.wb-main").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(reverse("cases:meeting_detail", args=[meeting.pk]))
    page.check("input[name=choice][value=agree]")
    page.locator("form:has(input[name=choice]) button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    page.goto(page.base + "/")
    assert "目前没有等待您办理的事项" in page.inner_text("main")


def test_county_clerk_chases_reviews_and_opens_the_performance_promotions(new_page, shot, county_clerk,  # noqa: F811
                                                                           at_inspection, promoted):  # noqa: F811
    page = _home(new_page, "county_clerk", shot, "county-clerk-workbench")
    top = _top(page)
    assert "联审逾期未答复，需催办" in top.inner_text()  # overdue first
    top.locator("a.wb-main").click()
    page.wait_for_load_state("networkidle")
    assert reverse("inspection:review_candidate", args=[at_inspection["late"].pk]) in page.url
    # Reminders: the same lines, listed and marked read.
    page.goto(page.base + reverse("workbench:notifications"))
    assert "联审逾期未答复" in page.inner_text("main")
    # The dashboard, then the promoted-through-performance figure.
    for viewport, name in ((PHONE, "phone"), (None, "desktop")):
        p = new_page(viewport=viewport) if viewport else page
        if viewport:
            login(p, "county_clerk")
        p.goto(p.base + reverse("workbench:dashboard") + f"?year={YEAR}")
        assert p.locator("#figure-promotions svg").count() == 1
        shot(p, f"dashboard-{name}")
    page.locator("#figure-promotions table a", has_text="1").first.wait_for()
    row = page.locator("#figure-promotions tr", has_text="实绩备案提名")
    row.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert "任用人数（按提名渠道）：实绩备案提名" in page.inner_text("h1")
    text = page.inner_text("main")
    assert "实绩甲" in text and "海选乙" not in text
    shot(page, "performance-promotions")
    # The chart's bar is the same link.
    page.go_back()
    bar = page.locator("#figure-promotions svg a").nth(1)
    bar.click()
    page.wait_for_load_state("networkidle")
    assert "实绩甲" in page.inner_text("main")


def test_the_dashboard_prints_with_its_charts(new_page, county_clerk, promoted, tmp_path):  # noqa: F811
    page = new_page()
    login(page, "county_clerk")
    page.goto(page.base + reverse("workbench:dashboard") + f"?year={YEAR}")
    page.emulate_media(media="print")
    assert page.locator(".sidebar").is_hidden() and page.locator("form.filters").is_hidden()
    assert page.locator("#figure-promotions svg").is_visible()
    pdf = page.pdf(path=str(tmp_path / "dashboard.pdf"))
    assert pdf[:4] == b"%PDF"
