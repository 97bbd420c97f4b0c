"""A township clerk takes a case from motion to closed in the browser: sees the blocker when
trying to move on too early, the inspection and publicity apps' blockers (satisfied by test
data standing in for their own users), the decision meeting, and prints the dossier."""

import datetime as dt
from pathlib import Path

import pytest
from django.db import transaction

from gongxin.cases import demo
from gongxin.cases.models import Case
from gongxin.people import actions as people_actions
from tests.browser.conftest import login


def _eligible(make_cadre, unit, name, birth):
    cadre = make_cadre(unit, name=name, birth=birth, rank_since=dt.date(2020, 1, 1), party_joined=dt.date(2008, 7, 1))
    people_actions.add_resume_entry(acting_user=None, cadre=cadre, start=dt.date(2010, 1, 1), end=dt.date(2016, 1, 1),
                                    description="李庄镇党政办科员", is_grassroots=True)
    return cadre


def _advance(page, label):
    """Press the next-stage button (its label is ``label``)."""
    assert label in page.inner_text("#advance")
    page.click("#advance")
    page.wait_for_load_state("networkidle")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_clerk_takes_a_case_through_every_stage(cast, posts, make_cadre, new_page, shot):
    admin = cast["users"]["org_admin"]
    a = _eligible(make_cadre, cast["lizhuang"], "陈建国", dt.date(1984, 3, 3))
    b = _eligible(make_cadre, cast["lizhuang_office"], "林晓梅", dt.date(1986, 5, 9))
    members = [make_cadre(cast["org_dept"], name=n, rank="fuchu", birth=dt.date(1970, 1, 1 + i))
               for i, n in enumerate(["赵立新", "钱文华", "孙志刚", "周海燕", "吴国强", "郑明", "冯涛", "陈静", "褚卫东"])]

    page = new_page()
    login(page, "clerk")

    # Motion
    page.goto(page.base + "/cases/new/")
    page.fill("input[name=title]", "李庄镇党委书记选任")
    page.check(f"input[name=org_unit][value='{cast['lizhuang'].pk}']")  # the unit tree, its top branch open
    post = posts["lizhuang_secretary"]  # the post picker: typed pinyin initials, narrowed to the chosen unit
    page.locator("input[name=posts_q]").type("dwsj", delay=60)
    page.locator(f".picker-results a[data-pick='{post.pk}']").click()
    assert page.locator(f"input[name=posts][value='{post.pk}']").is_checked()
    page.check("input[name=channels][value=open_nomination]")
    page.fill("textarea[name=motion_reason]", "原党委书记调任县直部门，职位空缺。")
    page.fill("input[name=motion_date]", "2026-02-01")
    page.click("form.panel button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "规则版本 v1 已冻结" in page.inner_text(".messages")
    case = Case.objects.get(title="李庄镇党委书记选任")
    shot(page, "1-motion")
    _advance(page, "开始提名")

    # Nomination: trying to move on without a candidate shows the blocker next to the button
    assert "还没有提名人选" in page.inner_text("#next-step .blockers")
    _advance(page, "确定考察对象")
    assert "李庄镇党委书记 还没有提名人选" in page.inner_text(".messages")
    shot(page, "2-blocked-without-candidates")
    for cadre in (a, b):
        page.goto(page.base + f"/cases/{case.pk}/candidates/new/")
        page.fill("input[name=cadre_q]", cadre.id_number)  # the picker: a typed ID number names one cadre
        page.select_option("select[name=channel]", "open_nomination")
        page.fill("input[name=recommended_on]", "2026-01-20")
        page.click("form.panel button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "符合" in page.inner_text("table.eligibility")
    shot(page, "3-candidate-eligibility")
    page.goto(page.base + f"/cases/{case.pk}/")

    # a scanned document for the dossier: uploaded, listed, and downloaded exactly as it was
    scan = b"%PDF-1.4\n% the motion, scanned\n%%EOF\n"
    page.fill("input[name=title]", "动议材料")
    page.set_input_files("input[type=file][name=file]",
                         files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": scan}])
    page.click("form.toolbar button:has-text('上传')")
    page.wait_for_selector("text=附件已上传并记入账本。")
    with page.expect_download() as download:
        page.click("a:has-text('动议材料')")
    assert download.value.suggested_filename == "动议材料.pdf"
    assert Path(download.value.path()).read_bytes() == scan
    shot(page, "3b-attachment")
    _advance(page, "确定考察对象")
    _advance(page, "开始考察和联审")
    assert Case.objects.get(pk=case.pk).stage == "inspection"

    # Inspection: the inspection app's blockers are shown; its work is then done by test data
    blockers = page.inner_text("#next-step .blockers")
    assert "凡提四必" in blockers
    shot(page, "4-inspection-blockers")
    with transaction.atomic():
        for cand in case.candidates.all():
            demo.clear_inspection(cand, acting_user=admin)
    page.reload()
    _advance(page, "提交讨论决定")
    assert Case.objects.get(pk=case.pk).stage == "decision"

    # Decision meeting: 9 members, 7 present, open stances
    page.click("a.button:has-text(\"召开讨论决定会议\")")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=title]", "县委常委会 2026 年第 5 次会议")
    page.fill("textarea[name=other_members]", "\n".join(m.name for m in members))
    page.click("form.panel button[type=submit]")
    page.wait_for_load_state("networkidle")
    shot(page, "5a-meeting-created")
    boxes = page.locator("#attendance input[type=checkbox]")
    for i in range(7):
        boxes.nth(i).check()
    page.fill(f"input[name=absence_{boxes.nth(7).get_attribute('value')}]", "外出学习")
    page.fill(f"input[name=absence_{boxes.nth(8).get_attribute('value')}]", "病假")
    page.click("#attendance button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "应到 9 人，实到 7 人" in page.inner_text("main")
    panels = page.locator("form:has(input[name=candidate])")
    for p in range(panels.count()):
        form = page.locator("form:has(input[name=candidate])").nth(p)
        selects = form.locator("select")
        for i in range(selects.count()):
            selects.nth(i).select_option("agree" if p == 0 or i < 3 else "disagree")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
    shot(page, "5-decision-meeting")
    page.click("#close-meeting")
    page.wait_for_load_state("networkidle")
    assert "通过" in page.inner_text("main")
    page.goto(page.base + f"/cases/{case.pk}/")
    _advance(page, "进入任前公示")
    assert Case.objects.get(pk=case.pk).stage == "publicity"

    # Publicity: the publicity app's guard blocks appointment until its period is over
    assert page.locator("#next-step .blockers").count() == 1
    shot(page, "6-publicity-blockers")
    with transaction.atomic():
        demo.publish_publicity(case, acting_user=admin, start=dt.date.today() - dt.timedelta(days=20))
    page.reload()
    _advance(page, "办理任职")
    assert Case.objects.get(pk=case.pk).stage == "appointment"
    page.click("text=办理任职 >> nth=-1")
    page.wait_for_load_state("networkidle")
    _advance(page, "办结")
    case.refresh_from_db()
    assert case.stage == "closed" and case.status == "completed"
    assert "案件已办结" in page.inner_text("#next-step")
    shot(page, "7-closed")

    # The dossier, on screen and as print and PDF
    page.click("text=全程纪实")
    page.wait_for_load_state("networkidle")
    text = page.inner_text("article.dossier")
    for expected in ("干部选拔任用全程纪实", "陈建国", "形成决定", "应到 9 人，实到 7 人", "办结"):
        assert expected in text
    shot(page, "8-dossier")
    page.emulate_media(media="print")
    shot(page, "9-dossier-print")
    pdf = page.request.get(page.base + f"/cases/{case.pk}/dossier.pdf")
    assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"

    phone = new_page(viewport=(390, 844))
    login(phone, "clerk")
    phone.goto(phone.base + f"/cases/{case.pk}/")
    shot(phone, "10-phone-case")
