"""Staff browse the ledger; a visitor checks a published record's inclusion on the public page."""

import pytest
from django.db import transaction

from gongxin.ledger.checkpoints import sign_checkpoint
from gongxin.ledger.recording import record_event
from tests.browser.conftest import login


@pytest.mark.django_db(transaction=True)
def test_staff_browse_and_visitor_checks_inclusion(cast, new_page, shot):
    admin = cast["users"]["org_admin"]
    with transaction.atomic():
        private = record_event(kind="inspection.interview.recorded", subject=("inspection.interview", 3), actor=admin,
                     payload={"summary": "谈话内容不公开"})
    with transaction.atomic():
        published = record_event(kind="publicity.notice.published", subject=("publicity.notice", 1), actor=admin,
                                 payload={"title": "惠民县拟任职干部任前公示", "names": ["张三", "李四"]}, public=True)
    sign_checkpoint(reason="notice published")

    # staff: the ledger browser, filtered, then one event with its proof
    page = new_page()
    login(page, "org_admin")
    page.goto(page.base + "/ledger/")
    assert page.locator("#event-table tbody tr").count() >= 2
    page.select_option("select[name=kind]", "publicity")  # a group of kinds, chosen by its name in words
    with page.expect_navigation():  # wait for the results to load, not only for the request to start
        page.click("form.filters button[type=submit]")
    rows = page.locator("#event-table tbody tr")
    assert rows.count() == 1
    shot(page, "staff-browser")
    rows.first.locator("a").first.click()
    page.wait_for_selector("#proof")
    assert "已验证" in page.inner_text("#proof")
    assert "惠民县拟任职干部任前公示" in page.inner_text("#event-data")
    shot(page, "staff-event")

    # a visitor, no login, on a phone
    visitor = new_page(viewport=(390, 844))
    visitor.goto(visitor.base + "/public/ledger/")
    assert "gongxin-ledger+" in visitor.inner_text("#verifier-key")
    visitor.fill("input[name=q]", str(published.seq))
    visitor.click("#inclusion button[type=submit]")
    visitor.wait_for_selector("#proof")
    assert "已验证" in visitor.inner_text("#proof")
    assert "张三" in visitor.inner_text("#event-data")
    shot(visitor, "public-inclusion")
    # a private event: verified by hash, content withheld
    visitor.fill("input[name=q]", str(private.seq))
    visitor.click("#inclusion button[type=submit]")
    visitor.wait_for_selector("#private-note")
    assert "已验证" in visitor.inner_text("#proof")
    assert "谈话内容不公开" not in visitor.content() and "inspection.interview" not in visitor.content()
    shot(visitor, "public-private")
