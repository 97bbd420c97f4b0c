"""Two-way selection on phones: a staff member orders sections by dragging and by buttons, a
section head ranks staff with buttons, the clerk closes and publishes, the staff member reads
why-not lines, the committee assigns the one left unmatched."""

import datetime as dt

import pytest
from django.utils import timezone

from gongxin.matching import actions
from gongxin.matching.models import Outcome
from tests.browser.conftest import login
from tests.matching.conftest import open_round, section_of, unit  # noqa: F401  (fixtures)
from tests.matching.test_actions import SECTION_PREFS, STAFF_PREFS

PHONE = (390, 844)
PASSWORD = "x-pass-1234"


@pytest.mark.django_db(transaction=True)
def test_two_way_selection_on_phones(unit, open_round, new_page, shot):  # noqa: F811
    sec = {s.section.name: s for s in open_round.sections.select_related("section")}
    ent = {e.cadre.name: e for e in open_round.staff.select_related("cadre")}
    for name, prefs in STAFF_PREFS.items():
        if name != "钱二":
            actions.submit_staff_ranking(acting_user=None, entry=ent[name], ranking=[sec[s].pk for s in prefs])
    for name, prefs in SECTION_PREFS.items():
        if name != "编研科":
            actions.submit_section_ranking(acting_user=None, section=sec[name], ranking=[ent[p].pk for p in prefs])

    # 钱二 on a phone: adds 办公室 then 编研科 with buttons, drags 编研科 to the top, saves
    phone = new_page(viewport=PHONE)
    login(phone, f"staff_{unit['staff'][1].pk}", PASSWORD)
    phone.goto(phone.base + "/matching/")
    phone.click("text=填报科室志愿")
    phone.click("button[aria-label='列入 办公室']")
    phone.click("button[aria-label='列入 编研科']")
    items = phone.locator("[data-rank-list] .rank-item")
    assert items.nth(0).inner_text().count("办公室") == 1
    handle = items.nth(1).locator(".rank-handle").bounding_box()
    target = items.nth(0).bounding_box()
    phone.mouse.move(handle["x"] + 5, handle["y"] + 5)
    phone.mouse.down()
    phone.mouse.move(handle["x"] + 5, target["y"] + 3, steps=8)
    phone.mouse.up()
    assert "编研科" in items.nth(0).inner_text()
    shot(phone, "staff-ranking")
    phone.click("[data-save]")
    phone.wait_for_selector("text=排序已保存")
    ent["钱二"].refresh_from_db()
    assert ent["钱二"].ranking == [sec["编研科"].pk, sec["办公室"].pk]

    # the head of 编研科 on a phone: 钱二, 李四, 赵一 with buttons, then 李四 moved up to first
    head = new_page(viewport=PHONE)
    login(head, unit["heads"]["编研科"].username, PASSWORD)
    head.goto(head.base + "/matching/")
    head.click("text=为本科室排序")
    for name in ["钱二", "李四", "赵一"]:
        head.click(f"button[aria-label='列入 {name}']")
    head.click("button[aria-label='上移 李四']")
    shot(head, "section-ranking")
    head.click("[data-save]")
    head.wait_for_selector("text=排序已保存")
    sec["编研科"].refresh_from_db()
    assert sec["编研科"].ranking == [ent["李四"].pk, ent["钱二"].pk, ent["赵一"].pk]

    # the clerk closes and publishes
    clerk = new_page(viewport=PHONE)
    login(clerk, "unit_clerk", PASSWORD)
    clerk.goto(clerk.base + f"/matching/{open_round.pk}/")
    clerk.click("[data-close]")
    clerk.wait_for_selector("[data-certificate=stable]")
    clerk.click("[data-publish]")
    clerk.wait_for_selector("text=结果已在本单位公布")

    # 钱二 reads why-not lines
    phone.goto(phone.base + f"/matching/{open_round.pk}/mine/")
    lines = phone.locator(".why-not li").all_inner_texts()
    assert lines == ["科室 编研科 已满，其排序中你位于第 2，录取到第 1", "科室 办公室 已满，其排序中你位于第 2，录取到第 1"]
    shot(phone, "why-not")

    # the committee frees a seat (standby) and assigns 钱二 there from the queue
    actions.put_on_standby(acting_user=unit["clerk"], entry=ent["周五"], reason="年度考核不称职",
                           review_on=timezone.localdate() + dt.timedelta(days=90))
    clerk.goto(clerk.base + f"/matching/{open_round.pk}/")
    item = clerk.locator(f".queue-item[data-entry='{ent['钱二'].pk}']")
    item.locator("select[name=section]").select_option(str(sec["办公室"].pk))
    item.locator("input[name=reason]").first.fill("党委研究：到办公室工作")
    item.locator("text=记录党委分配").click()
    clerk.wait_for_selector("text=党委分配已记录")
    shot(clerk, "committee")
    ent["钱二"].refresh_from_db()
    assert (ent["钱二"].outcome, ent["钱二"].section_id) == (Outcome.ASSIGNED, sec["办公室"].pk)
