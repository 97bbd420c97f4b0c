"""Issue 11 journeys in the browser: a decision meeting that lacks a quorum, then a held one;
a rule edit with a bad value refused with its Chinese message; a township clerk who cannot
change county settings."""

import datetime as dt

import pytest
from django.db import transaction

from gongxin.cases import actions
from gongxin.cases import demo as case_demo
from gongxin.cases.models import Case, DecisionMeeting, RuleSet
from gongxin.inspection.models import ReviewDepartment
from gongxin.people import actions as people_actions
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
MEMBERS = ["赵立新", "钱文华", "孙志刚", "周海燕", "吴国强", "郑明", "冯涛", "陈静", "褚卫东"]


def _case_at_decision(cast, posts, make_cadre):
    admin = cast["users"]["org_admin"]
    cadre = make_cadre(cast["lizhuang"], name="陈建国", birth=dt.date(1984, 3, 3), rank_since=dt.date(2020, 1, 1),
                       party_joined=dt.date(2008, 7, 1))
    people_actions.add_resume_entry(acting_user=None, cadre=cadre, start=dt.date(2010, 1, 1), end=dt.date(2016, 1, 1),
                                    description="李庄镇党政办科员", is_grassroots=True)
    with transaction.atomic():
        case = actions.open_case(acting_user=admin, title="李庄镇党委书记选任", org_unit=cast["lizhuang"],
                                 posts=[posts["lizhuang_secretary"]], channels=["open_nomination"],
                                 motion_reason="原书记调任")
        actions.advance_case(acting_user=admin, case=case, to_stage="nomination")
        cand = actions.add_candidate(acting_user=admin, case=case, cadre=cadre, channel="open_nomination",
                                     evidence={"recommended_on": dt.date.today().isoformat()})
        actions.advance_case(acting_user=admin, case=case, to_stage="candidates")
        actions.advance_case(acting_user=admin, case=case, to_stage="inspection")
        case_demo.clear_inspection(cand, acting_user=admin)
        actions.advance_case(acting_user=admin, case=case, to_stage="decision")
    return case


def _convene(page, case, present):
    page.goto(page.base + f"/cases/{case.pk}/")
    page.click("a.button:has-text(\"召开讨论决定会议\")")
    page.wait_for_load_state("networkidle")
    page.fill("textarea[name=other_members]", "\n".join(MEMBERS))
    page.click("form.panel button[type=submit]")
    page.wait_for_load_state("networkidle")
    boxes = page.locator("#attendance input[type=checkbox]")
    for i in range(present):
        boxes.nth(i).check()
    page.click("#attendance button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_meeting_without_quorum_is_not_held_then_a_new_one_decides(cast, posts, make_cadre, new_page, shot):
    case = _case_at_decision(cast, posts, make_cadre)
    page = new_page()
    login(page, "clerk")
    # 5 of 9: below the quorum; closing it records a meeting not held
    _convene(page, case, 5)
    assert "未达到法定人数" in page.inner_text("main")
    page.click("#close-meeting")
    page.wait_for_load_state("networkidle")
    assert "会议无效，人选状态不变" in page.inner_text(".messages")
    assert "不足法定人数，会议无效" in page.inner_text("main")
    shot(page, "1-not-held")
    assert case.candidates.get().status == "active"
    # the case page says why and offers a new meeting
    page.goto(page.base + f"/cases/{case.pk}/")
    assert "会议无效，请重新召开" in page.inner_text("#next-step")
    # 7 of 9: held; every present member agrees
    _convene(page, case, 7)
    form = page.locator("form:has(input[name=candidate])").first
    selects = form.locator("select")
    for i in range(selects.count()):
        selects.nth(i).select_option("agree")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.click("#close-meeting")
    page.wait_for_load_state("networkidle")
    assert "已形成决定" in page.inner_text(".messages")
    shot(page, "2-held")
    statuses = sorted(DecisionMeeting.objects.filter(case=case).values_list("status", flat=True))
    assert statuses == ["closed", "not_held"]
    page.goto(page.base + f"/cases/{case.pk}/")
    page.click("#advance")
    page.wait_for_load_state("networkidle")
    assert Case.objects.get(pk=case.pk).stage == "publicity"


def test_a_bad_rule_value_is_refused_with_its_message(cast, new_page, shot):
    r17 = RuleSet.objects.get(version=1).rules.get(code="R17")
    page = new_page()
    login(page, "org_admin")
    page.goto(page.base + f"/cases/rules/rule/{r17.pk}/edit/")
    assert page.locator("textarea[name=parameters]").count() == 0  # typed fields, not a JSON box
    page.fill("input[name=p_working_days]", "3")
    page.fill("input[name=note]", "试改")
    page.click("#rule-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "R17 的参数“公示期（工作日）”应在 5 至 30 之间。" in page.inner_text("main")
    shot(page, "refused")
    assert RuleSet.objects.count() == 1


def test_a_township_clerk_cannot_change_county_settings(cast, new_page, shot):
    page = new_page()
    login(page, "clerk")
    page.goto(page.base + "/inspection/review/")
    assert "添加联审单位" not in page.inner_text("main")
    assert page.locator("form[action*='/toggle/']").count() == 0
    shot(page, "review-overview")
    petitions = ReviewDepartment.objects.get(code="petitions")
    token = page.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    r = page.request.post(page.base + f"/inspection/review/departments/{petitions.pk}/toggle/",
                          headers={"X-CSRFToken": csrf, "Referer": page.base + "/inspection/review/"})
    assert r.status == 403
    petitions.refresh_from_db()
    assert petitions.is_active is True
