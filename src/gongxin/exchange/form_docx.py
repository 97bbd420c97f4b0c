"""The 干部任免审批表 as .docx (python-docx): A4, the front page (the person, education,
posts, resume, photo) and the back page (rewards, grades, reasons, family, the 呈报单位 and
审批机关 blocks, 填表人 and date), laid out as the printed form is."""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .form_data import form_data
from .form_pdf import FAMILY_ROWS

FONT = "宋体"


def _style(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(18), Mm(16)
    section.left_margin = section.right_margin = Mm(16)


def _cell(table, row, col, text, *, span_to=None, down_to=None, center=False):
    cell = table.cell(row, col)
    if span_to is not None or down_to is not None:
        cell = cell.merge(table.cell(down_to if down_to is not None else row, span_to if span_to is not None else col))
    cell.text = ""
    lines = str(text).split("\n")
    paragraph = cell.paragraphs[0]
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        if i < len(lines) - 1:
            run.add_break()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return cell


def _front_cells(f: dict) -> list[tuple[int, int, str, dict]]:
    """(row, column, text, options) of the front table's first six rows; label cells centred."""
    label = {"center": True}
    return [
        (0, 0, "姓名", label), (0, 1, f["name"], {}), (0, 2, "性别", label), (0, 3, f["sex"], {}),
        (0, 4, "出生年月\n（岁）", label), (0, 5, f["birth"], {"span_to": 6}),
        (1, 0, "民族", label), (1, 1, f["ethnicity"], {}), (1, 2, "籍贯", label), (1, 3, f["native_place"], {}),
        (1, 4, "出生地", label), (1, 5, f["birthplace"], {"span_to": 6}),
        (2, 0, "入党\n时间", label), (2, 1, f["party_joined"], {}), (2, 2, "参加工\n作时间", label),
        (2, 3, f["work_started"], {}), (2, 4, "健康状况", label), (2, 5, f["health"], {"span_to": 6}),
        (3, 0, "专业技\n术职务", label), (3, 1, f["professional_title"], {"span_to": 2}),
        (3, 3, "熟悉专业\n有何专长", label), (3, 4, f["expertise"], {"span_to": 6}),
        (4, 0, "学历\n学位", {"center": True, "down_to": 5}),
        (4, 1, "全日制\n教育", label), (4, 2, f["fulltime_education"], {"span_to": 3}),
        (4, 4, "毕业院校\n系及专业", label), (4, 5, f["fulltime_school"], {"span_to": 7}),
        (5, 1, "在职\n教育", label), (5, 2, f["parttime_education"], {"span_to": 3}),
        (5, 4, "毕业院校\n系及专业", label), (5, 5, f["parttime_school"], {"span_to": 7}),
    ]


def form_docx(cadre) -> bytes:
    f = form_data(cadre)
    document = Document()
    _style(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("干部任免审批表")
    run.bold, run.font.size = True, Pt(20)

    # Front: 8 columns, as the printed form (labels, values, photo on the right).
    front = document.add_table(rows=10, cols=8)
    front.style = "Table Grid"
    front.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, col, text, opts in _front_cells(f):
        _cell(front, row, col, text, **opts)
    photo = _cell(front, 0, 7, "", down_to=3)
    if f["photo"] and f["photo_type"] in ("image/jpeg", "image/png", "image/gif", "image/bmp"):
        try:
            photo.paragraphs[0].add_run().add_picture(io.BytesIO(f["photo"]), width=Mm(26))
        except Exception:  # noqa: BLE001 - a photo python-docx cannot read: the box says so
            photo.paragraphs[0].add_run("照片")
    else:
        photo.paragraphs[0].add_run("照片")
    photo.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    c = _cell
    for row, label, key in ((6, "现任职务", "current_post"), (7, "拟任职务", "proposed_post"),
                            (8, "拟免职务", "proposed_removal")):
        c(front, row, 0, label, center=True, span_to=1)
        c(front, row, 2, f[key], span_to=7)
    c(front, 9, 0, "简\n\n\n历", center=True)
    c(front, 9, 1, "\n".join(f["resume"]), span_to=7)
    front.rows[9].height = Mm(150)

    # Back: a page break, then the second table.
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    family = f["family"] + [None] * max(0, FAMILY_ROWS - len(f["family"]))
    rows = 3 + 1 + len(family) + 2
    back = document.add_table(rows=rows, cols=7)
    back.style = "Table Grid"
    for row, label, key in ((0, "奖惩\n情况", "rewards"), (1, "年度考\n核结果", "annual"), (2, "任免\n理由", "reason")):
        c(back, row, 0, label, center=True)
        c(back, row, 1, f[key], span_to=6)
        back.rows[row].height = Mm(24)
    first = 3
    c(back, first, 0, "家庭主要\n成员及\n重要社会\n关系", center=True, down_to=first + len(family))
    for col, label in enumerate(("称谓", "姓名", "出生年月", "政治面貌"), start=1):
        c(back, first, col, label, center=True)
    c(back, first, 5, "工作单位及职务", center=True, span_to=6)
    for i, member in enumerate(family, start=first + 1):
        m = member or {}
        for col, key in ((1, "title"), (2, "name"), (3, "birth"), (4, "political_status")):
            c(back, i, col, m.get(key, ""))
        c(back, i, 5, m.get("work", ""), span_to=6)
    row = first + len(family) + 1
    c(back, row, 0, "呈报\n单位", center=True)
    c(back, row, 1, f"{f['reporting_unit']}\n\n（盖章）\n年　　月　　日", span_to=6)
    back.rows[row].height = Mm(30)
    c(back, row + 1, 0, "审批机\n关意见", center=True)
    c(back, row + 1, 1, "\n\n（盖章）\n年　　月　　日", span_to=3)
    c(back, row + 1, 4, "行政机\n关任免\n意见", center=True)
    c(back, row + 1, 5, "\n\n（盖章）\n年　　月　　日", span_to=6)
    back.rows[row + 1].height = Mm(30)
    foot = document.add_paragraph()
    foot.add_run(f"填表人：{f['filled_by']}").add_tab()
    foot.add_run(f"\t\t\t\t填表时间：{f['filled_on']}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
