"""The statistics dashboard's figures (DOMAIN §3.11). Each app's AppConfig may name
``dashboard_figures``: a callable returning ``FigureSpec``s. A figure is computed for a
``Scope`` (a year, a unit and its subtree, within the user's data scope) as bars; each bar names
a ``part`` and the figure's ``records(scope, part)`` lists the records behind it, so every number
on the dashboard opens the list it counts. An app that is not installed contributes nothing:
its figures are absent, not zero."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.module_loading import import_string

from gongxin.accounts.scope import unit_q


@dataclass
class Scope:
    user: object
    year: int
    unit: object | None = None  # an OrgUnit: the figure counts it and every unit below it

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    def units(self, field: str) -> Q:
        """Rows whose ``field`` (a foreign key to OrgUnit) is in the chosen unit's subtree and in
        the user's data scope."""
        q = unit_q(self.user, field)
        if self.unit is not None:
            q &= Q(**{f"{field}__path__startswith": self.unit.path})
        return q

    def query(self, **extra) -> str:
        params = {"year": self.year, **({"unit": self.unit.pk} if self.unit is not None else {}), **extra}
        return urlencode(params)


@dataclass
class Bar:
    label: str
    value: int
    part: str = ""


@dataclass
class Cell:
    text: str
    url: str = ""


@dataclass
class Records:
    """The records behind a bar: ``queryset`` (paged in the database) and ``row`` turning one
    of its objects into cells under ``columns``."""

    columns: list[str]
    queryset: object
    row: Callable[[object], list[Cell]]


@dataclass
class FigureSpec:
    key: str
    title: str
    compute: Callable[[Scope], list[Bar]]
    records: Callable[[Scope, str], "Records"]
    unit: str = "人"
    note: str = ""  # what the figure counts, in one sentence
    order: int = 100
    chart: str = "bar"  # "bar" or "funnel" (bars in the order given, each a share of the first)


@dataclass
class Figure:
    spec: FigureSpec
    bars: list[Bar]
    scope: Scope
    extra: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(b.value for b in self.bars)

    def link(self, part: str) -> str:
        return reverse("workbench:figure_records", args=[self.spec.key]) + "?" + self.scope.query(part=part)


def specs() -> list[FigureSpec]:
    out = []
    for config in apps.get_app_configs():
        path = getattr(config, "dashboard_figures", None)
        if path:
            out.extend(import_string(path)())
    return sorted(out, key=lambda s: (s.order, s.key))


def spec(key: str) -> FigureSpec | None:
    return next((s for s in specs() if s.key == key), None)


def compute(scope: Scope) -> list[Figure]:
    return [Figure(s, s.compute(scope), scope) for s in specs()]


def cadre_cell(cadre) -> Cell:
    return Cell(cadre.name, reverse("people:cadre_detail", args=[cadre.pk]))


def labelled(counts: dict, choices, *, keep_zero: bool = True) -> list[Bar]:
    """Bars in the order of ``choices`` (a TextChoices) from {value: count}."""
    return [Bar(str(label), counts.get(value, 0), str(value)) for value, label in choices.choices
            if keep_zero or counts.get(value)]
