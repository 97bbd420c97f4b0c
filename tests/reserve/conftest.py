import datetime as dt

import pytest

from gongxin.people import actions as people_actions
from gongxin.reserve import actions


@pytest.fixture
def admin(cast):
    return cast["users"]["org_admin"]


@pytest.fixture
def clerk(cast):
    return cast["users"]["clerk"]


@pytest.fixture
def young(cast, make_cadre):
    """A 38-year-old bachelor with nothing against him."""
    def _make(name="周青", unit=None, birth=dt.date(1988, 5, 20), **fields):
        return make_cadre(unit or cast["lizhuang"], name=name, birth=birth, **fields)
    return _make


@pytest.fixture
def enter(admin, ranks):
    def _enter(cadre, tier=1, on=None, **kw):
        return actions.enter_reserve(acting_user=admin, cadre=cadre, tier=tier, target_rank=ranks["zhengke"],
                                     source=kw.pop("source", "organisation"), entered_on=on or dt.date(2026, 1, 10),
                                     profile=kw.pop("profile", "工作扎实"), **kw)
    return _enter


@pytest.fixture
def graduate(admin):
    """Enrol ``cadres`` in a new class and graduate them on ``on``."""
    counter = {"n": 0}

    def _graduate(cadres, on, *, grade="good"):
        counter["n"] += 1
        tc = actions.create_training_class(acting_user=admin, name=f"第{counter['n']}期中青班",
                                           starts_on=on - dt.timedelta(days=30), ends_on=on, curriculum="党性教育")
        session = actions.add_session(acting_user=admin, training_class=tc, held_on=on - dt.timedelta(days=20),
                                      topic="党章学习")
        trainees = [actions.enrol_trainee(acting_user=admin, training_class=tc, cadre=c) for c in cadres]
        actions.record_attendance(acting_user=admin, session=session, present=[t.pk for t in trainees])
        for t in trainees:
            actions.evaluate_trainee(acting_user=admin, trainee=t, grade=grade, comment="学习认真")
        actions.graduate_class(acting_user=admin, training_class=tc, on=on)
        return tc
    return _graduate


def grade(cadre, year, value):
    people_actions.set_annual_grade(acting_user=None, cadre=cadre, year=year, grade=value)
