"""A township clerk imports a roster of 500 cadres with two bad rows, fixes them on the
preview, watches the import job's progress bar, then exports three cadres as .lrmx and one
appointment form as PDF."""

import datetime as dt
import io
import random

import pytest
from openpyxl import Workbook
from pypdf import PdfReader

from gongxin.exchange import excel_rows
from gongxin.people import idnumber
from gongxin.people.models import Cadre
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)
HEADER = [h for _f, h, _o in excel_rows.COLUMNS]


def _roster(path, n=500):
    rng = random.Random(5)
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    numbers = []
    for i in range(n):
        birth = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(0, 12000))
        sex = "M" if i % 2 else "F"
        number = idnumber.make("371621", birth, sex, rng)
        while number in numbers:
            number = idnumber.make("371621", birth, sex, rng)
        numbers.append(number)
        unit = "李庄镇党政办" if i % 3 else "李庄镇"
        ws.append([f"导入{i:03d}", number, "男" if sex == "M" else "女", f"{birth:%Y.%m}", "汉族", "山东惠民", "",
                   "中共党员", "", f"{birth.year + 22}.07", "大学本科", "学士", "", unit, "科员", "一级科员", "",
                   "健康", ""])
    good_10 = ws.cell(row=12, column=2).value
    ws.cell(row=12, column=2).value = good_10[:17] + ("0" if good_10[17] != "0" else "1")  # row 12: check digit
    ws.cell(row=300, column=14).value = "李庄乡"                                             # row 300: no such unit
    wb.save(path)
    return good_10


@pytest.fixture
def run_worker():
    """The database worker in batch mode, on demand. Not a second thread polling beside the
    live server: the test database is SQLite in memory with a shared cache, where a second
    connection's exclusive transaction makes the server's reads fail at once ("database
    schema is locked") instead of waiting."""
    from gongxin.jobs.management.commands.worker import run_db_worker

    return lambda: run_db_worker(batch=True, interval=0)


def test_roster_import_and_exports(cast, new_page, shot, tmp_path, run_worker):
    path = tmp_path / "名册.xlsx"
    good_number = _roster(path)
    page = new_page()
    login(page, "clerk")
    page.goto(page.base + "/exchange/")
    page.set_input_files("#id_excel-file", str(path))
    page.click("form[action$='excel/upload/'] button[type=submit]")
    # the mapping was guessed from the template's headers
    assert page.locator("#col_id_number").input_value() == "1"
    page.click("button:has-text('下一步')")
    summary = page.locator("#preview-summary").inner_text()
    assert "共 500 行" in summary and "有问题 2 行" in summary
    problems = page.locator("form.problem-row")
    assert problems.count() == 2
    assert "校验位" in problems.nth(0).inner_text() and "李庄乡" in problems.nth(1).inner_text()
    shot(page, "1-preview-two-bad-rows")

    # fix both rows
    row = page.locator("form.problem-row[data-row='12']")
    row.locator("input[name=id_number]").fill(good_number)
    row.locator("button:has-text('保存修改')").click()
    row = page.locator("form.problem-row[data-row='300']")
    row.locator("input[name=org_unit]").fill("李庄镇")
    row.locator("button:has-text('保存修改')").click()
    assert "有问题 0 行" in page.locator("#preview-summary").inner_text()
    page.click("#apply-import")

    # the job page: a progress bar that updates until the job is done
    bar = page.locator(".job-progress")
    assert bar.count() == 1 and page.locator("progress").count() == 1
    assert bar.get_attribute("data-status") == "queued" and "等待后台进程处理" in bar.inner_text()
    shot(page, "2-progress-queued")
    run_worker()  # the page keeps polling; it shows the end once the worker is done
    page.wait_for_selector(".job-progress[data-status='succeeded']", timeout=60_000)
    assert "新增 500 人" in page.locator(".job-progress").inner_text()
    assert page.locator("progress").get_attribute("value") == "100"
    shot(page, "3-done")
    assert Cadre.objects.filter(name__startswith="导入").count() == 500

    # three cadres as .lrmx, one as PDF
    for name in ("导入001", "导入002", "导入003"):
        cadre = Cadre.objects.get(name=name)
        page.goto(page.base + f"/people/cadres/{cadre.pk}/")
        with page.expect_download() as download:
            page.click("a:has-text('导出 LRMX')")
        data = open(download.value.path(), "rb").read()
        assert data.startswith(b'<?xml') and f"<XingMing>{name}</XingMing>".encode() in data
    shot(page, "4-cadre-page-downloads")
    with page.expect_download() as download:
        page.click("a:has-text('下载 PDF')")
    reader = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    assert len(reader.pages) == 2 and "导入003" in reader.pages[0].extract_text()
