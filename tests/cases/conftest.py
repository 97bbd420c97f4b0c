import datetime as dt

import pytest

from gongxin.cases import actions, guards
from gongxin.cases import facts as case_facts
from gongxin.cases.models import CaseStage, Channel
from gongxin.people import actions as people_actions

ALL_DONE = {"file": "done", "personal_matters_report": "done", "discipline_opinion": "done", "complaints": "done"}


@pytest.fixture
def own_guards_only(monkeypatch):
    """Other apps' guards, hooks and facts providers off: these tests are about the cases app's
    own workflow. ``extra`` lets a test register stand-ins for them."""
    from collections import defaultdict

    monkeypatch.setattr(guards, "_guards", defaultdict(list))
    monkeypatch.setattr(guards, "_on_enter", defaultdict(list))
    monkeypatch.setattr(guards, "_candidate_blockers", [])
    monkeypatch.setattr(guards, "_dossier_subjects", [])
    monkeypatch.setattr(guards, "_nomination_checks", [])
    monkeypatch.setattr(guards, "_candidate_notes", [])
    monkeypatch.setattr(case_facts, "_providers", [lambda cadre, on: {"four_checks": dict(ALL_DONE)}])
    return guards


@pytest.fixture
def admin(cast):
    return cast["users"]["org_admin"]


@pytest.fixture
def clerk(cast):
    return cast["users"]["clerk"]


@pytest.fixture
def eligible(cast, make_cadre, ranks):
    """Cadres who meet every default rule for a 正科 township head post."""
    made = []

    def _make(name, unit=None, **fields):
        data = dict(rank_since=dt.date(2020, 1, 1), party_joined=dt.date(2008, 7, 1), birth=dt.date(1984, 3, 3))
        data.update(fields)
        cadre = make_cadre(unit or cast["lizhuang"], name=name, **data)
        people_actions.add_resume_entry(acting_user=None, cadre=cadre, start=dt.date(2010, 1, 1),
                                        end=dt.date(2016, 1, 1), description="李庄镇党政办科员", is_grassroots=True)
        made.append(cadre)
        return cadre

    return _make


@pytest.fixture
def case(cast, posts, admin):
    """A case for 李庄镇党委书记 at its motion."""
    return actions.open_case(acting_user=admin, title="李庄镇党委书记选任", org_unit=cast["lizhuang"],
                             posts=[posts["lizhuang_secretary"]],
                             channels=[Channel.OPEN_NOMINATION, Channel.PERFORMANCE, Channel.SELF_NOMINATION],
                             motion_reason="原书记调任", motion_date=dt.date(2026, 1, 5))


@pytest.fixture
def members(make_cadre, county):
    """Nine committee members (cadres at the county Party committee)."""
    names = ["赵一", "钱二", "孙三", "周四", "吴五", "郑六", "冯七", "陈八", "褚九"]
    return [make_cadre(county["org_dept"], name=n, rank="fuchu", birth=dt.date(1970, 1, 1 + i))
            for i, n in enumerate(names)]


def drive(case, user, to, *, candidates, members=None, votes="agree"):
    """Take ``case`` to stage ``to`` with everything the cases app's own guards need."""
    order = list(CaseStage.values)
    target = order.index(to)
    while order.index(case.stage) < target:
        nxt = order[order.index(case.stage) + 1]
        if nxt == CaseStage.CANDIDATES and not case.candidates.exists():
            for cadre in candidates:
                actions.add_candidate(acting_user=user, case=case, cadre=cadre, channel=Channel.OPEN_NOMINATION,
                                      evidence={"recommended_on": "2026-01-20"})
        if nxt == CaseStage.PUBLICITY:
            meeting = actions.create_decision_meeting(
                acting_user=user, case=case, title="常委会", held_on=dt.date(2026, 3, 1),
                members=[{"name": m.name, "cadre": m} for m in members])
            actions.record_attendance(acting_user=user, meeting=meeting, present=[m.pk for m in meeting.members.all()])
            for cand in case.candidates.filter(status="active"):
                actions.record_votes(acting_user=user, meeting=meeting, candidate=cand,
                                     choices={m.pk: votes for m in meeting.members.all()})
            actions.close_decision_meeting(acting_user=user, meeting=meeting)
        if nxt == CaseStage.CLOSED:
            for cand in case.candidates.filter(status="active"):
                actions.appoint_candidate(acting_user=user, candidate=cand, start=dt.date(2026, 4, 1))
        case = actions.advance_case(acting_user=user, case=case, to_stage=nxt)
    return case
