"""Exams in the browser: a clerk publishes an announcement linked to a case, a cadre
registers and is screened, the written scores come from an .xlsx with one bad row fixed in
the preview, the interview scores are typed, the ranking is published, and the top candidate
appears in the case."""


import pytest
from openpyxl import Workbook

from gongxin.accounts.models import User
from gongxin.cases import actions as case_actions
from gongxin.cases.models import Candidate
from gongxin.exams import actions
from gongxin.exams.models import Exam, Registration
from tests.browser.conftest import login
from tests.exams.conftest import qualified  # noqa: F401  (fixture)


@pytest.fixture
def run_worker():
    from gongxin.jobs.management.commands.worker import run_db_worker

    return lambda: run_db_worker(batch=True, interval=0)


@pytest.mark.django_db(transaction=True)
def test_exam_from_announcement_to_the_case(cast, posts, qualified, new_page, shot, tmp_path, run_worker):  # noqa: F811
    from django.urls import reverse

    reverse("exams:exam_list")  # the URLconf and the API's schemas load once, here, not in the first page's timeout
    admin = cast["users"]["org_admin"]
    case = case_actions.open_case(acting_user=admin, title="公开选拔李庄镇镇长", org_unit=cast["lizhuang"],
                                  posts=[(posts["lizhuang_head"], 1)], channels=["public_selection"])
    # the clerk writes and publishes the announcement
    clerk = new_page()
    clerk.set_default_timeout(30_000)  # a shared, loaded machine
    login(clerk, "org_admin")
    clerk.goto(clerk.base + "/exams/")
    clerk.select_option("#channel", "public_selection")
    clerk.fill("#title", "2026年公开选拔李庄镇镇长公告")
    clerk.select_option("#org_unit", label="中共惠民县委")
    clerk.select_option("#case", label="公开选拔李庄镇镇长")
    clerk.fill("#posts", "01 李庄镇镇长 1")
    clerk.fill("#max_age", "45")
    clerk.fill("#written_weight", "0.6")
    clerk.fill("#interview_weight", "0.5")
    clerk.click("#exam-new button[type=submit]")
    assert "各部分权重之和为 1.1，必须等于 1" in clerk.content()
    clerk.fill("#interview_weight", "0.4")
    clerk.click("#exam-new button[type=submit]")
    clerk.wait_for_selector("#next-step")
    shot(clerk, "announcement-draft")
    clerk.click("#next-step")  # 发布公告
    clerk.wait_for_selector("text=报名中")
    exam = Exam.objects.get(title="2026年公开选拔李庄镇镇长公告")

    # a cadre registers and sees the screening at once; three others register too
    people = [qualified(cast["lizhuang"], n) for n in ("孙周", "钱吴", "郑王")]
    me = qualified(cast["hefang"], "冯陈")
    User.objects.create_user(username="fengchen", password="pass-1234-word", role="cadre", data_scope="self", cadre=me)
    for c in people:
        actions.register_cadre(acting_user=None, exam=exam, exam_post=exam.posts.get(), cadre=c)
    cadre = new_page()
    cadre.set_default_timeout(30_000)
    login(cadre, "fengchen")
    cadre.goto(cadre.base + "/exams/mine/")
    cadre.click(f"[data-exam='{exam.pk}'] button[type=submit]")
    cadre.wait_for_selector("#screening")
    assert "公告要求不超过 45 岁" in cadre.inner_text("#screening")
    shot(cadre, "registered-screening")

    # screened; tickets
    clerk.click("#next-step")  # 截止报名，资格审查
    clerk.wait_for_selector("text=资格审查")
    clerk.click("#next-step")  # 准考证
    clerk.wait_for_selector("#tickets-link")
    mine = Registration.objects.get(cadre=me)
    cadre.reload()
    assert mine.ticket_number in cadre.inner_text(".ticket")
    shot(cadre, "admission-ticket")

    # the written scores from the examination centre's sheet: one row with a bad score
    regs = {r.name: r for r in exam.registrations.all()}
    wb = Workbook()
    ws = wb.active
    ws.append(["准考证号", "姓名", "成绩"])
    ws.append([regs["冯陈"].ticket_number, "冯陈", 88])
    ws.append([regs["孙周"].ticket_number, "孙周", "9O.5"])
    ws.append([regs["钱吴"].ticket_number, "钱吴", 75])
    ws.append([regs["郑王"].ticket_number, "郑王", "缺考"])
    path = tmp_path / "笔试成绩.xlsx"
    wb.save(path)
    clerk.set_input_files("#import-form input[type=file]", str(path))
    clerk.click("#import-form button[type=submit]")
    clerk.wait_for_selector("#problems")
    assert "成绩“9O.5”不是最多两位小数的数字" in clerk.inner_text("#problems")
    assert clerk.locator("#apply").is_disabled()
    shot(clerk, "import-preview-bad-row")
    clerk.fill("#row-3 input[name=score]", "90.5")
    clerk.click("#row-3 form:first-of-type button[type=submit]")
    clerk.wait_for_load_state("networkidle")
    assert not clerk.locator("#apply").is_disabled()
    clerk.click("#apply")
    clerk.wait_for_selector(".job-progress")
    run_worker()
    clerk.wait_for_selector(".job-progress[data-status='succeeded']", timeout=60_000)
    assert Registration.objects.get(pk=regs["孙周"].pk).written_score == 9050
    clerk.goto(clerk.base + f"/exams/{exam.pk}/")
    clerk.click("#next-step")  # 笔试排名
    clerk.wait_for_selector("text=进入面试")
    # interview scores typed on the page
    for name, score in (("冯陈", "80"), ("孙周", "70"), ("钱吴", "95")):
        clerk.fill(f"input[name=score-{regs[name].pk}]", score)
    clerk.click("#scores form:last-of-type button[type=submit]")
    clerk.wait_for_load_state("networkidle")
    clerk.click("#next-step")  # 综合成绩
    clerk.wait_for_selector(".ranking-table")
    shot(clerk, "ranking")
    table = clerk.inner_text(".ranking-table")
    # 0.6×88+0.4×80 = 84.80 first; 0.6×90.5+0.4×70 = 82.30; 0.6×75+0.4×95 = 83.00; 郑王 缺考
    assert table.index("冯陈") < table.index("钱吴") < table.index("孙周") and "缺考" in table
    clerk.click("#next-step")  # 公布
    clerk.wait_for_selector("text=成绩已公布")

    # the portal shows the results with masked ID numbers and the ledger link
    public = new_page()
    public.set_default_timeout(30_000)
    public.goto(public.base + f"/public/exams/{exam.pk}/results/")
    assert "84.80" in public.inner_text("#results") and me.id_number not in public.content()
    assert public.locator("#proof-link").count() == 1
    shot(public, "public-results")

    # the top candidate is in the case, through the public-selection channel
    cand = Candidate.objects.get(case=case)
    assert cand.cadre == me and cand.channel == "public_selection"
    clerk.goto(clerk.base + f"/cases/{case.pk}/")
    assert "冯陈" in clerk.content()
    shot(clerk, "case-candidates")
