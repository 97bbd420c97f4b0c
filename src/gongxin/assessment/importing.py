"""Unit results from an Excel workbook: a template to fill (openpyxl), a preview (the workbook
read with python-calamine) that lists every row's problem in Chinese before anything is saved,
and the rows to apply, signed with the file's name and SHA-256 so that the apply step gets exactly
what was previewed and its ledger event names the file.

A sheet's first row holds the headers: 单位名称, then one column per indicator (its name or its
code). One sheet per unit category, or one sheet for all."""

import hashlib
import io

from django.core import signing
from django.utils.translation import gettext as _

from gongxin.people.models import OrgUnit

MAX_ROWS = 5_000
MAX_BYTES = 5 * 1024 * 1024
SALT = "gongxin.assessment.import"


def template(year, units) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for system in year.systems.prefetch_related("indicators").order_by("category"):
        sheet = book.create_sheet(system.get_category_display()[:31])
        indicators = list(system.indicators.all())
        sheet.append([_("单位名称"), *[f"{i.name}" for i in indicators]])
        for unit in units.filter(kind=system.category).order_by("path"):
            sheet.append([unit.name])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def preview(upload, *, year, units) -> dict:
    """{"rows": [{sheet, line, unit, values, problems}], "ok": n, "bad": n, "sha256", "token": signed rows}."""
    from python_calamine import CalamineWorkbook

    if upload.size > MAX_BYTES:
        return {"error": _("文件超过 5 MB，请拆分后导入。")}
    data = upload.read()
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in book.sheet_names]
    except Exception:  # noqa: BLE001 - calamine raises several kinds for a file that is not a workbook
        return {"error": _("无法读取该文件，请上传 .xlsx 格式的 Excel 工作簿。")}
    systems = {s.category: s for s in year.systems.prefetch_related("indicators")}
    by_name = {u.name: u for u in units}
    rows, total = [], 0
    for title, lines in sheets:
        header = lines[0] if lines else None
        if not header or str(header[0] or "").strip() != "单位名称":
            rows.append({"sheet": title, "line": 1, "unit": "", "values": {},
                         "problems": [_("第一行第一列应为“单位名称”，其后每列一个指标。")]})
            continue
        columns = [str(h or "").strip() for h in header[1:]]
        for line, cells in enumerate(lines[1:], start=2):
            if not any(c not in (None, "") for c in cells):
                continue
            total += 1
            if total > MAX_ROWS:
                return {"error": _("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS}}
            rows.append(_check_row(title, line, cells, columns, by_name, systems))
    good = [r for r in rows if not r["problems"]]
    name = str(getattr(upload, "name", "") or "")[:200]
    token = signing.dumps({"year": year.year, "file": name, "sha256": sha256,
                           "rows": [[r["unit_id"], r["values"]] for r in good]}, salt=SALT, compress=True)
    return {"rows": rows, "ok": len(good), "bad": len(rows) - len(good), "sha256": sha256, "token": token}


def _check_row(sheet, line, cells, columns, by_name, systems) -> dict:
    name = str(cells[0] or "").strip()
    row = {"sheet": sheet, "line": line, "unit": name, "unit_id": None, "values": {}, "problems": []}
    unit: OrgUnit | None = by_name.get(name)
    if unit is None:
        row["problems"].append(_("单位“%(name)s”不存在或不在您的数据范围内。") % {"name": name or "（空）"})
        return row
    system = systems.get(unit.kind)
    if system is None:
        row["problems"].append(_("%(name)s 的单位类别没有本年度的指标体系。") % {"name": name})
        return row
    row["unit_id"] = unit.pk
    lookup = {}
    for ind in system.indicators.all():
        lookup[ind.name], lookup[ind.code] = ind, ind
    for header, value in zip(columns, cells[1:], strict=False):
        if not header or value in (None, ""):
            continue
        ind = lookup.get(header)
        if ind is None:
            row["problems"].append(_("“%(col)s”不是%(system)s的指标。") % {"col": header, "system": system.name})
            continue
        try:
            number = float(str(value).replace(",", "").replace("%", "").strip())
        except ValueError:
            row["problems"].append(_("“%(col)s”应为数字，现为“%(value)s”。") % {"col": header, "value": value})
            continue
        if number != number or abs(number) > 1e12:
            row["problems"].append(_("“%(col)s”的数值超出范围。") % {"col": header})
            continue
        row["values"][ind.code] = number
    if not row["values"] and not row["problems"]:
        row["problems"].append(_("这一行没有任何指标数值。"))
    return row


def rows_from_token(token: str, *, year) -> tuple[list[tuple[int, dict]], dict]:
    """The previewed good rows, as signed at preview (an hour at most), and the file they came
    from ({"file", "sha256"}); nothing for a token that is not the preview's."""
    try:
        data = signing.loads(token, salt=SALT, max_age=3600)
    except signing.BadSignature:
        return [], {}
    if data.get("year") != year.year:
        return [], {}
    return ([(int(unit_id), values) for unit_id, values in data["rows"]],
            {"file": data.get("file", ""), "sha256": data.get("sha256", "")})
