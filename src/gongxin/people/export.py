"""Excel export of the cadre list, with ID numbers masked unless the user may see them."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from gongxin.core.text import safe_row

from . import idnumber

HEADERS = [
    ("name", "姓名"), ("sex", "性别"), ("birth", "出生年月"), ("age", "年龄"), ("ethnicity", "民族"),
    ("political_status", "政治面貌"), ("education", "全日制学历"), ("unit", "工作单位"),
    ("post", "现任职务"), ("rank", "职级"), ("work_started", "参加工作时间"), ("id_number", "公民身份号码"),
]


def cadres_to_xlsx(cadres, *, show_id_numbers: bool, progress=None) -> bytes:
    """``progress`` (a jobs Progress) is advanced as rows are written, when given. The
    collector is paused: a 100,000-row export makes millions of cells and row tuples, no cycles."""
    from gongxin.core.gcpause import gc_paused

    with gc_paused():
        return _cadres_to_xlsx(cadres, show_id_numbers=show_id_numbers, progress=progress)


def _cadres_to_xlsx(cadres, *, show_id_numbers: bool, progress=None) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("干部名册"))
    from openpyxl.cell import WriteOnlyCell

    header = []
    for _key, label in HEADERS:
        cell = WriteOnlyCell(ws, value=_(label))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    # Labels looked up once per export, not through get_FOO_display() per row (gettext and
    # make_hashable on every cell took half the time of a 100,000-row export).
    from django.utils import timezone

    from .models import Education, PoliticalStatus, Sex

    sex, political, education = ({k: str(v) for k, v in choices.choices} for choices in (Sex, PoliticalStatus, Education))
    today = timezone.localdate()
    born_before = (today.month, today.day)
    mask = (lambda number: number) if show_id_numbers else idnumber.mask
    step = 0
    # Plain tuples, not model instances: building three models a row (cadre, unit, rank) was
    # a fifth of a 100,000-row export.
    rows = cadres.values_list("name", "sex", "birth_date", "ethnicity", "political_status", "fulltime_education",
                              "org_unit__name", "current_post_title", "rank__name", "work_started", "id_number")
    for (name, sex_code, birth, ethnicity, political_code, education_code, unit, post, rank, work_started,
         number) in rows.iterator(chunk_size=2000):
        step += 1
        if progress is not None and step == 500:
            progress.advance(step)
            step = 0
        ws.append(safe_row(ws, [
            name, sex.get(sex_code, sex_code), f"{birth:%Y.%m}",
            today.year - birth.year - (born_before < (birth.month, birth.day)), ethnicity,
            political.get(political_code, political_code), education.get(education_code, ""), unit,
            post, rank or "", f"{work_started:%Y.%m}" if work_started else "", mask(number),
        ]))
    if progress is not None:
        progress.advance(step, _("正在生成文件"))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_job(*, job, progress, filters: dict, show_id_numbers: bool) -> dict:
    """The background job behind the roster's 导出 button: the same query as the list, as
    its starter sees it, written to .xlsx with progress."""
    from django.utils import timezone

    from .queries import CadreFilters, cadres_for_user

    qs = cadres_for_user(job.started_by, CadreFilters(**filters))
    progress.set_total(qs.count(), _("正在导出"))
    data = cadres_to_xlsx(qs, show_id_numbers=show_id_numbers, progress=progress)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    progress.save_file(f"cadres-{stamp}.xlsx", data,
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return {"summary": _("已导出 %(n)d 名干部。") % {"n": progress.total or 0}}
