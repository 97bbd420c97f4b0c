"""Working days (R17): periods counted on the State Council's holiday calendar. Pure: no Django.

A day is a working day if, in this order:
1. the admin's override table says so (``overrides``: date → bool), else
2. the ``chinese_calendar`` package (State Council notices, make-up workdays included)
   knows the year, else
3. it is Monday to Friday, and the period carries a warning that the year is unknown,
   unless the override table covers that year (has at least one row in it: the admin has
   entered that year's notice).

``period_end`` and ``add_working_days`` take a ``lookup`` callable (date → bool | None, None
meaning "not known") so the Django side can pass its table without this module importing it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

Lookup = Callable[[dt.date], "bool | None"]

# Never loop for ever on a bad table (e.g. every day marked a holiday).
MAX_SPAN_DAYS = 366


@lru_cache(maxsize=8192)
def calendar_lookup(day: dt.date) -> bool | None:
    """The package's answer, or None for a year it does not know (memoised: the package's
    calendar is fixed for a release)."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def override_lookup(overrides: Mapping[dt.date, bool]) -> Lookup:
    def _lookup(day: dt.date) -> bool | None:
        return overrides.get(day)

    return _lookup


def chain(*lookups: Lookup) -> Lookup:
    """The first lookup with an answer wins."""

    def _lookup(day: dt.date) -> bool | None:
        for lookup in lookups:
            answer = lookup(day)
            if answer is not None:
                return answer
        return None

    return _lookup


def default_lookup(overrides: Mapping[dt.date, bool] | None = None) -> Lookup:
    return chain(override_lookup(overrides or {}), calendar_lookup)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    working_days: int
    days: tuple[dt.date, ...]
    warnings: tuple[str, ...] = field(default=())
    unknown_years: tuple[int, ...] = field(default=())


def _is_workday(day: dt.date, lookup: Lookup, covered_years: set[int], unknown: set[int]) -> bool:
    answer = lookup(day)
    if answer is not None:
        return answer
    if day.year not in covered_years:
        unknown.add(day.year)
    return day.isoweekday() <= 5


def _walk(first: dt.date, n: int, lookup: Lookup, covered_years: Iterable[int]) -> Period:
    if n < 1:
        raise ValueError("a period has at least one working day")
    covered = set(covered_years)
    unknown: set[int] = set()
    days: list[dt.date] = []
    day = first
    while len(days) < n:
        if (day - first).days > MAX_SPAN_DAYS:
            raise ValueError(f"no {n} working days within a year of {first}: check the override table")
        if _is_workday(day, lookup, covered, unknown):
            days.append(day)
        day += dt.timedelta(days=1)
    warnings = tuple(
        f"{year} 年的法定节假日安排尚未收录（国务院办公厅通知发布后请在“工作日调整”中录入），"
        f"本期按周一至周五计算，请核对。"
        for year in sorted(unknown)
    )
    return Period(start=first, end=days[-1], working_days=n, days=tuple(days), warnings=warnings,
                  unknown_years=tuple(sorted(unknown)))


def period_end(start: dt.date, n: int, lookup: Lookup | None = None, covered_years: Iterable[int] = ()) -> Period:
    """A period of ``n`` working days that begins on ``start``: day 1 is ``start`` if it is a
    working day, else the next working day. ``end`` is the last working day of the period."""
    return _walk(start, n, lookup or default_lookup(), covered_years)


def add_working_days(start: dt.date, n: int, lookup: Lookup | None = None, covered_years: Iterable[int] = ()) -> Period:
    """The ``n``-th working day after ``start`` (``start`` itself not counted)."""
    return _walk(start + dt.timedelta(days=1), n, lookup or default_lookup(), covered_years)


def is_workday(day: dt.date, lookup: Lookup | None = None) -> bool | None:
    return (lookup or default_lookup())(day)


def working_days_between(first: dt.date, last: dt.date, lookup: Lookup | None = None) -> int:
    """Working days from ``first`` to ``last`` inclusive (unknown days as Monday–Friday)."""
    lookup = lookup or default_lookup()
    count, day = 0, first
    while day <= last:
        answer = lookup(day)
        if answer is None:
            answer = day.isoweekday() <= 5
        count += bool(answer)
        day += dt.timedelta(days=1)
    return count
