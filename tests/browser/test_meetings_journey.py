"""The clerk opens a meeting and prints codes; three voters vote on phones; a reused code is
refused with a clear message; the clerk closes and publishes; a visitor checks a receipt."""

import datetime as dt
import re

import pytest

from gongxin.meetings import actions
from gongxin.meetings.models import MeetingMode
from tests.browser.conftest import login

PHONE = (390, 844)


@pytest.mark.django_db(transaction=True)
def test_meeting_from_codes_to_published_receipt(cast, make_cadre, new_page, shot):
    clerk = cast["users"]["clerk"]
    town = cast["lizhuang"]
    for i, name in enumerate(["赵一", "钱二", "孙三", "周四"]):
        make_cadre(town, name=name, birth=dt.date(1980 + i, 1, 10))
    electors = [make_cadre(cast["lizhuang_office"], name=f"委员{i}", birth=dt.date(1970 + i, 2, 3)) for i in range(4)]
    meeting = actions.create_meeting(acting_user=clerk, title="李庄镇党政正职海选推荐会", org_unit=town,
                                     mode=MeetingMode.OPEN)
    actions.add_post(acting_user=clerk, meeting=meeting, title="李庄镇党委书记", k=1)
    actions.add_post(acting_user=clerk, meeting=meeting, title="李庄镇镇长", k=2)
    actions.add_electors(acting_user=clerk, meeting=meeting, cadres=electors)

    # the clerk checks everyone in, opens the meeting and prints four slips
    page = new_page()
    login(page, "clerk")
    page.goto(f"{page.base}/meetings/{meeting.pk}/check-in/")
    for box in page.locator("input[name=elector]").all():
        box.check()
    page.click("#check-in")
    page.goto(f"{page.base}/meetings/{meeting.pk}/")
    page.click("#open-meeting")
    # the printable sheet: the seed and three key shares with their QR codes, shown once
    seed = page.inner_text("#seed-value").strip()
    assert len(seed) == 32
    shares = [s.strip() for s in page.locator(".key-share .share").all_inner_texts()]
    assert len(shares) == 3 and page.locator(".key-share svg").count() == 3
    shot(page, "key-share-sheet")
    page.click("#to-meeting")
    assert "投票中" in page.inner_text("#meeting-status")
    shot(page, "clerk-opened")
    page.fill("input[name=count]", "4")
    page.click("#generate-codes")
    slips = [s.strip() for s in page.locator(".slip .code").all_inner_texts()]
    assert len(slips) == 4 and all(re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", s) for s in slips)
    shot(page, "slips")

    # three voters, each on a phone
    receipts = []
    choices = [("zy", ["qe", "ss"]), ("zy", ["qe"]), ("qe", ["zs"])]
    for code, (secretary, heads) in zip(slips[:3], choices, strict=True):
        phone = new_page(viewport=PHONE)
        phone.goto(phone.base + "/public/meetings/vote/")
        phone.fill("#code", code.lower())
        phone.click("button[type=submit]")
        phone.fill("input[name=q-1]", secretary)
        phone.click("button[value=search-1]")
        phone.locator("#post-1 input[name=pick-1]").first.check()
        for initials in heads:
            phone.fill("input[name=q-2]", initials)
            phone.click("button[value=search-2]")
            phone.locator("#post-2 input[name=pick-2]:not(:checked)").first.check()
        if not receipts:
            shot(phone, "phone-ballot")
        phone.click("#review")
        assert "请核对您的选票" in phone.inner_text("h1")
        if not receipts:
            shot(phone, "phone-confirm")
        phone.click("#cast")
        receipt = phone.inner_text("#receipt").strip()
        assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", receipt)
        receipts.append(receipt)
        if len(receipts) == 1:
            shot(phone, "phone-receipt")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE[0]

    # the first code again: refused, in plain Chinese
    phone = new_page(viewport=PHONE)
    phone.goto(phone.base + "/public/meetings/vote/")
    phone.fill("#code", slips[0])
    phone.click("button[type=submit]")
    assert "此投票码已经投过票，每个投票码只能使用一次" in phone.inner_text("#vote-error")
    shot(phone, "phone-reused-code")

    # the clerk closes (4 present, 4 slips issued, 3 returned, 1 unreturned), reveals, publishes
    page.goto(f"{page.base}/meetings/{meeting.pk}/")
    page.fill("input[name=slips_issued]", "4")
    page.fill("input[name=share_1]", shares[0])
    page.click("#close-meeting")
    assert "投票箱仍保持密封" in page.inner_text("main")  # one share is not enough
    page.fill("input[name=slips_issued]", "4")
    page.fill("input[name=share_1]", shares[2])
    page.fill("input[name=share_2]", shares[0])
    shot(page, "clerk-opening-the-box")
    page.click("#close-meeting")
    assert "实到 4 = 发出 4 = 收回 3 + 作废 0 + 未收回 1" in page.inner_text("#result")
    page.fill("#id_seed", seed)
    page.click("#reveal-seed")
    page.click("#publish")
    assert "已公布" in page.inner_text("#meeting-status")
    shot(page, "clerk-published")

    # a visitor reads the notice and checks a receipt
    visitor = new_page(viewport=PHONE)
    visitor.goto(f"{visitor.base}/public/meetings/{meeting.pk}/")
    notice = visitor.inner_text("main")
    assert "赵一" in notice and "钱二" in notice and "推荐有效" in notice
    shot(visitor, "public-notice")
    visitor.goto(visitor.base + "/public/meetings/receipt/")
    visitor.fill("#code", receipts[1])
    visitor.click("button[type=submit]")
    assert "已记录" in visitor.inner_text("#receipt-found")
    shot(visitor, "public-receipt")
