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


class label_of:  # noqa: N801 (used like a function: a getter)
    """A getter: the label of ``row.<field_name>`` from the field's choices. ``bind()`` gives a
    faster getter with the active language's dict already looked up (once per page)."""

    def __init__(self, model, field_name: str, attr: str | None = None):
        self.model, self.field_name, self.attr = model, field_name, attr or field_name

    def __call__(self, row):
        value = getattr(row, self.attr)
        return choice_labels(self.model, self.field_name).get(value, value)

    def bind(self):
        labels, attr = choice_labels(self.model, self.field_name), self.attr

        def get(row):
            value = getattr(row, attr)
            return labels.get(value, value)

        return get


def link_to(url_name: str, attr: str = "pk") -> Callable[[Any], str]:
    """A row link built by string concatenation from one reversed address (no per-row
    ``reverse``); ``attr`` may follow relations ("cadre_id", "case.pk")."""
    cache: dict[str, tuple[str, str]] = {}

    names = attr.split(".")

    def parts() -> tuple[str, str]:
        from django.urls import get_urlconf

        key = f"{translation.get_language()}|{get_urlconf()}"
        found = cache.get(key)
        if found is None:
            address = reverse(url_name, args=[_MARK])
            head, _sep, tail = address.partition(str(_MARK))
            found = cache[key] = (head, tail)
        return found

    def value_of(row):
        value = row
        for name in names:
            value = getattr(value, name)
        return value

    def link(row) -> str:
        head, tail = parts()
        return f"{head}{value_of(row)}{tail}"

    def bind():
        head, tail = parts()
        if len(names) == 1:
            name = names[0]
            return lambda row: f"{head}{getattr(row, name)}{tail}"
        return lambda row: f"{head}{value_of(row)}{tail}"

    link.bind = bind
    return link


_today: list = [None, 0.0]


def today() -> dt.date:
    """The local date, looked up at most once a second (a list asks for it on every row)."""
    import time

    now = time.monotonic()
    if _today[0] is None or now - _today[1] > 1.0:
        from django.utils import timezone

        _today[0], _today[1] = timezone.localdate(), now
    return _today[0]


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
