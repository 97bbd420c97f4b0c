"""Staff screens: a period that runs into an unknown year warns until the admin enters the
year's holidays; probations ending soon are listed and decided."""

import datetime as dt

import pytest

from gongxin.publicity import actions
from gongxin.publicity.models import Appointment, NoticeKind
from tests.browser.conftest import login
from tests.publicity.helpers import publish_as_of


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_working_day_table_and_probation_decision(new_page, shot, cast, posts):
    admin = cast["users"]["org_admin"]
    page = new_page()
    login(page, "org_admin")

    # a period from 28 December 2026 runs into 2027, which the calendar does not know
    page.goto(page.base + "/publicity/workdays/?start=2026-12-28&working_days=5")
    assert "2027 年的法定节假日安排尚未收录" in page.inner_text("#period")
    assert "2027-01-01" in page.inner_text("#period")
    shot(page, "1-unknown-year")
    page.fill("input[name=date]", "2027-01-01")
    page.fill("input[name=note]", "2027 年元旦放假")
    page.click("button[type=submit]:has-text('保存')")
    page.goto(page.base + "/publicity/workdays/?start=2026-12-28&working_days=5")
    assert "尚未收录" not in page.inner_text("#period")
    assert "2027-01-04" in page.inner_text("#period")
    shot(page, "2-year-entered")

    # an appointment made a year ago: its probation ends soon
    notice = actions.create_notice(acting_user=admin, kind=NoticeKind.PRE_APPOINTMENT, title="2025年任前公示",
                                   org_unit=cast["lizhuang"])
    actions.add_notice_entry(acting_user=admin, notice=notice, cadre=cast["cadres"]["li"], post=posts["hefang_secretary"])
    notice = publish_as_of(dt.date(2025, 12, 1), acting_user=admin, notice=notice)
    today = dt.date.today()
    actions.appoint(acting_user=admin, cadre=cast["cadres"]["li"], post=posts["hefang_secretary"],
                    start=today - dt.timedelta(days=350), notice=notice, today=today)
    page.goto(page.base + "/publicity/appointments/")
    assert "李四" in page.inner_text("#ending")
    shot(page, "3-ending-soon")
    page.locator("#ending").locator("text=李四").click()
    page.select_option("select[name=decision]", "confirm")
    page.fill("textarea[name=note]", "试用期满考核称职，正式任职。")
    page.click("button[type=submit]:has-text('记录决定')")
    page.wait_for_selector("text=试用期满决定已记录")
    assert "试用期满正式任职" in page.inner_text("#probation-status")
    shot(page, "4-confirmed")
    assert Appointment.objects.get().probation_status == "confirmed"
