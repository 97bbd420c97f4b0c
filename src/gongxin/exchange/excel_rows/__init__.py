"""The cadre roster in Excel: the template's columns, reading a sheet (python-calamine),
guessing the column mapping from the header row, and checking each row, with every problem
written in Chinese. Pure package (no Django): units, ranks and cadres already held come in
as plain lookups, so it can be benchmarked and tested alone.

- ``columns``: the template's columns, the lookups a check needs, a row;
- ``cells``: reading the sheet, guessing the mapping, a cell's text, a month;
- ``checks``: checking every row (a one-pass check for clean rows, the full one with every
  problem for the rest)."""

from .cells import _month, cell_text, guess_mapping, parse_month, read_sheet
from .checks import _clean_row_checker, check_rows
from .columns import (
    COLUMNS,
    LABELS,
    MAX_LENGTH,
    MONTH_FIELDS,
    NAMES,
    REQUIRED,
    VALUE_NAMES,
    Lookups,
    Row,
)

__all__ = ["COLUMNS", "LABELS", "MAX_LENGTH", "MONTH_FIELDS", "NAMES", "REQUIRED", "VALUE_NAMES", "Lookups", "Row",
           "_clean_row_checker", "_month", "cell_text", "check_rows", "guess_mapping", "parse_month", "read_sheet"]
