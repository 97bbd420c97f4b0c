"""Free text, the same rule everywhere: forms, API schemas, models, exports.

Control characters (C0 except tab, newline and carriage return; DEL; C1) are refused: they
break Excel workbooks (openpyxl refuses them), XML exports and terminals, and no clerk types
them. ``safe_row`` strips them on the way out as well, for text stored before the rule."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def check_plain_text(value) -> None:
    if isinstance(value, str) and CONTROL.search(value):
        raise ValidationError(_("内容中含有不可见的控制字符，请删除后重新填写。"), code="control_character")


def strip_control(value: str) -> str:
    return CONTROL.sub("", value)


def safe_row(ws, values: list) -> list:
    """Values for a write-only openpyxl sheet: control characters removed (openpyxl refuses
    them, and one stored NUL byte would fail the whole export), and text starting with "="
    kept as text, never run as a formula. Only such text gets a cell of its own: openpyxl
    types every other string as text anyway, and a cell per value doubled its work."""
    from openpyxl.cell import WriteOnlyCell

    out = []
    for value in values:
        if isinstance(value, str):
            if CONTROL.search(value):
                value = CONTROL.sub("", value)
            if value.startswith("="):
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type = "s"
                value = cell
        out.append(value)
    return out
