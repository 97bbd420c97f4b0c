"""An inspector on a phone records two interviews for the one inspection assigned to them; an
officer of 审计局 sees only their department's queue and answers "problem found"; the case
page then shows the candidate suspended with that reason."""

import datetime as dt

import pytest

from gongxin.inspection import actions
from tests.browser.conftest import login
from tests.inspection.conftest import (  # noqa: F401  (fixtures)
    admin,
    candidate,
    candidate_cadre,
    case,
    inspectors,
    make_inspector,
    officers,
    today,
    training,
)

PHONE = (390, 844)


def _no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_inspector_interviews_then_audit_finds_a_problem(cast, admin, inspectors, candidate, officers,  # noqa: F811
                                                         new_page, shot, today):  # noqa: F811
    # given: the conftest "inspector" leads the team inspecting 孙明; another team inspects 李四
    mine = actions.form_team(acting_user=admin, name="第一考察组", leader=inspectors[0], members=[inspectors[1]])
    actions.open_inspection(acting_user=admin, team=mine, kind="circles", cadre=candidate.cadre, candidate=candidate)
    other = actions.form_team(acting_user=admin, name="第二考察组", leader=inspectors[2], members=[inspectors[1]])
    actions.open_inspection(acting_user=admin, team=other, kind="circles", cadre=cast["cadres"]["li"])
    actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=7))

    # the inspector on a phone sees only their own assignment
    page = new_page(viewport=PHONE)
    login(page, "inspector")
    page.goto(page.base + "/inspection/")
    cards = page.locator("a[data-inspection]")
    assert cards.count() == 1
    assert "孙明" in cards.first.inner_text() and "李四" not in page.inner_text("main")
    assert _no_horizontal_scroll(page)
    shot(page, "1-phone-my-assignments")

    cards.first.click()
    page.wait_for_load_state("networkidle")
    page.click("text=记录谈话")
    page.wait_for_load_state("networkidle")
    assert _no_horizontal_scroll(page)
    for i, (who, category, circle, summary, leaning) in enumerate([
        ("王大爷", "neighbour", "life", "住同一小区十年，邻里关系和睦，生活简朴。", "positive"),
        ("刘某", "dissenter", "work", "曾在拆迁补偿标准上与其争论，认为其处理公道但方法较急。", "neutral"),
    ]):
        page.fill("input[name=interviewee]", who)
        page.select_option("select[name=category]", category)
        page.select_option("select[name=circle]", circle)
        page.fill("input[name=place]", "李庄镇")
        page.fill("textarea[name=summary]", summary)
        page.check(f"input[name=leaning][value={leaning}]")
        if i == 0:
            shot(page, "2-phone-interview-form")
            page.click("button[name=another]")
        else:
            page.click("button[name=save]")
        page.wait_for_load_state("networkidle")
    rows = page.locator("table.interviews tbody tr")
    assert rows.count() == 2
    assert "王大爷" in rows.nth(0).inner_text() and "生活圈" in rows.nth(0).inner_text()
    assert "与其有过不同意见的人" in rows.nth(1).inner_text()
    shot(page, "3-phone-two-interviews")

    # the 审计局 officer sees only their queue and finds a problem
    page = new_page(viewport=PHONE)
    login(page, "reviewer")
    page.goto(page.base + "/inspection/review/queue/")
    queue = page.locator("a[data-request]")
    assert queue.count() == 1
    assert "审计局" in page.inner_text("h1")
    shot(page, "4-audit-queue")
    queue.first.click()
    page.wait_for_load_state("networkidle")
    page.check("input[name=answer][value=problem]")
    page.fill("textarea[name=text]", "任副镇长期间专项资金违规拨付 36 万元。")
    shot(page, "5-audit-answer")
    page.click("form.panel button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "答复已提交" in page.inner_text(".messages")

    # the case page shows the candidate suspended, with the reason
    page = new_page()
    login(page, "org_admin")
    page.goto(page.base + f"/cases/{candidate.case_id}/")
    text = page.inner_text("main")
    assert "暂停" in text
    assert "联审：审计局发现问题：任副镇长期间专项资金违规拨付 36 万元。" in text
    shot(page, "6-case-candidate-suspended")
