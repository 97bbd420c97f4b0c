"""Working days on the State Council calendar (R17). Pure: no database."""

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongxin.publicity import workdays

D = dt.date


def test_the_package_dates_this_test_relies_on():
    # National Day 2025: 1–8 October off, Sunday 28 September and Saturday 11 October worked.
    assert chinese_calendar.is_workday(D(2025, 9, 28)) and D(2025, 9, 28).isoweekday() == 7
    assert chinese_calendar.is_workday(D(2025, 10, 11)) and D(2025, 10, 11).isoweekday() == 6
    assert not any(chinese_calendar.is_workday(D(2025, 10, d)) for d in range(1, 9))
    # Spring Festival 2026: 15–23 February off, Saturday 14 February and 28 February worked.
    assert chinese_calendar.is_workday(D(2026, 2, 14)) and D(2026, 2, 14).isoweekday() == 6
    assert not any(chinese_calendar.is_workday(D(2026, 2, d)) for d in range(15, 24))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))


def test_national_day_2025_with_make_up_saturday():
    # given a notice published on Monday 29 September 2025
    period = workdays.period_end(D(2025, 9, 29), 5)
    # then the holiday does not count and the make-up Saturday does
    assert period.days == (D(2025, 9, 29), D(2025, 9, 30), D(2025, 10, 9), D(2025, 10, 10), D(2025, 10, 11))
    assert period.end == D(2025, 10, 11)
    assert period.warnings == ()


def test_national_day_2025_make_up_sunday_before_the_holiday():
    period = workdays.period_end(D(2025, 9, 27), 3)  # Saturday: off; Sunday 28th: worked
    assert period.days == (D(2025, 9, 28), D(2025, 9, 29), D(2025, 9, 30))


def test_spring_festival_2026():
    period = workdays.period_end(D(2026, 2, 12), 5)
    assert period.days == (D(2026, 2, 12), D(2026, 2, 13), D(2026, 2, 14), D(2026, 2, 24), D(2026, 2, 25))
    assert period.end == D(2026, 2, 25)


def test_national_day_2026():
    period = workdays.period_end(D(2026, 9, 30), 5)
    days = [d for d in period.days]
    assert days[0] == D(2026, 9, 30)
    assert all(chinese_calendar.is_workday(d) for d in days)
    assert not any(D(2026, 10, 1) <= d <= D(2026, 10, 7) for d in days)
    assert D(2026, 10, 10) in days  # a Saturday worked after the holiday


def test_start_on_a_holiday_counts_from_the_next_working_day():
    period = workdays.period_end(D(2025, 10, 1), 1)
    assert period.end == D(2025, 10, 9)


def test_add_working_days_excludes_the_start():
    assert workdays.add_working_days(D(2025, 9, 30), 1).end == D(2025, 10, 9)


def test_period_into_2027_warns_and_falls_back_to_weekdays():
    # given a period starting in the last week of 2026
    period = workdays.period_end(D(2026, 12, 28), 5)
    # then 2027 is unknown: Friday 1 January counts as a weekday, with a warning
    assert period.end == D(2027, 1, 1)
    assert period.unknown_years == (2027,)
    assert len(period.warnings) == 1 and "2027" in period.warnings[0]


def test_override_table_is_consulted_first_and_covers_the_year():
    overrides = {D(2027, 1, 1): False, D(2026, 12, 28): False}
    lookup = workdays.default_lookup(overrides)
    period = workdays.period_end(D(2026, 12, 28), 5, lookup, covered_years={2027})
    assert period.days == (D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31), D(2027, 1, 4), D(2027, 1, 5))
    assert period.warnings == ()


def test_a_table_marking_every_day_off_fails_loudly():
    with pytest.raises(ValueError):
        workdays.period_end(D(2026, 1, 5), 5, lambda day: False)


def test_zero_days_is_refused():
    with pytest.raises(ValueError):
        workdays.period_end(D(2026, 1, 5), 0)


@settings(max_examples=60, deadline=None)
@given(start=st.dates(min_value=D(2005, 1, 1), max_value=D(2026, 11, 30)), n=st.integers(1, 20))
def test_property_every_counted_day_is_a_workday_and_none_is_skipped(start, n):
    period = workdays.period_end(start, n)
    assert len(period.days) == n
    assert all(chinese_calendar.is_workday(d) for d in period.days)
    assert workdays.working_days_between(start, period.end) == n
    assert period.end >= start
