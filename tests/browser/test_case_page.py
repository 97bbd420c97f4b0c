"""A visitor goes from a pre-appointment notice to its case's public timeline and from a line of
it to the ledger's inclusion proof (issue 21)."""

import pytest

from tests.cases.conftest import admin, case, eligible, members, own_guards_only  # noqa: F401
from tests.meetings.conftest import electors  # noqa: F401
from tests.publicity.test_case_page import appointed_case  # noqa: F401


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notice_to_case_timeline_to_inclusion_proof(new_page, shot, appointed_case):  # noqa: F811
    the_case, notice, _passed = appointed_case
    page = new_page(viewport=(1100, 900))
    page.set_default_timeout(60_000)  # a loaded machine serves the first page slowly
    page.goto(f"{page.base}/public/notices/{notice.pk}/")
    page.click("#case-timeline-link")
    page.wait_for_selector("#case-timeline")
    steps = page.locator("#case-timeline li").evaluate_all("els => els.map(e => e.dataset.step)")
    assert steps == ["动议", "提名渠道", "民主推荐", "讨论决定", "任前公示", "反映意见", "任职"]
    shot(page, "case-timeline")
    page.locator("#case-timeline li[data-step='讨论决定'] a", has_text="包含证明").click()
    page.wait_for_load_state()
    assert "/public/ledger/" in page.url
    shot(page, "case-timeline-decision-proof")
