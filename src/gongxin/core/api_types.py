"""Bounded input types for the API schemas, so out-of-range input is a 422 with a Chinese
message instead of a crash deeper down (a date past year 9999, an id SQLite cannot hold,
a page beyond any list), and free text with the same checks as the page forms."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator

from .text import check_plain_text

MAX_ID = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Field(ge=0, le=MAX_ID)]
Year = Annotated[int, Field(ge=1949, le=2100)]
Age = Annotated[int, Field(ge=0, le=150)]
Days = Annotated[int, Field(ge=-3660, le=3660)]


def _plain(value: str) -> str:
    try:
        check_plain_text(value)
    except DjangoValidationError as exc:
        raise ValueError(exc.messages[0]) from None
    return value


def _date_in_range(value: dt.date) -> dt.date:
    if not dt.date(1900, 1, 1) <= value <= dt.date(2100, 12, 31):
        from django.utils.translation import gettext as _

        raise ValueError(_("日期应在 1900 年至 2100 年之间。"))
    return value


Date = Annotated[dt.date, AfterValidator(_date_in_range)]

# Free text: no control characters (a NUL byte, an escape), as the forms refuse them.
Text = Annotated[str, AfterValidator(_plain)]


class Pages(PageNumberPagination):
    """Page numbers a list can have: page 10^20 is a 422, not an overflow in the database."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=1000)
