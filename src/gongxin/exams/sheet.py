"""The examination centre's score sheet (准考证号, 姓名, 成绩): reading it (python-calamine),
finding the columns from the header row, and checking each row, every problem written in
Chinese. Pure module (no Django): the exam's tickets come in as a plain lookup, so it can be
benchmarked and tested alone.

A blank score is a problem, never a zero: 缺考 and 取消资格 are written as words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from python_calamine import CalamineWorkbook

from . import ranking

N_ = ranking.N_

COLUMNS = {"ticket_number": ("准考证号", "准考证号码", "考号"), "name": ("姓名",),
           "score": ("成绩", "分数", "笔试成绩", "面试成绩", "考试成绩")}
LABELS = {"ticket_number": N_("准考证号"), "name": N_("姓名"), "score": N_("成绩")}


@dataclass
class Row:
    number: int                      # the row's number in Excel (the header is row 1)
    ticket_number: str
    name: str
    score_text: str
    score: int | None = None         # hundredths or a mark, once valid
    registration: int | None = None  # the registration it scores
    problems: list[tuple[str, dict]] = field(default_factory=list)  # (Chinese msgid, args)
    skipped: bool = False


def read_sheet(path_or_file) -> list[list]:
    """Every row of the first sheet, as Python values."""
    if hasattr(path_or_file, "read"):
        workbook = CalamineWorkbook.from_filelike(path_or_file)
    else:
        workbook = CalamineWorkbook.from_path(str(path_or_file))
    return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)


def find_columns(header: list) -> dict[str, int | None]:
    names = [re.sub(r"\s+", "", str(h or "")) for h in header]
    return {f: next((i for i, h in enumerate(names) if h in words), None) for f, words in COLUMNS.items()}


def text(value) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.6f}".rstrip("0")
    return str(value).strip()


def check_rows(rows: list[list], columns: dict, tickets: dict[str, tuple[int, str, int | None]], *,
               fixes: dict | None = None, skipped=frozenset(), first_row: int = 2) -> list[Row]:
    """``rows`` without the header. ``tickets``: ticket number → (registration id, name, score
    already recorded or None). A row fixed in the preview is read from ``fixes`` instead."""
    fixes = fixes or {}
    ct, cn, cs = columns["ticket_number"], columns.get("name"), columns["score"]
    out: list[Row] = []
    seen: dict[str, int] = {}
    parse = ranking.parse_score
    for offset, cells in enumerate(rows):
        number = first_row + offset
        width = len(cells)
        ticket = text(cells[ct]) if ct < width else ""
        name = text(cells[cn]) if cn is not None and cn < width else ""
        score_text = text(cells[cs]) if cs < width else ""
        fix = fixes.get(str(number))
        if fix:
            ticket = fix.get("ticket_number", ticket).strip()
            score_text = fix.get("score", score_text).strip()
        if not ticket and not name and not score_text:
            continue  # a blank line at the end of a sheet
        row = Row(number, ticket, name, score_text, skipped=number in skipped)
        problems = row.problems
        known = tickets.get(ticket)
        if not ticket:
            problems.append((N_("没有准考证号"), {}))
        elif known is None:
            problems.append((N_("准考证号 %(t)s 不是本次考试的考生"), {"t": ticket}))
        else:
            row.registration = known[0]
            if name and name != known[1]:
                problems.append((N_("姓名“%(name)s”与准考证号 %(t)s 的考生“%(real)s”不符"),
                                 {"name": name, "t": ticket, "real": known[1]}))
        try:
            row.score = parse(score_text)
        except ValueError as exc:
            problems.append((exc.args[0], {"value": score_text}))
        if known is not None and row.score is not None and known[2] is not None and known[2] != row.score:
            problems.append((N_("已录入成绩 %(old)s，与表中 %(new)s 不同：如需修改请用“更正成绩”"),
                             {"old": ranking.show(known[2]), "new": score_text}))
        if ticket:
            if ticket in seen:
                problems.append((N_("准考证号 %(t)s 与第 %(row)s 行重复"), {"t": ticket, "row": seen[ticket]}))
            else:
                seen[ticket] = number
        out.append(row)
    return out
