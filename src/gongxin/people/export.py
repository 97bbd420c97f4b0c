"""Excel export of the cadre list, with ID numbers masked unless the user may see them."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from gongxin.core.text import safe_row

HEADERS = [
    ("name", "姓名"), ("sex", "性别"), ("birth", "出生年月"), ("age", "年龄"), ("ethnicity", "民族"),
    ("political_status", "政治面貌"), ("education", "全日制学历"), ("unit", "工作单位"),
    ("post", "现任职务"), ("rank", "职级"), ("work_started", "参加工作时间"), ("id_number", "公民身份号码"),
]


def cadres_to_xlsx(cadres, *, show_id_numbers: bool) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("干部名册"))
    from openpyxl.cell import WriteOnlyCell

    header = []
    for _key, label in HEADERS:
        cell = WriteOnlyCell(ws, value=_(label))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for c in cadres.iterator(chunk_size=2000):
        ws.append(safe_row(ws, [
            c.name, c.get_sex_display(), f"{c.birth_date:%Y.%m}", c.age, c.ethnicity,
            c.get_political_status_display(), c.get_fulltime_education_display(), c.org_unit.name,
            c.current_post_title, c.rank.name if c.rank_id else "",
            f"{c.work_started:%Y.%m}" if c.work_started else "",
            c.id_number if show_id_numbers else c.masked_id_number,
        ]))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
