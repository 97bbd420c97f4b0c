"""The roster import: mapping, a preview naming every row's problem in Chinese, fixes and
skips, the apply job with progress, and re-importing the same file changing nothing."""

import datetime as dt
import io
import random

import pytest
from openpyxl import Workbook, load_workbook

from gongxin.exchange import actions, excel_rows
from gongxin.exchange.excel_import import _values_for_model, apply_job, check_staged
from gongxin.exchange.models import StagedImport
from gongxin.jobs.models import Job, JobStatus
from gongxin.jobs.runner import run_job
from gongxin.ledger.models import Event
from gongxin.people import idnumber
from gongxin.people.models import Cadre
from gongxin.people.names import search_keys

pytestmark = pytest.mark.django_db
HEADER = [h for _f, h, _o in excel_rows.COLUMNS]


def _number(birth, sex, seed):
    return idnumber.make("371621", birth, sex, random.Random(seed))


def _row(name, number, birth, unit="李庄镇", sex="男", **extra):
    values = dict(zip(HEADER, [name, number, sex, f"{birth:%Y.%m}", "汉族", "山东惠民", "山东惠民", "中共党员",
                               "", f"{birth.year + 22}.07", "大学本科", "学士", "山东大学", unit, "科员", "一级科员",
                               "", "健康", ""], strict=True))
    values.update(extra)
    return [values[h] for h in HEADER]


def _xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _good_rows(n=6):
    out = []
    for i in range(n):
        birth = dt.date(1980 + i, 3, 1 + i)
        out.append(_row(f"测试{i}", _number(birth, "M", i), birth))
    return out


def _stage(user, data):
    staged = actions.stage_upload(acting_user=user, kind="excel", filename="名册.xlsx", data=data)
    header = excel_rows.read_sheet(io.BytesIO(data))[0]
    actions.set_mapping(acting_user=user, staged=staged, mapping=excel_rows.guess_mapping(header))
    return staged


def _apply(user, staged):
    job = actions.start_excel_import(acting_user=user, staged=staged)
    run_job(job.pk, 1)
    job.refresh_from_db()
    return job


def test_every_bad_row_is_named_with_its_problems_in_chinese(clerk, cast):
    rows = _good_rows(3)
    birth = dt.date(1990, 5, 5)
    good = _number(birth, "M", 77)
    rows += [
        _row("错号", good[:17] + ("0" if good[17] != "0" else "1"), birth),            # check digit
        _row("外单位", _number(birth, "M", 78), birth, unit="不存在的镇"),               # unknown unit
        _row("未来", _number(birth, "M", 79), birth, **{"参加工作时间": "2099.01"}),   # date out of range
        _row("重复", rows[0][1], dt.date(1980, 3, 1)),                                  # duplicate
        _row("坏月份", _number(birth, "M", 80), birth, **{"入党时间": "2010.13"}),
    ]
    staged = _stage(clerk, _xlsx(rows))
    checked = {r.number: r.problems for r in check_staged(clerk, staged) if r.problems}
    assert set(checked) == {5, 6, 7, 8, 9}
    assert "校验位" in checked[5][0]
    assert checked[6] == ["工作单位“不存在的镇”不存在或不在您的数据范围内。"]
    assert "超出范围" in checked[7][0]
    assert checked[8] == ["身份证号码与第 2 行重复。"]
    assert "不是有效的年月" in checked[9][0]


def test_nothing_is_saved_while_a_row_has_a_problem(clerk, cast):
    birth = dt.date(1990, 5, 5)
    staged = _stage(clerk, _xlsx(_good_rows(2) + [_row("外单位", _number(birth, "M", 81), birth, unit="火星")]))
    count = Cadre.objects.count()
    job = _apply(clerk, staged)
    assert job.status == JobStatus.FAILED and "第 4 行" in job.error
    assert Cadre.objects.count() == count


def test_fix_one_row_skip_another_then_import_with_progress(clerk, cast):
    birth = dt.date(1990, 5, 5)
    bad_unit = _row("改单位", _number(birth, "F", 82), birth, sex="女", unit="火星")
    bad_id = _row("跳过我", "371621199005050000", birth)
    staged = _stage(clerk, _xlsx(_good_rows(4) + [bad_unit, bad_id]))
    # the clerk fixes row 6 and skips row 7
    actions.fix_row(acting_user=clerk, staged=staged, number=6, values={"org_unit": "李庄镇党政办"})
    actions.skip_row(acting_user=clerk, staged=staged, number=7)
    staged.refresh_from_db()
    assert not [r for r in check_staged(clerk, staged) if r.problems]
    job = _apply(clerk, staged)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.done, job.total) == (5, 5)
    assert job.result["created"] == 5 and job.result["skipped"] == 1
    assert Cadre.objects.get(name="改单位").org_unit == cast["lizhuang_office"]
    assert not Cadre.objects.filter(name="跳过我").exists()
    assert Event.objects.filter(kind="exchange.excel.imported").count() == 1


def test_reimporting_the_same_file_changes_nothing(clerk, cast):
    data = _xlsx(_good_rows(5))
    _apply(clerk, _stage(clerk, data))
    snapshot = list(Cadre.objects.order_by("pk").values())
    events = Event.objects.count()
    job = _apply(clerk, _stage(clerk, data))
    assert job.result["unchanged"] == 5 and job.result["created"] == job.result["updated"] == 0
    assert list(Cadre.objects.order_by("pk").values()) == snapshot
    assert Event.objects.count() == events


def test_an_imported_cadre_holds_what_the_orm_would_have_saved(clerk, cast):
    """The job's own INSERT (defaults written into the statement, a row's values as one tuple)
    against a model instance made from the same checked values: every column the same."""
    rows = _good_rows(4)
    rows[0][HEADER.index("健康状况")] = ""                 # health: 健康
    rows[1][HEADER.index("政治面貌")] = ""                 # political status: the model's default
    rows[1][HEADER.index("籍贯")] = ""
    rows[2][HEADER.index("职级")] = ""                     # no rank
    rows[2][HEADER.index("入党时间")] = "2001.07"
    rows[3][HEADER.index("全日制学历")] = ""
    rows[3][HEADER.index("专业技术职务")] = "工程师"
    staged = _stage(clerk, _xlsx(rows))
    checked = check_staged(clerk, staged)
    job = _apply(clerk, staged)
    assert job.result["created"] == 4, job.error
    columns = [f.attname for f in Cadre._meta.concrete_fields if f.attname not in ("id", "created_at", "updated_at")]
    for row in checked:
        made = Cadre(**_values_for_model(row))
        made.name_pinyin, made.name_initials = search_keys(made.name)
        saved = Cadre.objects.filter(id_number=row.values["id_number"]).values(*columns).get()
        assert saved == {name: getattr(made, name) for name in columns}
    assert Cadre.objects.get(id_number=checked[2].values["id_number"]).rank is None


def test_a_changed_row_updates_that_cadre_only(clerk, cast):
    rows = _good_rows(3)
    _apply(clerk, _stage(clerk, _xlsx(rows)))
    rows[1][HEADER.index("现任职务")] = "李庄镇副镇长"
    job = _apply(clerk, _stage(clerk, _xlsx(rows)))
    assert (job.result["updated"], job.result["unchanged"]) == (1, 2)
    assert Cadre.objects.get(name="测试1").current_post_title == "李庄镇副镇长"


def test_the_mapping_page_accepts_other_column_orders(clerk, client, cast):
    rows = _good_rows(2)
    order = [HEADER.index(h) for h in ("工作单位", "姓名", "公民身份号码")]
    data = _xlsx([[r[i] for i in order] for r in rows], header=["单位名称", "名字", "证件号"])
    client.force_login(clerk)
    response = client.post("/exchange/excel/upload/", {"excel-file": io.BytesIO(data)}, format="multipart")
    staged = StagedImport.objects.get(owner=clerk)
    assert response["Location"] == f"/exchange/excel/{staged.pk}/mapping/"
    page = client.get(response["Location"]).content.decode()
    assert "名字" in page and "证件号" in page
    response = client.post(f"/exchange/excel/{staged.pk}/mapping/", {"col_org_unit": "0", "col_name": "1",
                                                                     "col_id_number": "2"})
    assert response.status_code == 302
    preview = client.get(f"/exchange/excel/{staged.pk}/preview/").content.decode()
    assert "可导入 2 行" in preview


def test_the_template_downloads_with_the_columns(clerk, client):
    client.force_login(clerk)
    sheet = load_workbook(io.BytesIO(client.get("/exchange/excel/template.xlsx").content)).active
    assert [c.value for c in sheet[1]] == HEADER


def test_apply_job_is_what_the_worker_runs(clerk, cast):
    staged = _stage(clerk, _xlsx(_good_rows(2)))
    job = actions.start_excel_import(acting_user=clerk, staged=staged)
    assert job.func == "gongxin.exchange.excel_import.apply_job" and job.params == {"staged_id": staged.pk}
    assert actions.start_excel_import(acting_user=clerk, staged=staged).pk == job.pk  # double submit
    assert Job.objects.count() == 1
    from django.utils.module_loading import import_string

    assert import_string(job.func) is apply_job
