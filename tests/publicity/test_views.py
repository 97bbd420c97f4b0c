import datetime as dt
from unittest import mock

from gongxin.publicity import actions
from gongxin.publicity.models import Appointment, Feedback, FeedbackStatus, Notice, WorkdayOverride


def test_staff_pages_render(publicity, client_for):
    c = client_for(publicity["clerk"])
    n = publicity["notice"]
    fb = actions.submit_feedback(notice=n, category="other", text="有意见反映。")
    for url in ["/publicity/notices/", f"/publicity/notices/{n.pk}/", "/publicity/notices/new/",
                "/publicity/feedback/", f"/publicity/feedback/{fb.pk}/", "/publicity/appointments/",
                "/publicity/appointments/new/", "/publicity/workdays/?start=2026-12-28&working_days=5"]:
        r = c.get(url)
        assert r.status_code == 200, url
    assert "2027 年的法定节假日安排尚未收录" in c.get("/publicity/workdays/?start=2026-12-28&working_days=5").content.decode()


def test_notice_list_has_no_n_plus_one(publicity, client_for, django_assert_max_num_queries):
    c = client_for(publicity["clerk"])
    for i in range(5):
        actions.create_notice(acting_user=None, kind="vacancy", title=f"空缺{i}", org_unit=publicity["lizhuang"])
    with django_assert_max_num_queries(12):
        assert c.get("/publicity/notices/").status_code == 200


def test_draft_publish_and_entry_through_pages(publicity, client_for):
    c = client_for(publicity["clerk"])
    r = c.post("/publicity/notices/new/", {"kind": "pre_appointment", "title": "何坊公示", "org_unit": publicity["lizhuang"].pk,
                                           "body": "正文", "name_order": "full_name", "contact": ""})
    notice = Notice.objects.get(title="何坊公示")
    assert r.status_code == 302
    r = c.post(f"/publicity/notices/{notice.pk}/", {"cadre": publicity["zhao"].pk, "post": publicity["posts"]["lizhuang_head"].pk})
    assert r.status_code == 302 and notice.entries.count() == 1
    with mock.patch.object(actions, "_today", return_value=dt.date(2026, 11, 10)):
        r = c.post(f"/publicity/notices/{notice.pk}/publish/", {"start": "2026-11-09"}, follow=True)
        assert "不能倒签" in r.content.decode()  # issue 11 defect 2: never before the day it is published
        notice.refresh_from_db()
        assert notice.status == "draft"
        c.post(f"/publicity/notices/{notice.pk}/publish/", {"start": "2026-11-16"})
    notice.refresh_from_db()
    assert notice.status == "published" and notice.period_end == dt.date(2026, 11, 20)


def test_reply_resolve_then_appoint_through_pages(publicity, client_for):
    c = client_for(publicity["clerk"])
    n = publicity["notice"]
    fb = actions.submit_feedback(notice=n, entry=publicity["entries"]["zhang"], category="other", text="有意见反映。")
    data = {"cadre": publicity["cadres"]["zhang"].pk, "post": publicity["posts"]["lizhuang_secretary"].pk,
            "start": "2026-11-20", "notice": n.pk, "document_number": "惠组〔2026〕9号", "probation": ""}
    r = c.post("/publicity/appointments/new/", data, follow=True)
    assert "未办结" in r.content.decode() and Appointment.objects.count() == 0
    c.post(f"/publicity/feedback/{fb.pk}/", {"reply": "已核查，不属实。", "finding": "走访三人", "resolve": "on"})
    fb.refresh_from_db()
    assert fb.status == FeedbackStatus.RESOLVED
    r = c.post("/publicity/appointments/new/", data)
    assert r.status_code == 302
    a = Appointment.objects.get()
    r = c.post(f"/publicity/appointments/{a.pk}/", {"decision": "confirm", "note": "试用期满考核称职", "extend_months": 6})
    a.refresh_from_db()
    assert a.probation_status == "confirmed"


def test_out_of_scope_notice_is_404_and_no_capability_is_403(publicity, client_for, make_cadre):
    other = actions.create_notice(acting_user=None, kind="vacancy", title="财政局", org_unit=publicity["finance"])
    assert client_for(publicity["clerk"]).get(f"/publicity/notices/{other.pk}/").status_code == 404
    assert client_for(publicity["users"]["org_admin"]).get(f"/publicity/notices/{other.pk}/").status_code == 200
    assert client_for(publicity["users"]["inspector"]).get("/publicity/notices/").status_code == 403
    fb = actions.submit_feedback(notice=publicity["notice"], category="other", text="有意见反映。")
    assert client_for(publicity["users"]["voter"]).get(f"/publicity/feedback/{fb.pk}/").status_code == 403
    assert Feedback.objects.count() == 1


def test_workday_table_needs_config_edit(publicity, client_for):
    r = client_for(publicity["clerk"]).post("/publicity/workdays/", {"date": "2027-01-01", "is_workday": "", "note": "元旦"})
    assert r.status_code == 403
    r = client_for(publicity["users"]["org_admin"]).post("/publicity/workdays/", {"date": "2027-01-01", "note": "元旦"})
    assert r.status_code == 302 and WorkdayOverride.objects.get().is_workday is False


def test_clerk_registers_a_letter_with_its_arrival_date(publicity, client_for):
    c = client_for(publicity["clerk"])
    n = publicity["notice"]
    r = c.post(f"/publicity/notices/{n.pk}/feedback/", {"entry": "", "category": "procedure", "text": "来信询问推荐范围。",
                                                        "contact_name": "李先生", "contact": "", "received_on": "2026-11-10"})
    fb = Feedback.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/publicity/feedback/{fb.pk}/"
    assert fb.received_at.date() == dt.date(2026, 11, 10) and fb.contact_name == "李先生"
    assert c.get(f"/publicity/notices/{n.pk}/").status_code == 200
