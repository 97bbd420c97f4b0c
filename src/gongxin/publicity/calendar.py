"""The Django side of working days: the override table plus the package calendar."""

import datetime as dt

from . import workdays
from .models import WorkdayOverride


def lookup_and_coverage(first: dt.date, years_ahead: int = 2):
    """(lookup, covered_years) for periods starting at ``first``: override rows from that
    year on are read once."""
    rows = WorkdayOverride.objects.filter(date__gte=dt.date(first.year, 1, 1),
                                          date__lt=dt.date(first.year + years_ahead + 1, 1, 1))
    overrides = {r.date: r.is_workday for r in rows}
    covered = {d.year for d in overrides}
    return workdays.default_lookup(overrides), covered


def publicity_period(start: dt.date, n: int) -> workdays.Period:
    lookup, covered = lookup_and_coverage(start)
    return workdays.period_end(start, n, lookup, covered)


def remaining_working_days(today: dt.date, end: dt.date) -> int:
    """Working days left in a period ending ``end``, today included if it is one."""
    if today > end:
        return 0
    lookup, _covered = lookup_and_coverage(today)
    return workdays.working_days_between(today, end, lookup)
