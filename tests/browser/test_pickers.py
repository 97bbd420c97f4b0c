"""Issue 19, pickers: a clerk finds a cadre by typing three pinyin initials, chooses them, and
the form is sent with that cadre; without JavaScript the search is a page of its own."""

import pytest

from tests.browser.conftest import login


@pytest.mark.django_db(transaction=True)
def test_a_clerk_finds_a_cadre_by_three_pinyin_initials(cast, county, make_cadre, new_page, shot):
    target = make_cadre(county["lizhuang"], name="王小燕", sex="F")
    make_cadre(county["lizhuang"], name="王晓东")  # wxd: the same first two initials, not a match for wxy
    page = new_page()
    page.set_default_timeout(40_000)  # a loaded machine
    login(page, "clerk")
    page.goto(page.base + "/inspection/problems/")
    box = page.locator(".picker input[type=search]").first
    box.click()
    box.type("wxy", delay=80)
    result = page.locator(f".picker-results a[data-pick='{target.pk}']")
    result.wait_for()
    assert page.locator(".picker-results a.pick").count() == 1
    assert "李庄镇" in result.inner_text() and target.masked_id_number in result.inner_text()
    shot(page, "1-typed-wxy")
    result.click()
    assert page.locator(".picker input.picker-value").first.input_value() == str(target.pk)
    assert box.input_value() == "王小燕"
    shot(page, "2-chosen")

    phone = new_page(viewport=(390, 844))
    phone.set_default_timeout(40_000)
    login(phone, "clerk")
    phone.goto(phone.base + "/people/pick/cadres/?q=wxy")
    assert "王小燕" in phone.inner_text("main") and "王晓东" not in phone.inner_text("main")
    shot(phone, "3-search-then-choose-page")
