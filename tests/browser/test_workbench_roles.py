"""Journeys from the workbench for the roles test_workbench_journey.py leaves out (issue 19): the
inspector, the township clerk, a cadre and a section head each log in to their home, the top
line is what waits on them, and one click on it opens the page where it is done. Screenshots of
each workbench, phone and desktop."""

import datetime as dt

import pytest
from django.urls import reverse

from gongxin.inspection import actions as inspection_actions
from tests.browser.conftest import login
from tests.inspection.conftest import (  # noqa: F401  (fixtures)
    admin,
    candidate,
    candidate_cadre,
    case,
    inspectors,
    make_inspector,
    today,
    training,
)
from tests.matching.conftest import open_round, unit  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PHONE = (390, 844)


def _page(new_page, viewport=(1280, 900)):
    page = new_page(viewport=viewport)
    page.set_default_timeout(30_000)  # a loaded machine: the first login can take more than 10 s
    return page


def _home(new_page, shot, username, name, password="pass-1234-word"):
    phone = _page(new_page, PHONE)
    login(phone, username, password)
    assert phone.inner_text("h1") == "工作台"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(phone, f"{name}-phone")
    page = _page(new_page)
    login(page, username, password)
    shot(page, f"{name}-desktop")
    return page


def _open_top(page):
    top = page.locator(".wb-item").first
    text = top.inner_text()
    top.locator("a.wb-main").click()
    page.wait_for_load_state("networkidle")
    return text


def test_inspector_opens_the_interview_form_from_the_top_line(new_page, shot, cast, admin, inspectors,  # noqa: F811
                                                              candidate):  # noqa: F811
    team = inspection_actions.form_team(acting_user=admin, name="第一考察组", leader=inspectors[0],
                                        members=[inspectors[1]])
    inspection = inspection_actions.open_inspection(acting_user=admin, team=team, kind="circles",
                                                    cadre=candidate.cadre, candidate=candidate)
    page = _home(new_page, shot, "inspector", "inspector-workbench")
    text = _open_top(page)
    assert "考察进行中，待记录谈话" in text and "孙明" in text
    assert page.url.endswith(reverse("inspection:interview_new", args=[inspection.pk]))
    page.fill("input[name=interviewee]", "王大爷")
    page.select_option("select[name=category]", "neighbour")
    page.select_option("select[name=circle]", "life")
    page.fill("input[name=place]", "李庄镇")
    page.fill("textarea[name=summary]", "住同一小区十年，邻里关系和睦。")
    page.check("input[name=leaning][value=positive]")
    page.click("button[name=save]")
    page.wait_for_load_state("networkidle")
    assert "王大爷" in page.inner_text("main")


def test_township_clerk_chases_the_overdue_review_of_their_own_township(new_page, shot, cast, admin, candidate,  # noqa: F811
                                                                        today):  # noqa: F811
    inspection_actions.send_review_requests(acting_user=admin, candidate=candidate,
                                            deadline=today - dt.timedelta(days=2),
                                            sent_on=today - dt.timedelta(days=9))
    page = _home(new_page, shot, "clerk", "township-clerk-workbench")  # 李庄镇's clerk
    text = _open_top(page)
    assert "联审逾期未答复，需催办" in text and "已逾期 5 件" in text and "孙明" in text
    assert reverse("inspection:review_candidate", args=[candidate.pk]) in page.url
    assert "孙明" in page.inner_text("main")
    # The case is the next line: it opens the case, where the blockers are links.
    page.goto(page.base + "/")
    assert "李庄镇党委书记选任" in page.inner_text("main")


def test_cadre_ranks_sections_from_the_top_line(new_page, shot, unit, open_round):  # noqa: F811
    staff = unit["accounts"]["钱二"]
    page = _home(new_page, shot, staff.username, "cadre-workbench", password="x-pass-1234")
    text = _open_top(page)
    assert "双向选择：填报科室志愿" in text and "2026年县档案局双向选择" in text
    assert page.url.endswith(reverse("matching:rank_staff", args=[open_round.pk]))
    page.click("button[aria-label='列入 办公室']")
    page.click("[data-save]")
    page.wait_for_selector("text=排序已保存")
    page.goto(page.base + "/")
    assert "目前没有等待您办理的事项" in page.inner_text("main")


def test_section_head_ranks_staff_from_the_top_line(new_page, shot, unit, open_round):  # noqa: F811
    head = unit["heads"]["编研科"]
    section = open_round.sections.get(section=unit["sections"]["编研科"])
    page = _home(new_page, shot, head.username, "section-head-workbench", password="x-pass-1234")
    text = _open_top(page)
    assert "双向选择：科室对人员排序" in text and "编研科" in text
    assert page.url.endswith(reverse("matching:rank_section", args=[open_round.pk, section.pk]))
    page.click("button[aria-label='列入 钱二']")
    page.click("[data-save]")
    page.wait_for_selector("text=排序已保存")
    page.goto(page.base + "/")
    assert "目前没有等待您办理的事项" in page.inner_text("main")
