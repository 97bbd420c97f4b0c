"""A county clerk imports the units' results from an Excel workbook (the preview lists the bad
row, which is skipped), computes the year's scores, runs the public's evaluation of the units and
their leaders (a survey with one-time codes: three phones vote, the box is opened with two
tellers' shares, the results are taken into the scores), reads a leader's breakdown and the unit's
sensitivity, and proposes grades from the scores; the committee's decision over the 优秀 cap is
refused with the count before a decision under it is saved."""

import datetime as dt
import hashlib
import io
import json

import pytest
from openpyxl import Workbook

from gongxin.assessment import actions
from gongxin.assessment.models import AssessmentYear, GradeDecision, UnitScore
from gongxin.ledger.models import Event
from gongxin.meetings import actions as meeting_actions
from gongxin.people import actions as people_actions
from gongxin.people.models import AnnualGrade, PostKind
from tests.assessment.test_actions import TOWNSHIP
from tests.browser.conftest import login


def _workbook(path) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in (["单位名称", "地区生产总值增速", "居民收入增速", "单位产值能耗"], ["李庄镇", 8, 5, 0.75],
                ["何坊街道", 6, "6%", 0.6], ["王庄镇", 1, 2, 3]):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_import_survey_breakdown_and_grades_under_the_cap(cast, county, make_cadre, ranks, new_page, shot, tmp_path):
    from gongxin.accounts.roles import DataScope, Role
    from tests.conftest import _user

    admin = cast["users"]["org_admin"]
    _user("county_clerk", Role.CLERK, DataScope.ALL, [county["root"]], full_name="赵经办")
    actions.create_indicator_system(acting_user=admin, category="township", name="乡镇综合考核", indicators=TOWNSHIP)
    actions.open_year(acting_user=admin, year=2025)
    unit = county["lizhuang"]
    for i in range(4):
        cadre = make_cadre(unit, name=f"班子成员{i}")
        post = people_actions.create_post(acting_user=None, org_unit=unit, title=f"副镇长{i}", rank=ranks["fuke"],
                                          kind=PostKind.LEADERSHIP)
        people_actions.appoint_to_post(acting_user=None, cadre=cadre, post=post, start=dt.date(2024, 1, 1))

    page = new_page()
    login(page, "county_clerk")
    page.goto(page.base + "/assessment/years/2025/")
    upload = tmp_path / "2025年度乡镇考核数据.xlsx"
    data = _workbook(upload)
    page.set_input_files("input[name=file]", str(upload))
    page.click("form:has(input[name=file]) button[type=submit]")
    preview = page.inner_text("main")
    assert "可导入 2 行，有问题 1 行" in preview and "单位“王庄镇”不存在或不在您的数据范围内" in preview
    assert page.inner_text("#file-sha256").strip() == hashlib.sha256(data).hexdigest()
    shot(page, "0-import-preview")
    page.check("input[name=skip_bad]")
    page.click("form:has(input[name=skip_bad]) button[type=submit]")
    assert "已导入 2 个单位的考核数据" in page.inner_text("main")
    imported = json.loads(bytes(Event.objects.get(kind="assessment.unit_results.imported").data))["payload"]
    assert imported["sha256"] == hashlib.sha256(data).hexdigest()
    page.click("button:has-text('计算得分')")  # the flash message says 请重新计算得分 too
    table = page.inner_text("table.data")
    assert "李庄镇" in table and "何坊街道" in table
    shot(page, "1-year-scores")

    # the public's evaluation: a survey round on the meetings machinery
    page.click("text=建立群众评议")
    assert "已建立群众评议" in page.inner_text("main")
    page.click("#public-evaluation a")
    public = [make_cadre(cast["lizhuang_office"], name=f"代表{i}", birth=dt.date(1975 + i, 3, 4)) for i in range(3)]
    meeting = AssessmentYear.objects.get(year=2025).public_meeting
    meeting_actions.add_electors(acting_user=admin, meeting=meeting, cadres=public)
    page.goto(f"{page.base}/meetings/{meeting.pk}/check-in/")
    for box in page.locator("input[name=elector]").all():
        box.check()
    page.click("#check-in")
    page.goto(f"{page.base}/meetings/{meeting.pk}/")
    page.click("#open-meeting")
    shares = [x.strip() for x in page.locator(".key-share .share").all_inner_texts()]
    page.click("#to-meeting")
    page.fill("input[name=count]", "3")
    page.click("#generate-codes")
    slips = [x.strip() for x in page.locator(".slip .code").all_inner_texts()]
    marks = [{"李庄镇": "好", "何坊街道": "较好"}, {"李庄镇": "好", "何坊街道": "差"}, {"李庄镇": "不了解", "何坊街道": "好"}]
    for ballot in marks:  # the leaders: 班子成员0 好 on every ballot, the others 一般
        ballot.update({f"李庄镇　班子成员{i}": "好" if i == 0 else "一般" for i in range(4)})
    for code, ballot in zip(slips, marks, strict=True):
        phone = new_page(viewport=(390, 844))
        phone.goto(phone.base + "/public/meetings/vote/")
        phone.fill("#code", code)
        phone.click("button[type=submit]")
        for unit_name, label in ballot.items():
            phone.locator(f"fieldset:has(h2:text-is('{unit_name}')) label:has-text('{label}') input").first.check()
        if code == slips[0]:
            shot(phone, "1a-phone-survey")
        phone.click("#review")
        phone.click("#cast")
        assert phone.inner_text("#receipt").strip()
    page.goto(f"{page.base}/meetings/{meeting.pk}/")
    page.fill("input[name=slips_issued]", "3")
    page.fill("input[name=share_1]", shares[0])
    page.fill("input[name=share_2]", shares[1])
    page.click("#close-meeting")
    page.goto(page.base + "/assessment/years/2025/")
    survey_table = page.inner_text("#public-evaluation table")
    assert "李庄镇" in survey_table
    page.click("text=计入评议结果并重新计分")
    assert "群众评议结果已计入" in page.inner_text("main")
    # 李庄镇: 好 好 (不了解 left out) = 1; 何坊街道: 较好 差 好 = (0.8 + 0.2 + 1) / 3
    assert UnitScore.objects.get(org_unit=unit).public_score == pytest.approx(1.0)
    assert UnitScore.objects.get(org_unit=county["hefang"]).public_score == pytest.approx(2 / 3)
    shot(page, "1b-public-evaluation-applied")

    page.click(f"text={unit.name}")
    main = page.inner_text("main")
    assert "得分构成" in main and "0.3200" in main and "0.6200" in main
    assert "敏感性分析" in main and "同类单位的排名稳定性" in main
    with page.expect_navigation():  # wait for the proposal to load, not only for the request to start
        page.click("text=按得分生成建议等次")
    rows = page.locator("select[name^=grade_]")
    assert rows.count() == 4
    assert "优秀等次不超过 1 人" in page.inner_text("main")
    # One leader's score, decomposed: the unit's 0.62 × 0.7 + their own public evaluation (1) × 0.3.
    best = page.locator("tr:has-text('班子成员0') td.person-breakdown").inner_text()
    assert "0.6200 × 0.700" in best and "1.0000 × 0.300" in best
    assert GradeDecision.objects.get(cadre__name="班子成员0").score == pytest.approx(0.734)
    assert GradeDecision.objects.get(cadre__name="班子成员1").score == pytest.approx(0.62 * 0.7 + 0.6 * 0.3)
    assert page.locator("tr:has-text('班子成员0') select").input_value() == "excellent"
    shot(page, "1c-proposed")

    # The committee decides (the org department's admin, on the same page).
    page = new_page()
    login(page, "org_admin")
    page.goto(f"{page.base}/assessment/years/2025/units/{unit.pk}/")
    page.locator("tr:has-text('班子成员1') select").select_option("excellent")
    page.click("text=党委（党组）确定等次")
    assert "优秀 2 人，超出上限 1 人" in page.inner_text("main")
    assert page.locator("tr:has-text('班子成员1') select").input_value() == "excellent"  # the choices stay
    assert page.locator("input[name=gdp]").input_value() == "8.0"
    shot(page, "2-over-the-cap")
    page.locator("tr:has-text('班子成员1') select").select_option("competent")
    page.click("text=党委（党组）确定等次")
    assert "等次已确定" in page.inner_text("main")
    assert list(AnnualGrade.objects.filter(year=2025, grade="excellent").values_list("cadre__name", flat=True)) == [
        "班子成员0"]
    shot(page, "3-decided")
