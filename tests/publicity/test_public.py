"""The public portal: no login, forms that resist abuse."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongxin.publicity import actions
from gongxin.publicity.models import Feedback, FeedbackAttachment, FeedbackStatus

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'&'


def _url(notice, suffix=""):
    return f"/public/notices/{notice.pk}/{suffix}"


def _post(client, notice, **data):
    body = {"category": "conduct", "text": "该同志工作作风有问题，请核查。", **data}
    return client.post(_url(notice, "feedback/"), body, REMOTE_ADDR=data.pop("addr", "203.0.113.5"))


def on_day(day):
    """The public pages as they look on ``day`` (they read today's date)."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def test_portal_and_notice_readable_without_login(publicity):
    c = Client()
    with on_day(dt.date(2026, 11, 10)):
        home = c.get("/public/")
    assert home.status_code == 200 and "李庄镇领导干部任前公示" in home.content.decode()
    page = c.get(_url(publicity["notice"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("王五") < html.index("张三") < html.index("赵六")  # stroke order
    assert publicity["notice"].leaf_hash in html
    assert "2026年11月9日至2026年11月13日" in html


def test_a_notice_leaves_the_current_lists_when_its_period_ends(publicity):
    """Published 9 Nov, 5 working days: on Friday 13 Nov it is current; from Saturday it is
    past (marked as ended) even though the clerk has not closed it yet."""
    title = "李庄镇领导干部任前公示"
    with on_day(dt.date(2026, 11, 13)):
        home = Client().get("/public/").content.decode()
        listing = Client().get("/public/notices/").content.decode()
    assert title in home.split("正在公示")[1]
    assert listing.index(title) < listing.index("往期公告") and "（公示期已满）" not in listing
    with on_day(dt.date(2026, 11, 14)):
        home = Client().get("/public/").content.decode()
        listing = Client().get("/public/notices/").content.decode()
    assert title not in home.split("正在公示")[1] and "目前没有正在公示的公告。" in home
    assert listing.index("往期公告") < listing.index(title) < listing.index("（公示期已满）")


def test_draft_notices_are_not_public(publicity):
    draft = actions.create_notice(acting_user=None, kind="vacancy", title="草稿公告", org_unit=publicity["lizhuang"])
    assert Client().get(_url(draft)).status_code == 404
    assert "草稿公告" not in Client().get("/public/notices/").content.decode()


def test_feedback_returns_a_code_and_the_tracking_page_shows_status_and_reply(publicity):
    c = Client()
    r = _post(c, publicity["notice"], entry=publicity["entries"]["zhang"].pk)
    assert r.status_code == 302
    sent = c.get(r["Location"]).content.decode()
    code = re.search(r'id="tracking-code">([A-Z2-7-]{19})<', sent).group(1).replace("-", "")
    fb = Feedback.objects.get(code=code)
    assert fb.entry == publicity["entries"]["zhang"] and fb.contact == "" and fb.status == FeedbackStatus.TRANSFERRED
    track = c.post("/public/feedback/track/", {"code": code.lower()}).content.decode()
    assert "已转问题档案核查" in track and "尚未答复" in track
    actions.reply_feedback(acting_user=publicity["clerk"], feedback=fb, reply="经核查不属实。", resolve=True)
    track = c.post("/public/feedback/track/", {"code": code}).content.decode()
    assert "已办结" in track and "经核查不属实。" in track
    assert "没有找到" in c.post("/public/feedback/track/", {"code": "AAAAAAAAAAAAAAAA"}).content.decode()


def test_markup_in_every_field_is_rendered_escaped(publicity):
    c = Client()
    r = _post(c, publicity["notice"], text=SCRIPT * 3, contact_name=SCRIPT[:30], contact=SCRIPT[:100])
    assert r.status_code == 302
    fb = Feedback.objects.get()
    assert fb.text.startswith("<script>")  # stored as typed
    code = fb.code
    actions.reply_feedback(acting_user=publicity["clerk"], feedback=fb, reply=SCRIPT, resolve=False)
    pages = [c.post("/public/feedback/track/", {"code": code}).content.decode(),
             client_staff(publicity).get(f"/publicity/feedback/{fb.pk}/").content.decode()]
    for html in pages:
        assert "<script>alert" not in html and "onerror=alert(1)>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    # markup in the form's select / category fields is refused, not echoed raw
    r = _post(c, publicity["notice"], category=SCRIPT, entry=SCRIPT)
    assert r.status_code == 200 and "<script>alert" not in r.content.decode()


def client_staff(publicity):
    c = Client()
    c.force_login(publicity["clerk"])
    return c


def test_oversize_text_is_refused(publicity):
    r = _post(Client(), publicity["notice"], text="长" * 5001, contact="1" * 101, contact_name="名" * 31)
    html = r.content.decode()
    assert r.status_code == 200 and Feedback.objects.count() == 0
    assert "5000" in html and "form-errors" in html


def test_oversize_file_and_wrong_type_are_refused(publicity):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    r = _post(Client(), publicity["notice"], files=[big])
    assert r.status_code == 200 and "超过 5 MB" in r.content.decode()
    for f in [SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
              SimpleUploadedFile("x.html", b"<script>1</script>", content_type="text/html"),
              SimpleUploadedFile("fake.pdf", b"<script>1</script>", content_type="application/pdf")]:
        r = _post(Client(), publicity["notice"], files=[f])
        assert r.status_code == 200 and "PDF、JPG 或 PNG" in r.content.decode()
    assert Feedback.objects.count() == 0


def test_allowed_attachments_are_stored(publicity):
    files = [SimpleUploadedFile("证据.pdf", PDF, content_type="application/pdf"),
             SimpleUploadedFile("photo.png", PNG, content_type="image/png")]
    r = _post(Client(), publicity["notice"], files=files)
    assert r.status_code == 302
    assert sorted(FeedbackAttachment.objects.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]


def test_request_body_over_the_upload_limit_is_refused(publicity, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    r = Client().post(_url(publicity["notice"], "feedback/"), {"category": "conduct", "text": "x" * 4000})
    assert r.status_code == 400 and Feedback.objects.count() == 0


def test_one_hundred_rapid_posts_from_one_address_hit_the_limit(publicity):
    c = Client()
    codes = [_post(c, publicity["notice"], text=f"第 {i} 条意见，内容。").status_code for i in range(100)]
    assert codes[:10] == [302] * 10
    assert set(codes[10:]) == {429}
    assert Feedback.objects.count() == 10
    r = _post(c, publicity["notice"])
    assert "提交次数过多" in r.content.decode()
    # another address is not affected
    assert _post(Client(), publicity["notice"], addr="198.51.100.7").status_code == 302


def test_forged_csrf_token_is_refused(publicity):
    c = Client(enforce_csrf_checks=True)
    c.get(_url(publicity["notice"], "feedback/"))
    r = c.post(_url(publicity["notice"], "feedback/"),
               {"category": "conduct", "text": "伪造令牌的提交。", "csrfmiddlewaretoken": "forged" * 8},
               REMOTE_ADDR="203.0.113.9")
    assert r.status_code == 403 and Feedback.objects.count() == 0
    # the real token works
    c2 = Client(enforce_csrf_checks=True)
    page = c2.get(_url(publicity["notice"], "feedback/")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    r = c2.post(_url(publicity["notice"], "feedback/"),
                {"category": "conduct", "text": "真实令牌的提交。", "csrfmiddlewaretoken": token})
    assert r.status_code == 302


def test_feedback_after_the_period_is_taken_as_a_complaint_and_the_sender_told(publicity):
    """Issue 11 defect 8: after the period the notice no longer shows a feedback button as if
    it were running; what is sent is still received, and the sender is told it came late."""
    with on_day(dt.date(2026, 11, 20)):
        page = Client().get(_url(publicity["notice"])).content.decode()
        assert "已结束" in page and "公示期已结束" in page and "对本公告反映意见" not in page
        form = Client().get(_url(publicity["notice"], "feedback/")).content.decode()
        assert "现在提交的意见仍会受理，作为信访举报" in form
        c = Client()
        r = _post(c, publicity["notice"], entry=publicity["entries"]["zhang"].pk)
        assert r.status_code == 302
        sent = c.get(r["Location"]).content.decode()
    assert "在公示期结束后收到，已作为信访举报受理" in sent
    assert Feedback.objects.get().after_period is True


def test_closed_notice_still_takes_feedback_after_its_period(publicity):
    actions.close_notice(acting_user=publicity["clerk"], notice=publicity["notice"], today=dt.date(2026, 11, 16))
    assert Client().get(_url(publicity["notice"], "feedback/")).status_code == 200
    assert _post(Client(), publicity["notice"]).status_code == 302
    assert Feedback.objects.get().after_period is True


def test_a_vacancy_notice_leaves_the_current_list_after_its_deadline(publicity):
    notice = actions.create_notice(acting_user=None, kind="vacancy", title="空缺公告甲", org_unit=publicity["lizhuang"])
    with mock.patch.object(actions, "_today", return_value=dt.date(2026, 11, 16)):
        actions.publish_notice(acting_user=None, notice=notice, deadline=dt.date(2026, 11, 25))
    with on_day(dt.date(2026, 11, 25)):
        assert "空缺公告甲" in Client().get("/public/").content.decode().split("正在公示")[1]
    with on_day(dt.date(2026, 11, 26)):
        home = Client().get("/public/").content.decode()
        listing = Client().get("/public/notices/").content.decode()
    assert "空缺公告甲" not in home.split("正在公示")[1]
    assert listing.index("往期公告") < listing.index("空缺公告甲") < listing.index("（已截止）")


def test_public_pages_work_without_javascript_and_are_cached(publicity, django_assert_max_num_queries):
    c = Client()
    c.get(_url(publicity["notice"]))
    with django_assert_max_num_queries(2):  # the notice comes from the cache
        r = c.get(_url(publicity["notice"]))
    assert "max-age=60" in r["Cache-Control"]
    assert 'method="post"' in c.get(_url(publicity["notice"], "feedback/")).content.decode()


@pytest.mark.parametrize("path", ["/public/", "/public/notices/", "/public/feedback/track/"])
def test_phone_sized_pages_have_a_viewport(publicity, path):
    assert 'name="viewport"' in Client().get(path).content.decode()


def test_notice_links_to_the_ledger_inclusion_check(publicity):
    html = Client().get(_url(publicity["notice"])).content.decode()
    m = re.search(r'href="(/public/ledger/\?q=[0-9a-f]{64})"', html)
    assert m is not None, "no link to the ledger's inclusion check"
    page = Client().get(m.group(1).replace("&amp;", "&"))
    assert page.status_code == 200
    assert publicity["notice"].leaf_hash in page.content.decode()


def test_a_body_larger_than_any_valid_post_is_refused_before_it_is_read(publicity):
    huge = SimpleUploadedFile("big.pdf", PDF + b"0" * (17 * 1024 * 1024), content_type="application/pdf")
    r = Client(enforce_csrf_checks=True).post(_url(publicity["notice"], "feedback/"),
                                              {"category": "conduct", "text": "附件过大。", "files": [huge]})
    assert r.status_code == 413 and "提交的内容过大" in r.content.decode()
    assert Feedback.objects.count() == 0


def test_file_names_with_markup_are_escaped_for_staff(publicity, client_for):
    name = '<img src=x onerror=alert(1)>.pdf'
    r = _post(Client(), publicity["notice"], files=[SimpleUploadedFile(name, PDF, content_type="application/pdf")])
    assert r.status_code == 302
    fb = Feedback.objects.get()
    c = client_for(publicity["clerk"])
    html = c.get(f"/publicity/feedback/{fb.pk}/").content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;.pdf" in html
    att = fb.attachments.get()
    download = c.get(f"/publicity/feedback/{fb.pk}/attachments/{att.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "attachment" in download["Content-Disposition"]
    # the public cannot download attachments
    assert Client().get(f"/publicity/feedback/{fb.pk}/attachments/{att.pk}/").status_code == 302


def test_closing_a_notice_refreshes_the_cached_public_pages(publicity, django_capture_on_commit_callbacks):
    """The portal is cached per day, and closing clears the day's entry. The pages are read,
    and the cache cleared, on 12 Nov (in the period); the close itself is dated 16 Nov."""
    c = Client()
    with on_day(dt.date(2026, 11, 12)):
        assert "对本公告反映意见" in c.get(_url(publicity["notice"])).content.decode()
        assert "李庄镇领导干部任前公示" in c.get("/public/").content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            actions.close_notice(acting_user=publicity["clerk"], notice=publicity["notice"],
                                 today=dt.date(2026, 11, 16))
        html = c.get(_url(publicity["notice"])).content.decode()
        assert "已结束" in html and "对本公告反映意见" not in html
        assert "李庄镇领导干部任前公示" not in c.get("/public/").content.decode()  # no longer current
