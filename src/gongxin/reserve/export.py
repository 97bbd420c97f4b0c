"""Excel export of the pool list (the filters the page shows)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

HEADERS = ["姓名", "性别", "出生年月", "年龄", "政治面貌", "全日制学历", "工作单位", "现任职务", "层次", "拟培养职级",
           "推荐来源", "入库日期", "近期可提拔", "状态"]


def pool_to_xlsx(rows) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("后备干部"))
    header = []
    for label in HEADERS:
        cell = WriteOnlyCell(ws, value=_(label))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    today = timezone.localdate()
    for r in rows.iterator(chunk_size=2000):
        c = r.cadre
        ws.append([c.name, c.get_sex_display(), f"{c.birth_date:%Y.%m}", c.age_on(today), c.get_political_status_display(),
                   c.get_fulltime_education_display(), c.org_unit.name, c.current_post_title, r.get_tier_display(),
                   r.target_rank.name, r.get_source_display(), f"{r.entered_on:%Y-%m-%d}",
                   _("是") if r.ready_soon else "", r.get_status_display()])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
