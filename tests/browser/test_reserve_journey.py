"""A township clerk enters a cadre into tier 1 through the type-ahead, opens a training class,
enrols them, records attendance and an evaluation, graduates the class, and nominates the
graduate directly in a case, citing the class; a cadre who never graduated is refused."""

import datetime as dt

import pytest
from django.utils import timezone

from gongxin.cases import actions as case_actions
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_clerk_reserve_journey(cast, posts, make_cadre, new_page, shot):
    today = timezone.localdate()
    zhou = make_cadre(cast["lizhuang"], name="周青山", birth=dt.date(1988, 5, 20))
    other = make_cadre(cast["lizhuang"], name="周未结", birth=dt.date(1989, 5, 20))
    case = case_actions.open_case(acting_user=cast["users"]["org_admin"], title="李庄镇镇长选任", org_unit=cast["lizhuang"],
                                  posts=[posts["lizhuang_head"]], channels=["reserve_direct"], motion_reason="镇长调任")
    page = new_page()
    login(page, "clerk")

    # 1. Enter 周青山 into tier 1, found by pinyin initials
    page.goto(page.base + "/reserve/enter/")
    page.fill("#cadre-q", "zqs")
    page.locator("#cadre-choices input[type=radio]").first.wait_for()
    assert "周青山" in page.locator("#cadre-choices").inner_text()
    page.check(f"#cadre-choices input[value='{zhou.pk}']")
    page.select_option("select[name=tier]", "1")
    page.select_option("select[name=target_rank]", label="正科级")
    page.select_option("select[name=source]", "organisation")
    page.fill("textarea[name=profile]", "长期在基层一线，处理复杂问题能力强。")
    shot(page, "1-entry-form")
    page.click("#entry-submit")
    assert "已进入后备干部库" in page.locator(".messages").inner_text()
    assert "第一层次" in page.locator("h1").inner_text()
    shot(page, "2-entered")

    # 2. Open a class, enrol him, add a session
    page.goto(page.base + "/reserve/classes/")
    page.fill("input[name=name]", "2026年第三期中青年干部培训班")
    page.fill("input[name=starts_on]", (today - dt.timedelta(days=40)).isoformat())
    page.fill("input[name=ends_on]", (today - dt.timedelta(days=1)).isoformat())
    page.fill("textarea[name=curriculum]", "党性教育；县域经济")
    page.click("form.panel button[type=submit]")
    page.fill("#enrol-form #cadre-q", "周青")
    page.locator(f"#enrol-form input[value='{zhou.pk}']").check()
    page.click("#enrol-submit")
    assert "已报到入班" in page.locator(".messages").inner_text()
    page.fill("#session-form input[name=held_on]", (today - dt.timedelta(days=30)).isoformat())
    page.fill("#session-form input[name=topic]", "党章党规党纪")
    page.click("#session-form button[type=submit]")

    # 3. Attendance on the printable sheet
    page.click("#roster thead a")
    assert "本人签名" in page.content()
    shot(page, "3-attendance-sheet")
    page.click("#attendance-form button[type=submit]")
    assert "出勤 1 人" in page.locator(".messages").inner_text()

    # 4. Evaluation, then graduation
    page.click("#roster tbody a:has-text('周青山')")
    page.select_option("#evaluation-form select", "excellent")
    page.fill("#evaluation-form textarea", "理论功底扎实，调研报告质量高。")
    page.click("#evaluation-form button[type=submit]")
    assert "已保存" in page.locator(".messages").inner_text()
    page.click(".breadcrumb a:has-text('第三期')")
    page.click("#graduate-form button[type=submit]")
    assert "已办理结业" in page.locator(".messages").inner_text()
    assert "已结业" in page.locator("#roster").inner_text()
    shot(page, "4-graduated")

    # 5. Direct nomination: refused for a non-graduate, accepted for the graduate citing the class
    url = page.base + f"/cases/{case.pk}/candidates/new/"
    page.goto(url)
    page.fill("input[name=cadre_q]", other.id_number)  # the picker: a typed ID number names one cadre
    page.select_option("select[name=channel]", "reserve_direct")
    page.click("form.panel button[type=submit]")
    assert "不在后备干部库中" in page.content()
    shot(page, "5-refused")
    page.fill("input[name=cadre_q]", zhou.id_number)
    page.select_option("select[name=channel]", "reserve_direct")
    page.select_option("select[name=training_class]", label=page.locator(
        "select[name=training_class] option", has_text="第三期").first.inner_text())
    page.click("form.panel button[type=submit]")
    assert "周青山" in page.content() and "不能提名" not in page.content()
    cand = case.candidates.get()
    assert cand.cadre_id == zhou.pk and cand.evidence["training_class"]
    shot(page, "6-nominated")

    # 6. The cadre page shows the history and the training line of the appointment form
    page.goto(page.base + f"/people/cadres/{zhou.pk}/")
    assert "培训情况" in page.locator("table.appointment-form").inner_text()
    assert "入库" in page.locator("#reserve-history").inner_text()
