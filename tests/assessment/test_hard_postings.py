"""What the dashboard's 8/13/5 count (the source: long service in townships, in its paragraph on
preferring cadres of poor, remote townships): each part asks for R23's years in hard postings,
counted from post holdings in a unit marked remote or any unit below it; each appointment counts
once, in the first part it fits (to a county department, else young, else a leadership post)."""

import datetime as dt

import pytest

from gongxin.assessment.dashboard import LONG, TO_COUNTY, YOUNG, part_of

REMOTE = ("0001.0009.",)          # a remote township; its offices and villages lie below it
TOWNS = ("0001.0009.", "0001.0010.")
COUNTY = ("0001.0003.",)          # a county department
ON = dt.date(2026, 6, 1)


def _holding(pk, path, start, end=None):
    return {"pk": pk, "path": path, "start": start, "end": end}


def _appointment(path, *, birth=dt.date(1980, 1, 1), kind="leadership", holding_id=99):
    return {"start": ON, "holding_id": holding_id, "birth": birth, "path": path, "post_kind": kind}


def _part(appointment, holdings, years=5):
    return part_of(appointment, holdings, years=years, hard=REMOTE, towns=TOWNS, county=COUNTY)


def test_five_years_in_a_remote_townships_office_counts_and_one_day_less_does_not():
    office = "0001.0009.0031."  # 党政办 of the remote township
    five = ON - dt.timedelta(days=1827)  # 1826.25 days are five years
    assert _part(_appointment("0001.0009."), [_holding(1, office, five)]) == LONG
    short = ON - dt.timedelta(days=1826)
    assert _part(_appointment("0001.0009."), [_holding(1, office, short)]) is None
    # the same years in a township not marked remote do not count
    assert _part(_appointment("0001.0010."), [_holding(1, "0001.0010.0040.", five)]) is None


def test_years_add_up_over_holdings_and_stop_at_the_appointment():
    holdings = [_holding(1, "0001.0009.", dt.date(2018, 1, 1), dt.date(2020, 12, 31)),  # 3 years less a day
                _holding(2, "0001.0003.", dt.date(2021, 1, 1), dt.date(2022, 12, 31)),  # not hard
                _holding(3, "0001.0009.0031.", dt.date(2023, 1, 1))]                     # to ON: 3.4 years
    assert _part(_appointment("0001.0009."), holdings) == LONG
    # the appointment's own holding is not service before it
    own = _holding(99, "0001.0009.", dt.date(2000, 1, 1))
    assert _part(_appointment("0001.0009."), [own]) is None


def test_each_appointment_counts_once_county_first_then_young_then_leadership():
    years = [_holding(1, "0001.0009.", dt.date(2015, 1, 1))]
    young = dt.date(1992, 6, 2)  # 33 on the day
    assert _part(_appointment("0001.0003.0012.", birth=young), years) == TO_COUNTY
    assert _part(_appointment("0001.0009.", birth=young), years) == YOUNG
    assert _part(_appointment("0001.0009.", birth=young, kind="staff"), years) == YOUNG
    assert _part(_appointment("0001.0009.", kind="staff"), years) is None  # not young, not a leading post
    # 35 on the very day is no longer young
    assert _part(_appointment("0001.0009.", birth=dt.date(1991, 6, 1)), years) == LONG


def test_to_county_means_from_a_township_post():
    from_department = [_holding(1, "0001.0009.", dt.date(2010, 1, 1), dt.date(2020, 1, 1)),
                       _holding(2, "0001.0004.", dt.date(2020, 1, 2))]
    assert _part(_appointment("0001.0003."), from_department) == LONG
    # a post of the county itself (the root) is not a county department
    assert _part(_appointment("0001."), [_holding(1, "0001.0009.", dt.date(2010, 1, 1))]) == LONG


@pytest.mark.parametrize("years", [3, 8])
def test_the_rule_sets_the_years(years):
    holdings = [_holding(1, "0001.0009.", ON - dt.timedelta(days=int(6 * 365.25)))]
    assert (_part(_appointment("0001.0009."), holdings, years=years) == LONG) is (years <= 6)
