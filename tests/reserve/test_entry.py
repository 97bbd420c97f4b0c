"""R24 entry checks at their boundaries, through the eligibility engine (age at entry, education,
grades in the window, R8 bars, problem files)."""

import datetime as dt

import pytest

from gongxin.core.errors import DomainError
from gongxin.reserve.models import ReserveCadre

from .conftest import grade

ON = dt.date(2026, 1, 10)


AGE_TABLE = [
    # birth, passes, why
    (dt.date(1981, 1, 10), True, "turns 45 on entry day: exactly at the limit"),
    (dt.date(1980, 1, 11), True, "45 and 364 days"),
    (dt.date(1980, 1, 10), False, "turns 46 on entry day"),
    (dt.date(1975, 6, 1), False, "50"),
]


@pytest.mark.parametrize("birth, passes, why", AGE_TABLE, ids=[row[2] for row in AGE_TABLE])
def test_age_at_entry(young, enter, birth, passes, why):
    cadre = young(birth=birth)
    if passes:
        assert enter(cadre, on=ON).entry_check
    else:
        with pytest.raises(DomainError) as exc:
            enter(cadre, on=ON)
        assert exc.value.code == "reserve.entry_refused"
        assert "超过 45 岁" in exc.value.message


GRADE_TABLE = [
    # year of the grade, grade, passes
    (2023, "basically_competent", False),   # three years back from 2026: inside the window
    (2022, "basically_competent", True),    # four years back: outside
    (2025, "incompetent", False),
    (2025, "competent", True),
]


@pytest.mark.parametrize("year, value, passes", GRADE_TABLE, ids=[f"{y}-{g}" for y, g, _p in GRADE_TABLE])
def test_grades_in_window(young, enter, year, value, passes):
    cadre = young()
    grade(cadre, year, value)
    if passes:
        enter(cadre, on=ON)
    else:
        with pytest.raises(DomainError) as exc:
            enter(cadre, on=ON)
        assert f"{year} 年度考核为" in exc.value.message


EDUCATION_TABLE = [("associate", True), ("secondary_vocational", False), ("master", True)]


@pytest.mark.parametrize("education, passes", EDUCATION_TABLE)
def test_education(young, enter, education, passes):
    cadre = young(fulltime_education=education)
    if passes:
        enter(cadre, on=ON)
    else:
        with pytest.raises(DomainError, match="学历为中专，低于大专"):
            enter(cadre, on=ON)


def test_emigrated_spouse_and_open_problem_file_refused_with_every_reason(young, enter, admin):
    from gongxin.inspection import actions as ia
    from gongxin.people import actions as pa

    cadre = young()
    pa.add_relation(acting_user=None, cadre=cadre, kind="spouse", title="妻子", name="刘某", emigrated=True)
    ia.intake_complaint(acting_user=admin, cadre=cadre, channel="letter", text="反映其违规经商")
    with pytest.raises(DomainError) as exc:
        enter(cadre, on=ON)
    blockers = exc.value.details["blockers"]
    assert any("配偶已移居" in b for b in blockers)
    assert any("信访举报" in b for b in blockers)
    assert not ReserveCadre.objects.filter(cadre=cadre).exists()


def test_rule_row_change_moves_the_limit(young, enter, admin):
    """R24 is a row: raising max_entry_age to 46 lets the 46-year-old in."""
    from gongxin.cases.actions import edit_rule
    from gongxin.cases.models import Rule

    rule = Rule.objects.get(rule_set__version=1, code="R24", variant="")
    edit_rule(acting_user=admin, rule=rule, parameters={**rule.parameters, "max_entry_age": 46},
              effective_from=dt.date(2025, 1, 1), note="试点放宽")
    enter(young(birth=dt.date(1980, 1, 10)), on=ON)
