"""The demo year seen by the org department: the dashboard figures, the joint-review overview,
a source-tracing inspection with its coverage and an inspector's accountability record."""

import pytest

from gongxin.inspection.models import Inspection, ReportFinding
from tests.browser.conftest import login
from tests.inspection.test_demo import demo_ctx  # noqa: F401  (fixture)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_org_department_reads_the_demo_year(demo_ctx, new_page, shot):  # noqa: F811
    page = new_page()
    login(page, "org_admin")
    page.goto(page.base + f"/inspection/dashboard/?year={demo_ctx.year}")
    assert page.inner_text("[data-figure=tracked_cadres] big") == "57"
    assert page.inner_text("[data-figure=tracked_promoted] big") == "16"
    assert page.inner_text("[data-figure=failed_joint_review] big") == "2"
    shot(page, "1-dashboard")

    page.goto(page.base + "/inspection/review/")
    assert "审计局" in page.inner_text("main")
    shot(page, "2-review-overview")

    tracing = Inspection.objects.get(kind="source_tracing")
    page.goto(page.base + f"/inspection/{tracing.pk}/")
    assert page.inner_text(".coverage") == "已走访 1 / 2 处（覆盖 50%）"
    shot(page, "3-source-tracing")

    finding = ReportFinding.objects.select_related("team").first()
    member = finding.team.members.first().user
    page.goto(page.base + f"/inspection/inspectors/{member.pk}/")
    assert "隐瞒问题" in page.inner_text(".finding")
    shot(page, "4-inspector-record")

    member.set_password("pass-1234-word")  # demo accounts have no usable password here
    member.save(update_fields=["password"])
    phone = new_page(viewport=(390, 844))
    login(phone, member.username)
    phone.goto(phone.base + "/inspection/")
    own = Inspection.objects.filter(team__members__user=member).distinct().count()
    assert phone.locator("a[data-inspection]").count() == own > 0
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(phone, "5-phone-inspector-list")
