"""A township clerk finds a cadre by pinyin initials, fixes an ID number after a Chinese error,
and is refused another township's cadre by URL."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_township_clerk_journey(cast, new_page, shot):
    zhang, li = cast["cadres"]["zhang"], cast["cadres"]["li"]
    page = new_page()
    login(page, "clerk")
    shot(page, "1-home")

    page.goto(page.base + "/people/cadres/")
    page.fill("input[name=q]", "zs")
    with page.expect_navigation():  # wait for the results to load, not only for the request to start
        page.click("form.filters button[type=submit]")
    rows = page.locator("#cadre-table tbody tr")
    assert rows.count() == 1
    assert "张三" in rows.first.inner_text()
    assert "李四" not in page.content()
    shot(page, "2-search-zs")

    page.click("#cadre-table tbody a:has-text('张三')")
    assert page.locator("h1.form-title").inner_text().replace(" ", "") == "干部任免审批表"
    shot(page, "3-detail")

    page.click("a:has-text('修改')")
    good = zhang.id_number
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    page.fill("input[name=id_number]", bad)
    page.fill("input[name=native_place]", "山东惠民")
    page.click("#cadre-form button[type=submit]")
    error = page.locator(".field.has-error .error").first.inner_text()
    assert "校验位不对" in error
    assert page.input_value("input[name=native_place]") == "山东惠民"  # nothing typed was lost
    shot(page, "4-id-error")

    page.fill("input[name=id_number]", good.lower())
    page.click("#cadre-form button[type=submit]")
    assert "已保存" in page.locator(".messages").inner_text()
    assert "山东惠民" in page.locator("table.appointment-form").inner_text()
    shot(page, "5-saved")

    response = page.goto(page.base + f"/people/cadres/{li.pk}/")
    assert response.status == 404
    assert "不在您的数据范围内" in page.content()
    shot(page, "6-other-township-404")
