"""The pages: staff pipeline, score entry and import preview, tickets, share table, the
cadre's registration and the public portal (registration by ID number, results with masked
ID numbers and the ledger link)."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from gongxin.exams import actions
from gongxin.exams.models import ExamChannel, ExamStatus, Registration
from tests.conftest import make_id_number

pytestmark = pytest.mark.django_db


def test_clerk_runs_the_pipeline_from_the_pages(announce, cast, qualified, client_for):
    admin = cast["users"]["org_admin"]
    c = client_for(admin)
    # the announcement, with weights that do not sum to 1 refused in words and the form kept
    page = c.post("/exams/new/", {"channel": "public_selection", "title": "测试公告", "org_unit": cast["root"].pk,
                                  "posts": "01 副镇长 1", "registration_closes": "2099-01-01",
                                  "written_weight": "0.7", "interview_weight": "0.4"})
    assert "各部分权重之和为 1.1，必须等于 1" in page.content.decode() and "测试公告" in page.content.decode()
    page = c.post("/exams/new/", {"channel": "public_selection", "title": "测试公告", "org_unit": cast["root"].pk,
                                  "posts": "01 副镇长 1", "registration_closes": (dt.date.today() + dt.timedelta(days=5)).isoformat()})
    assert page.status_code == 302
    exam = actions.Exam.objects.get(title="测试公告")
    c.post(f"/exams/{exam.pk}/step/", {"step": "publish_exam"})
    exam.refresh_from_db()
    assert exam.status == ExamStatus.REGISTRATION
    # a cadre registers from "我的报名" and sees the screening at once
    cadre = qualified(cast["lizhuang"], "周正")
    from gongxin.accounts.models import User

    user = User.objects.create_user(username="zhou", password="pass-1234-word", role="cadre", data_scope="self",
                                    cadre=cadre)
    cc = client_for(user)
    assert "测试公告" in cc.get("/exams/mine/").content.decode()
    r = cc.post(f"/exams/{exam.pk}/register/", {"exam_post": exam.posts.get().pk})
    reg = Registration.objects.get(cadre=cadre)
    page = cc.get(r["Location"]).content.decode()
    assert "公告要求" not in page and "工龄" in page
    c.post(f"/exams/{exam.pk}/step/", {"step": "close_registration"})
    c.post(f"/exams/{exam.pk}/step/", {"step": "issue_admission_tickets"})
    reg.refresh_from_db()
    assert reg.ticket_number
    assert reg.ticket_number in c.get(f"/exams/{exam.pk}/tickets/").content.decode()
    # scores typed on the page: a blank box is not a zero; a bad word is refused in Chinese
    page = c.post(f"/exams/{exam.pk}/scores/", {"component": "written", f"score-{reg.pk}": "八十"}, follow=True)
    assert "不是最多两位小数的数字" in page.content.decode()
    c.post(f"/exams/{exam.pk}/scores/", {"component": "written", f"score-{reg.pk}": "81.5"})
    reg.refresh_from_db()
    assert reg.written_score == 8150
    page = c.get(f"/exams/{exam.pk}/").content.decode()
    assert "综合成绩、笔试成绩、面试成绩依次从高到低；仍相同的并列" in page


def test_import_preview_lists_problems_and_fix_makes_it_importable(announce, cast, qualified, client_for):
    admin = cast["users"]["org_admin"]
    exam = announce(with_case=False)
    post = exam.posts.get()
    regs = [actions.register_cadre(acting_user=None, exam=exam, exam_post=post, cadre=qualified(cast["lizhuang"], n))
            for n in ("甲一", "乙二")]
    actions.close_registration(acting_user=admin, exam=exam)
    actions.issue_admission_tickets(acting_user=admin, exam=exam)
    for r in regs:
        r.refresh_from_db()
    wb = Workbook()
    ws = wb.active
    ws.append(["准考证号", "姓名", "成绩"])
    ws.append([regs[0].ticket_number, "甲一", 80])
    ws.append([regs[1].ticket_number, "乙二", None])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "scores.xlsx"
    c = client_for(admin)
    r = c.post(f"/exams/{exam.pk}/import/", {"component": "written", "file": buf})
    preview = r["Location"]
    page = c.get(preview).content.decode()
    assert "成绩为空" in page and 'id="apply" disabled' in page
    c.post(f"{preview}rows/3/", {"ticket_number": regs[1].ticket_number, "score": "缺考"})
    page = c.get(preview).content.decode()
    assert 'id="apply" disabled' not in page
    r = c.post(f"{preview}apply/")
    assert "/jobs/" in r["Location"]


def test_public_registers_for_recruitment_and_reads_the_results(announce, cast, client_for):
    exam = announce(channel=ExamChannel.RECRUITMENT, with_case=False,
                    posts=[{"title": "乡镇综合岗", "code": "01", "count": 1}])
    public = client_for(None)
    page = public.get(f"/public/exams/{exam.pk}/").content.decode()
    assert "网上报名" in page and "笔试成绩×60%" in page
    bad = public.post(f"/public/exams/{exam.pk}/", {"exam_post": exam.posts.get().pk, "name": "赵敏",
                                                     "id_number": "123", "education": "bachelor"})
    assert "身份证号码有误" in bad.content.decode() and 'value="赵敏"' in bad.content.decode()
    number = make_id_number(dt.date(2000, 5, 1), "F")
    r = public.post(f"/public/exams/{exam.pk}/", {"exam_post": exam.posts.get().pk, "name": "赵敏",
                                                   "id_number": number, "education": "bachelor", "is_graduate": "1"})
    assert r.status_code == 302
    page = public.get(r["Location"]).content.decode()
    reg = Registration.objects.get(name="赵敏")
    assert reg.tracking_code in page and number not in page and number[:4] + "**********" + number[-4:] in page
    # the pipeline to publication, then the public results page
    admin = cast["users"]["org_admin"]
    for step in ("close_registration", "issue_admission_tickets"):
        getattr(actions, step)(acting_user=admin, exam=exam)
    actions.record_scores(acting_user=admin, exam=exam, component="written", scores={reg.pk: 7000})
    actions.rank_written(acting_user=admin, exam=exam)
    actions.record_scores(acting_user=admin, exam=exam, component="interview", scores={reg.pk: 8000})
    actions.rank_final(acting_user=admin, exam=exam)
    assert public.get(f"/public/exams/{exam.pk}/results/").status_code == 404
    actions.publish_results(acting_user=admin, exam=exam)
    page = public.get(f"/public/exams/{exam.pk}/results/").content.decode()
    assert "赵敏" in page and "74.00" in page and number not in page and "查看包含证明" in page


def test_share_table_marks_units_below_the_target(cast, client_for, ranks, announce):
    from gongxin.people import actions as people_actions
    from gongxin.people.models import PostKind

    office = cast["lizhuang_office"]
    middle = [people_actions.create_post(acting_user=None, org_unit=office, title=f"中层{i}", rank=ranks["fuke"],
                                         kind=PostKind.MIDDLE) for i in range(4)]
    people_actions.create_post(acting_user=None, org_unit=cast["finance"], title="预算股股长", rank=ranks["fuke"],
                               kind=PostKind.MIDDLE)
    announce(channel=ExamChannel.COMPETITIVE_POSTING, with_case=False, org_unit=cast["lizhuang"],
             posts=[{"post": middle[0], "code": "01"}, {"post": middle[1], "code": "02"}])
    page = client_for(cast["users"]["org_admin"]).get("/exams/share/").content.decode()
    assert f'<tr class="below"><td><a href="?unit={cast["finance"].pk}">县财政局</a>' in page
    assert f'<tr><td><a href="?unit={cast["lizhuang"].pk}">李庄镇</a>' in page and "50%" in page
    assert "全县中层岗位 5 个，拿出竞争上岗 2 个" in page


def test_pages_need_the_capability(cast, client_for):
    assert client_for(cast["users"]["inspector"]).get("/exams/").status_code == 403
    assert client_for(None).get("/exams/").status_code == 302
