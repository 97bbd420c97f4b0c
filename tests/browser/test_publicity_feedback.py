"""A visitor reads a pre-appointment notice without logging in, sends feedback and gets a
code; a clerk handles it; the visitor reads the reply by code; only then can the clerk
appoint."""

import datetime as dt
import re

import pytest

from gongxin.publicity import actions
from gongxin.publicity.models import Appointment, NoticeKind
from tests.browser.conftest import login
from tests.publicity.helpers import publish_as_of


@pytest.fixture
def published(cast, posts):
    clerk = cast["users"]["clerk"]
    notice = actions.create_notice(acting_user=clerk, kind=NoticeKind.PRE_APPOINTMENT, title="李庄镇党委书记任前公示",
                                   org_unit=cast["lizhuang"], body="经研究，拟任用以下同志。现予公示。",
                                   contact="县委组织部干部监督室 0543-5321234")
    actions.add_notice_entry(acting_user=clerk, notice=notice, cadre=cast["cadres"]["zhang"],
                             post=posts["lizhuang_secretary"])
    actions.add_notice_entry(acting_user=clerk, notice=notice, cadre=cast["cadres"]["wang"],
                             post=posts["lizhuang_head"])
    # the period (9–13 November 2026) is over: only the feedback can block
    return publish_as_of(dt.date(2026, 11, 9), acting_user=clerk, notice=notice)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_visitor_feedback_clerk_reply_then_appointment(new_page, shot, published, cast):
    # given a visitor on a phone, not logged in
    visitor = new_page(viewport=(390, 844))
    visitor.goto(visitor.base + "/public/")
    shot(visitor, "1-portal")
    visitor.click("a.card >> text=公告公示")
    # the period is over, so the notice is listed with the past ones, marked as ended
    visitor.wait_for_selector("text=（公示期已满）")
    shot(visitor, "1b-notice-list")
    visitor.click(f"text={published.title}")
    visitor.wait_for_selector("text=公示对象（按姓氏笔画排序）")
    names = visitor.locator("section.entry h3").all_inner_texts()
    assert names == ["王五", "张三"]  # 王 4 strokes before 张 7
    assert published.leaf_hash in visitor.content()
    shot(visitor, "2-notice")
    # the notice's ledger leaf can be checked on the ledger's public page
    if visitor.locator("text=查看包含证明").count():
        visitor.click("text=查看包含证明")
        assert published.leaf_hash in visitor.content()
        shot(visitor, "2b-inclusion")
        visitor.go_back()

    # when the visitor writes about 张三, anonymously, with markup in the text
    visitor.click("text=对张三同志反映意见")
    visitor.select_option("select[name=category]", "integrity")
    visitor.fill("textarea[name=text]", "反映张三同志亲属承包镇绿化工程的问题<script>alert(1)</script>")
    shot(visitor, "3-form")
    visitor.click("button[type=submit]:has-text('提交')")
    code = visitor.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"([A-Z2-7]{4}-){3}[A-Z2-7]{4}", code)
    shot(visitor, "4-code")

    # the clerk cannot appoint while the item is open
    clerk = new_page()
    login(clerk, "clerk")
    clerk.goto(clerk.base + f"/publicity/notices/{published.pk}/")
    assert "公示反馈尚有 1 件未办结" in clerk.inner_text("#blockers")
    assert clerk.locator("tr", has_text="张三").locator("text=登记任职").count() == 0
    assert clerk.locator("tr", has_text="张三").locator("text=暂不能任职").count() == 1
    assert clerk.locator("tr", has_text="王五").locator("text=登记任职").count() == 1  # no feedback about 王五
    shot(clerk, "5-clerk-blocked")

    # the clerk handles it from the queue
    clerk.goto(clerk.base + "/publicity/feedback/")
    clerk.click(f"text={code.replace('-', '')}")
    assert "<script>alert(1)</script>" in clerk.inner_text("#feedback-text")  # shown as text, not run
    clerk.fill("textarea[name=reply]", "经核查，张三同志亲属未承包相关工程，反映问题不属实。感谢您的监督。")
    clerk.fill("textarea[name=finding]", "查阅合同、走访镇财政所。")
    clerk.check("input[name=resolve]")
    clerk.click("button[type=submit]:has-text('保存')")
    clerk.wait_for_selector("text=已办结")
    shot(clerk, "6-clerk-resolved")

    # the visitor reads the reply by code
    visitor.goto(visitor.base + "/public/feedback/track/")
    visitor.fill("input[name=code]", code.lower())
    visitor.click("button[type=submit]:has-text('查询')")
    assert "不属实" in visitor.inner_text("#reply")
    assert "已办结" in visitor.inner_text("#feedback-status")
    assert "查阅合同" not in visitor.content()  # the internal finding stays internal
    shot(visitor, "7-reply")

    # only now can the clerk appoint
    clerk.goto(clerk.base + f"/publicity/notices/{published.pk}/")
    clerk.wait_for_selector("#ready")
    clerk.locator("tr", has_text="张三").locator("text=登记任职").click()
    clerk.fill("input[name=document_number]", "惠组任〔2026〕30号")
    clerk.fill("input[name=start]", "2026-11-20")
    clerk.click("button[type=submit]:has-text('保存')")
    clerk.wait_for_selector("#probation-status")
    assert "试用期中" in clerk.inner_text("#probation-status")
    shot(clerk, "8-appointed")
    appointment = Appointment.objects.get()
    assert appointment.cadre.name == "张三" and appointment.probation_end == dt.date(2027, 11, 19)
