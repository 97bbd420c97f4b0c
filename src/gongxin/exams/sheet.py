"""The examination centre's score sheet (准考证号, 姓名, 成绩): reading it (python-calamine),
finding the columns from the header row, and checking each row, every problem written in
Chinese. Pure module (no Django): the registrations come in as plain columns (``Held``) or a
ticket lookup, so it can be benchmarked and tested alone.

A blank score is a problem, never a zero: 缺考 and 取消资格 are written as words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import itemgetter

from python_calamine import CalamineWorkbook

from . import ranking

N_ = ranking.N_

COLUMNS = {"ticket_number": ("准考证号", "准考证号码", "考号"), "name": ("姓名",),
           "score": ("成绩", "分数", "笔试成绩", "面试成绩", "考试成绩")}
LABELS = {"ticket_number": N_("准考证号"), "name": N_("姓名"), "score": N_("成绩")}


@dataclass(slots=True)
class Row:
    number: int                      # the row's number in Excel (the header is row 1)
    ticket_number: str
    name: str
    score_text: str
    score: int | None = None         # hundredths or a mark, once valid
    registration: int | None = None  # the registration it scores
    problems: list[tuple[str, dict]] = field(default_factory=list)  # (Chinese msgid, args)
    skipped: bool = False
    messages: list[str] = field(default_factory=list)  # the problems in the reader's language (the preview)


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


def text_columns(rows: list[list], columns: dict) -> list[tuple[str, str, str]]:
    """The sheet's rows (without the header) as (ticket, name, score) texts: what the checks
    read, and what the import keeps of the file so it is read only once. Column by column:
    a column of text (tickets, names) is stripped in one pass, and a sheet's scores repeat, so
    each distinct number is turned into text once."""
    return list(zip(*text_lists(rows, columns), strict=True))


def text_lists(rows: list[list], columns: dict) -> list[list[str]]:
    """``text_columns`` as three lists: the tickets, the names and the scores."""
    width = min(map(len, rows), default=0)
    return [_column(rows, columns.get(f), width) for f in ("ticket_number", "name", "score")]


def _column(rows: list[list], index: int | None, width: int) -> list[str]:
    if index is None:
        return [""] * len(rows)
    if index < width:  # (every row has the cell: calamine's rows are as wide as the sheet)
        values = list(map(itemgetter(index), rows))
    else:
        values = [cells[index] if index < len(cells) else "" for cells in rows]
    try:  # a column of text (tickets, names): stripped in one C-level pass
        return list(map(str.strip, values))
    except TypeError:  # (a cell that is not text)
        pass
    # a sheet's scores repeat: each distinct value made text once, then looked up. Only for
    # text, floats and blanks, which a set tells apart (True == 1 == 1.0 would not be)
    distinct = set(values)
    if {type(v) for v in distinct} <= {str, float, type(None)}:
        texts = {v: text(v) for v in distinct}
        return list(map(texts.__getitem__, values))
    return [text(v) for v in values]


@dataclass(slots=True)
class Checked:
    """A whole sheet checked, kept small for 100,000 rows: Row objects only for the rows with
    a problem and the first ``keep`` rows (the preview's list); the good rows as scores."""
    count: int = 0                                          # rows (blank lines left out)
    scores: dict[int, int] = field(default_factory=dict)    # registration → score, good rows not skipped
    bad: list[Row] = field(default_factory=list)            # every row with a problem, skipped or not
    listed: list[Row] = field(default_factory=list)         # the first ``keep`` rows (all when keep is None)
    skipped: int = 0                                        # rows skipped on purpose

    @property
    def unresolved(self) -> list[Row]:
        return [r for r in self.bad if not r.skipped]


def check_rows(rows: list[list], columns: dict, tickets: dict[str, tuple[int, str, int | None]], *,
               fixes: dict | None = None, skipped=frozenset(), first_row: int = 2, texts: bool = False) -> list[Row]:
    """``rows`` without the header, as read (or, with ``texts``, as ``text_columns`` made
    them): every row checked (``check_texts``), as a list."""
    if not texts:
        rows = text_columns(rows, columns)
    return check_texts(rows, tickets, fixes=fixes, skipped=skipped, first_row=first_row).listed


@dataclass(slots=True)
class Held:
    """The registrations taking a component, as columns (in the order the database gives
    them): what a sheet is checked against (``check_columns``), without a tuple a
    registration. ``scores``: id → the score held, for those holding one (none, before a
    first import)."""
    ids: list[int]
    tickets: list[str]
    names: list[str]
    scores: dict[int, int] = field(default_factory=dict)

    @classmethod
    def of_rows(cls, rows) -> Held:
        """From (id, ticket, name, score held or None) rows."""
        if not rows:
            return cls([], [], [], {})
        ids, tickets, names, scores = map(list, zip(*rows, strict=True))
        return cls(ids, tickets, names, {pk: old for pk, old in zip(ids, scores, strict=True) if old is not None})

    def lookup(self) -> dict[str, tuple[int, str, int | None]]:
        """ticket → (id, name, score held): the row-by-row check's lookup."""
        get = self.scores.get
        return {t: (pk, name, get(pk)) for pk, t, name in zip(self.ids, self.tickets, self.names, strict=True)}


def check_columns(columns: list[list[str]], held: Held, *, fixes: dict | None = None, skipped=frozenset(),
                  first_row: int = 2, keep: int | None = None) -> Checked:
    """``check_texts`` of the three text columns (``text_lists``: tickets, names, scores)
    against the registrations' columns. A sheet with nothing to say, the usual case, is
    checked column by column in C-level passes (each ticket's place among the registrations
    looked up, the distinct score texts parsed once, the names compared); at the first thing
    a column pass cannot vouch for (an unknown or repeated ticket, a score that is not a
    score, a name that differs, a score already held, a skipped row), the sheet is checked
    row by row by ``check_texts``, which says what is wrong where."""
    ticket_col, name_col, score_col = columns
    fixes = {n: f for n, f in (fixes or {}).items() if f}
    if fixes:  # (a few typed cells: the columns copied with them in)
        ticket_col, score_col = list(ticket_col), list(score_col)
        for n, fix in fixes.items():
            i = int(n) - first_row
            if 0 <= i < len(ticket_col):
                ticket_col[i] = fix.get("ticket_number", ticket_col[i]).strip()
                score_col[i] = fix.get("score", score_col[i]).strip()
    clean = None if skipped else _clean(ticket_col, name_col, score_col, held)
    if clean is None:
        return check_texts(list(zip(ticket_col, name_col, score_col, strict=True)), held.lookup(),
                           skipped=skipped, first_row=first_row, keep=keep)
    ids, values = clean
    out = Checked(count=len(ids))
    out.scores = dict(zip(ids, values, strict=True))
    shown = len(ids) if keep is None else max(0, min(keep, len(ids)))
    out.listed = [Row(first_row + i, ticket_col[i], name_col[i], score_col[i], values[i], ids[i])
                  for i in range(shown)]
    return out


def _scores_of(score_col) -> list | None:
    """Each row's score (hundredths or a mark), each distinct text parsed once; None if one
    is not a score."""
    parsed = {}
    parse = ranking.parse_score
    for score_text in set(score_col):
        try:
            parsed[score_text] = parse(score_text)
        except ValueError:
            return None
    return list(map(parsed.__getitem__, score_col))


def _clean(ticket_col, name_col, score_col, held: Held) -> tuple[list, list] | None:
    """(each row's registration id, each row's score) if no row has a problem; else None.
    Each row's place among the registrations, looked up once, gives its id and name."""
    place = dict(zip(held.tickets, range(len(held.tickets)), strict=True))
    at = list(map(place.get, ticket_col))
    if None in at or len(set(at)) != len(at):
        return None  # (a blank line, an unknown ticket or one twice)
    values = _scores_of(score_col)
    if values is None:
        return None
    names = list(map(held.names.__getitem__, at))
    if name_col != names and not all(not name or name == real for name, real in zip(name_col, names, strict=True)):
        return None  # (a blank name is not checked)
    ids = list(map(held.ids.__getitem__, at))
    if held.scores:
        get = held.scores.get
        if not all(old is None or old == new for old, new in zip(map(get, ids), values, strict=True)):
            return None
    return ids, values


def check_texts(rows: list[list[str]], tickets: dict[str, tuple[int, str, int | None]], *,
                fixes: dict | None = None, skipped=frozenset(), first_row: int = 2, keep: int | None = None) -> Checked:
    """``rows``: [ticket, name, score] texts (``text_columns``), the first being Excel row
    ``first_row``. ``tickets``: ticket number → (registration id, name, score already recorded
    or None). A row fixed in the preview is read from ``fixes`` instead."""
    fixes = fixes or {}
    out = Checked()
    scores, bad, listed = out.scores, out.bad, out.listed
    last_listed = float("inf") if keep is None else first_row + keep - 1
    seen: dict[str, int] = {}
    parsed: dict[str, int | str] = {}  # score text → hundredths or a mark, or the msgid of its problem
    parse = ranking.parse_score
    count = n_skipped = 0
    for number, (ticket, name, score_text) in enumerate(rows, start=first_row):
        fix = fixes.get(str(number)) if fixes else None
        if fix:
            ticket = fix.get("ticket_number", ticket).strip()
            score_text = fix.get("score", score_text).strip()
        if not ticket and not name and not score_text:
            continue  # a blank line at the end of a sheet
        count += 1
        is_skipped = number in skipped
        n_skipped += is_skipped
        score = parsed.get(score_text)
        if score is None:
            try:
                score = parse(score_text)
            except ValueError as exc:
                score = exc.args[0]
            parsed[score_text] = score
        known = tickets.get(ticket)
        if known is not None and type(score) is int and (not name or name == known[1]) and ticket not in seen \
                and (known[2] is None or known[2] == score):
            # the common row: nothing to say
            seen[ticket] = number
            if not is_skipped:
                scores[known[0]] = score
            if number <= last_listed:
                listed.append(Row(number, ticket, name, score_text, score, known[0], skipped=is_skipped))
            continue
        row = Row(number, ticket, name, score_text, skipped=is_skipped)
        problems = row.problems
        if not ticket:
            problems.append((N_("没有准考证号"), {}))
        elif known is None:
            problems.append((N_("准考证号 %(t)s 不是本次考试的考生"), {"t": ticket}))
        else:
            row.registration = known[0]
            if name and name != known[1]:
                problems.append((N_("姓名“%(name)s”与准考证号 %(t)s 的考生“%(real)s”不符"),
                                 {"name": name, "t": ticket, "real": known[1]}))
        if type(score) is int:
            row.score = score
        else:
            problems.append((score, {"value": score_text}))
        if known is not None and row.score is not None and known[2] is not None and known[2] != row.score:
            problems.append((N_("已录入成绩 %(old)s，与表中 %(new)s 不同：如需修改请用“更正成绩”"),
                             {"old": ranking.show(known[2]), "new": score_text}))
        if ticket:
            if ticket in seen:
                problems.append((N_("准考证号 %(t)s 与第 %(row)s 行重复"), {"t": ticket, "row": seen[ticket]}))
            else:
                seen[ticket] = number
        bad.append(row)
        if number <= last_listed:
            listed.append(row)
    out.count, out.skipped = count, n_skipped
    return out
