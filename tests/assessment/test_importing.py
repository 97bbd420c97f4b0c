"""Unit results from Excel: the preview names every row's problem and saves nothing; the apply
step takes only what was previewed, and bad rows only when explicitly skipped."""

import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from gongxin.assessment import actions
from gongxin.assessment.models import UnitResult
from gongxin.ledger.models import Event

from .test_actions import TOWNSHIP


@pytest.fixture
def admin(cast):
    return cast["users"]["org_admin"]


@pytest.fixture
def year(admin):
    actions.create_indicator_system(acting_user=admin, category="township", name="乡镇综合考核", indicators=TOWNSHIP)
    return actions.open_year(acting_user=admin, year=2025)


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("results.xlsx", out.getvalue())


def test_the_template_lists_the_units_and_indicator_names(admin, year, client_for):
    response = client_for(admin).get("/assessment/years/2025/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("单位名称", "地区生产总值增速", "居民收入增速", "单位产值能耗")
    assert {r[0] for r in rows[1:]} == {"李庄镇", "何坊街道"}


def test_bad_rows_are_listed_nothing_is_saved_and_skipping_them_is_explicit(admin, year, client_for):
    client = client_for(admin)
    upload = _xlsx([["单位名称", "地区生产总值增速", "居民收入增速", "单位产值能耗"],
                    ["李庄镇", 8, "5%", 0.75],
                    ["何坊街道", "很高", 6, 0.6],
                    ["王庄镇", 1, 2, 3]])
    page = client.post("/assessment/years/2025/import/", {"file": upload})
    text = page.content.decode()
    assert "“地区生产总值增速”应为数字，现为“很高”" in text
    assert "单位“王庄镇”不存在或不在您的数据范围内" in text
    assert "可导入 1 行，有问题 2 行" in text
    assert not UnitResult.objects.exists()
    token = page.context["token"]
    refused = client.post("/assessment/years/2025/import/apply/", {"token": token, "bad": "2"}, follow=True)
    assert "请修正后重新导入" in refused.content.decode() and not UnitResult.objects.exists()
    client.post("/assessment/years/2025/import/apply/", {"token": token, "bad": "2", "skip_bad": "1"})
    assert dict(UnitResult.objects.values_list("indicator__code", "value")) == {"gdp": 8, "income": 5, "energy": 0.75}
    # The ledger names the workbook: its name and SHA-256, as the preview showed it.
    upload.seek(0)
    digest = hashlib.sha256(upload.read()).hexdigest()
    assert digest in text
    event = Event.objects.get(kind="assessment.unit_results.imported")
    payload = json.loads(bytes(event.data))["payload"]
    assert payload["sha256"] == digest and payload["file"] == "results.xlsx"
    assert payload["units"] == [UnitResult.objects.first().org_unit_id]


def test_a_tampered_token_imports_nothing(admin, year, client_for):
    page = client_for(admin).post("/assessment/years/2025/import/apply/", {"token": "x:y", "bad": "0"}, follow=True)
    assert "没有可导入的行" in page.content.decode()
    assert not UnitResult.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(admin, year, client_for):
    page = client_for(admin).post("/assessment/years/2025/import/", {"file": SimpleUploadedFile("x.xlsx", b"not excel")},
                                  follow=True)
    assert "请上传 .xlsx 格式的 Excel 工作簿" in page.content.decode()
