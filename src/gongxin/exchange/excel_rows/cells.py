"""Reading the sheet (python-calamine), guessing the column mapping from the header row, a
cell's text, a month in the forms a roster writes it."""

import datetime as dt
import functools
import re

from python_calamine import CalamineWorkbook

from .columns import COLUMNS


def read_sheet(path_or_file) -> list[list]:
    """Every row of the first sheet, as Python values."""
    if hasattr(path_or_file, "read"):
        workbook = CalamineWorkbook.from_filelike(path_or_file)
    else:
        workbook = CalamineWorkbook.from_path(str(path_or_file))
    sheet = workbook.get_sheet_by_index(0)
    return sheet.to_python(skip_empty_area=False)


def guess_mapping(header: list) -> dict[str, int | None]:
    names = [re.sub(r"\s+", "", str(h or "")) for h in header]
    mapping = {}
    for name, label, others in COLUMNS:
        mapping[name] = next((i for i, h in enumerate(names) if h == label or h in others), None)
    return mapping


def cell_text(value) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return f"{value:%Y.%m.%d}"
    if isinstance(value, dt.date):
        return f"{value:%Y.%m.%d}"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value).strip()


SEXES = {"男": "M", "女": "F"}
MONTH_PATTERNS = (
    re.compile(r"^(\d{4})[.\-/年](\d{1,2})(?:[.\-/月](\d{1,2})日?)?月?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})?$"),
)


def parse_month(text: str) -> dt.date | None:
    """``1992.01``, ``1992-1``, ``199201``, ``1992年1月``, ``1992.01.15`` → the first of the month;
    raises ValueError when it is none of those or not a real month."""
    value = _month(text)
    if value is None:
        raise ValueError(text)
    return value


@functools.lru_cache(maxsize=4096)
def _month(text: str) -> dt.date | None:
    """(A roster's months repeat: each distinct text is parsed once.)"""
    for pattern in MONTH_PATTERNS:
        m = pattern.match(text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            try:
                if m.group(3):
                    dt.date(year, month, int(m.group(3)))  # a real day too
                return dt.date(year, month, 1)
            except ValueError:
                return None
    return None
