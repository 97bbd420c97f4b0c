"""Columns of a list: what a cell shows, where it links, how it sorts."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

_LABELS: dict[tuple, dict] = {}
_MARK = 987654321


@dataclass(frozen=True)
class Column:
    """``get(row)`` gives the cell's value (text, number, date; None shows blank); ``link(row)``
    its address. ``sort`` is the order_by paths this column sorts by (the primary key is added
    last), None when it does not sort. ``default=False`` columns are shown only when chosen.
    ``html=True``: ``get`` returns markup already escaped (format_html)."""

    key: str
    label: Any
    get: Callable[[Any], Any]
    link: Callable[[Any], str] | None = None
    sort: tuple[str, ...] | None = None
    default: bool = True
    css: str = ""
    html: bool = False
    export: Callable[[Any], Any] | None = None  # the value written to a file, when not get(row)
    extra: dict = field(default_factory=dict)


def choice_labels(model, field_name: str) -> dict:
    """{value: label} of a field's choices in the active language, built once per language
    (``get_FOO_display`` rebuilds the choices dict on every call)."""
    key = (model._meta.label, field_name, translation.get_language())
    labels = _LABELS.get(key)
    if labels is None:
        choices = model._meta.get_field(field_name).flatchoices
        labels = {value: str(label) for value, label in choices}
        _LABELS[key] = labels
    return labels


def label_of(model, field_name: str) -> Callable[[Any], Any]:
    """A getter: the label of the field's value (``row.<field_name>``)."""
    attr = field_name

    def get(row):
        value = getattr(row, attr)
        return choice_labels(model, field_name).get(value, value)

    return get


def link_to(url_name: str, attr: str = "pk") -> Callable[[Any], str]:
    """A row link built by string concatenation from one reversed address (no per-row
    ``reverse``); ``attr`` may follow relations ("cadre_id", "case.pk")."""
    cache: dict[str, tuple[str, str]] = {}

    def link(row) -> str:
        lang = translation.get_language() or ""
        parts = cache.get(lang)
        if parts is None:
            address = reverse(url_name, args=[_MARK])
            head, _sep, tail = address.partition(str(_MARK))
            parts = cache[lang] = (head, tail)
        value = row
        for name in attr.split("."):
            value = getattr(value, name)
        return f"{parts[0]}{value}{parts[1]}"

    return link


def text_of(value) -> str:
    """A cell's text: blank for None, dates as 2026-12-06, months kept as the caller gives."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if timezone.is_aware(value) else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, bool):
        from django.utils.translation import gettext

        return gettext("是") if value else gettext("否")
    if isinstance(value, Promise):
        return str(value)
    return str(value)
