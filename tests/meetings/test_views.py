"""Pages: the clerk's steps, the phone voting pages (no login, no JavaScript), the public
notice, files and receipt check."""

import json
import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from gongxin.ledger.models import Event
from gongxin.meetings import actions
from gongxin.meetings.models import Ballot, MeetingStatus, SealedBallot

from .conftest import KEY_SHARES, SEED


def test_clerk_pages_walk_a_meeting(cast, client_for, draft_meeting, electors, nominees):
    c = client_for(cast["users"]["clerk"])
    url = reverse("meetings:detail", args=[draft_meeting.pk])
    page = c.get(url)
    assert page.status_code == 200 and "冻结规则并开始投票" in page.content.decode()
    assert c.get(reverse("meetings:list")).status_code == 200
    # check everyone in
    ids = [str(e.pk) for e in draft_meeting.electors.all()]
    c.post(reverse("meetings:check_in", args=[draft_meeting.pk]), {"elector": ids})
    # open: the seed and the three key shares are shown once, on the printable sheet
    sheet = c.post(reverse("meetings:open", args=[draft_meeting.pk]), {"seed": SEED}).content.decode()
    shares = re.findall(r'id="share-\d">([0-9]-[A-Z0-9-]+)<', sheet)
    assert SEED in sheet and len(shares) == 3 and sheet.count("<svg") >= 3  # a QR code each
    assert SEED not in c.get(url).content.decode()
    assert not any(shares[0] in str(s.get_decoded()) for s in Session.objects.all())
    # codes: the slips are shown once, in the answer to generating them
    slips = c.post(reverse("meetings:codes", args=[draft_meeting.pk]), {"count": 6}).content.decode()
    found = re.findall(r'<div class="code">([A-Z0-9-]{19})</div>', slips)
    assert len(found) == 6
    assert "已经显示过了" in c.get(reverse("meetings:slips", args=[draft_meeting.pk])).content.decode()
    for code in found:
        actions.cast_ballot(code=code, selections=[[nominees[0].pk], [nominees[1].pk]])
    # close: one share is not enough, and the box stays sealed
    page = c.post(reverse("meetings:close", args=[draft_meeting.pk]),
                  {"slips_issued": 6, "paper_spoiled": 0, "share_1": shares[2]}, follow=True).content.decode()
    assert "至少 2 份密钥份额" in page and "投票箱仍保持密封" in page
    assert "计票人密钥份额 2" in page
    draft_meeting.refresh_from_db()
    assert draft_meeting.status == MeetingStatus.OPEN
    c.post(reverse("meetings:close", args=[draft_meeting.pk]),
           {"slips_issued": 6, "paper_spoiled": 0, "share_1": shares[2].lower(), "share_2": shares[0]})
    draft_meeting.refresh_from_db()
    assert draft_meeting.status == MeetingStatus.CLOSED
    c.post(reverse("meetings:reveal", args=[draft_meeting.pk]), {"seed": SEED})
    c.post(reverse("meetings:publish", args=[draft_meeting.pk]))
    draft_meeting.refresh_from_db()
    assert draft_meeting.status == MeetingStatus.PUBLISHED
    public = client_for(None)
    notice = public.get(reverse("meetings_public:notice", args=[draft_meeting.pk])).content.decode()
    assert nominees[0].name in notice and "推荐有效" in notice
    published = Event.objects.filter(kind="meetings.meeting.published", subject_id=str(draft_meeting.pk)).get()
    assert f"ledger:{published.seq} leaf:{bytes(published.leaf_hash).hex()}" in notice  # paper to proof (QR + line)
    data = public.get(reverse("meetings_public:ballots_file", args=[draft_meeting.pk]))
    assert json.loads(data.content)["format"] == "gongxin-ballots/1"
    receipts = public.get(reverse("meetings_public:receipts_file", args=[draft_meeting.pk])).content.decode().split()
    assert len(receipts) == 6


def test_close_refused_shows_the_blockers(cast, client_for, open_meeting):
    c = client_for(cast["users"]["clerk"])
    shares = KEY_SHARES[open_meeting.pk]
    resp = c.post(reverse("meetings:close", args=[open_meeting.pk]),
                  {"slips_issued": 9, "paper_spoiled": 0, "share_1": shares[0], "share_2": shares[1]}, follow=True)
    assert "实到人数（6）与发出选票数（9）不一致" in resp.content.decode()


def test_phone_voting_without_javascript(cast, client_for, open_meeting, nominees):
    code = actions.generate_codes(acting_user=cast["users"]["clerk"], meeting=open_meeting, count=1)[0]
    c = client_for(None)
    vote = reverse("meetings_public:vote")
    assert c.get(vote).status_code == 200
    page = c.post(vote, {"code": code.lower()})
    assert page.status_code == 200 and "李庄镇党委书记" in page.content.decode()
    # search by pinyin initials ("zy" → 赵一)
    page = c.post(vote, {"code": code, "step": "search-1", "q-1": "zy"}).content.decode()
    assert "赵一" in page
    # too many for the one-seat post: a clear refusal, nothing cast
    page = c.post(vote, {"code": code, "step": "review", "pick-1": [nominees[0].pk, nominees[1].pk]})
    assert page.status_code == 400 and "最多推荐 1 人" in page.content.decode()
    page = c.post(vote, {"code": code, "step": "review", "pick-1": [nominees[0].pk], "pick-2": [nominees[2].pk]})
    assert "请核对您的选票" in page.content.decode() and "赵一" in page.content.decode()
    done = c.post(vote, {"code": code, "step": "cast", "pick-1": [nominees[0].pk], "pick-2": [nominees[2].pk]},
                  follow=True).content.decode()
    receipt = re.search(r'id="receipt">([A-Z0-9-]+)<', done).group(1)
    assert SealedBallot.objects.count() == 1 and Ballot.objects.count() == 0  # sealed until close
    assert not any(receipt.replace("-", "") in str(s.get_decoded()) for s in Session.objects.all())
    # the same code again: refused, in Chinese
    again = c.post(vote, {"code": code})
    assert again.status_code == 409 and "此投票码已经投过票" in again.content.decode()
    check = c.get(reverse("meetings_public:receipt"), {"code": receipt}).content.decode()
    assert "已记录" in check and open_meeting.title in check
    assert "没有找到" in c.get(reverse("meetings_public:receipt"), {"code": "AAAAA-BBBBB"}).content.decode()


def test_unpublished_meeting_is_not_public(client_for, open_meeting):
    assert client_for(None).get(reverse("meetings_public:notice", args=[open_meeting.pk])).status_code == 404
    assert client_for(None).get(reverse("meetings_public:ballots_file", args=[open_meeting.pk])).status_code == 404


@pytest.mark.parametrize("who,status", [("inspector", 403), ("voter", 403), ("cadre", 403)])
def test_staff_pages_need_the_capability(cast, client_for, draft_meeting, who, status):
    assert client_for(cast["users"][who]).get(reverse("meetings:list")).status_code == status
    assert client_for(cast["users"][who]).get(reverse("meetings:detail", args=[draft_meeting.pk])).status_code == status


def test_out_of_scope_meeting_is_404(cast, client_for, make_cadre):
    admin = cast["users"]["org_admin"]
    other = actions.create_meeting(acting_user=admin, title="何坊街道推荐会", org_unit=cast["hefang"])
    assert client_for(cast["users"]["clerk"]).get(reverse("meetings:detail", args=[other.pk])).status_code == 404
    assert client_for(admin).get(reverse("meetings:detail", args=[other.pk])).status_code == 200


def test_paper_entry_page_lists_mismatches(cast, client_for, open_meeting, nominees):
    clerk, admin = client_for(cast["users"]["clerk"]), client_for(cast["users"]["org_admin"])
    url = reverse("meetings:paper", args=[open_meeting.pk])
    clerk.post(url, {"teller": 1, "pile_no": 1, "post-1": "赵一", "post-2": "钱二、孙三"})
    admin.post(url, {"teller": 2, "pile_no": 1, "post-1": "赵一", "post-2": "钱二"})
    page = clerk.get(url).content.decode()
    assert 'id="paper-sealed"' in page and "钱二" not in page  # sealed: compared when the box is opened
    shares = KEY_SHARES[open_meeting.pk]
    page = clerk.post(reverse("meetings:close", args=[open_meeting.pk]),
                      {"slips_issued": 6, "paper_spoiled": 0, "share_1": shares[0], "share_2": shares[2]},
                      follow=True).content.decode()
    assert "两名计票人的录入有 1 处不一致" in page and "不一致的选票序号：1" in page
    resp = admin.post(url, {"teller": 2, "pile_no": 2, "post-1": "无此人", "post-2": ""})
    assert "推荐范围内没有名叫“无此人”" in resp.content.decode()


def test_electorate_pick_and_search(cast, client_for, draft_meeting, make_cadre):
    c = client_for(cast["users"]["clerk"])
    url = reverse("meetings:electorate", args=[draft_meeting.pk])
    new = make_cadre(cast["lizhuang"], name="褚九")
    page = c.get(url, {"q": "cj"}).content.decode()
    assert "褚九" in page
    c.post(url, {"cadre": [new.pk]})
    assert draft_meeting.electors.filter(cadre=new).exists()
