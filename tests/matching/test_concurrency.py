"""On PostgreSQL: a double click on "close" closes once; rankings submitted while the clerk
closes either count (in before the close) or are refused (after it), never lost silently."""

import pytest

from gongxin.ledger.models import Event
from gongxin.matching import actions
from gongxin.matching.models import RoundStatus
from tests.concurrency import at_once

from .test_actions import STAFF_PREFS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_close_twice_at_once_closes_once(open_round, unit):
    outcomes = at_once(lambda i: actions.close_round(acting_user=unit["clerk"], round_=open_round).pk, 3)
    assert sorted(o[0] for o in outcomes) == ["ok", "refused", "refused"]
    assert {o[1] for o in outcomes if o[0] == "refused"} == {"matching.round.closed"}
    assert Event.objects.filter(kind="matching.round.closed").count() == 1


def test_rankings_racing_the_close_are_in_or_refused(open_round, unit):
    sec = {s.section.name: s for s in open_round.sections.select_related("section")}
    entries = list(open_round.staff.select_related("cadre"))

    def act(i):
        if i == len(entries):
            return actions.close_round(acting_user=unit["clerk"], round_=open_round).pk
        e = entries[i]
        return actions.submit_staff_ranking(acting_user=None, entry=e,
                                            ranking=[sec[s].pk for s in STAFF_PREFS[e.cadre.name]]).pk

    outcomes = at_once(act, len(entries) + 1)
    assert not [o for o in outcomes if o[0] == "error"]
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.CLOSED
    accepted = sum(1 for o in outcomes if o[0] == "ok") - 1
    refused = [o for o in outcomes if o[0] == "refused"]
    assert {o[1] for o in refused} <= {"matching.ranking.closed"}
    # every accepted ranking is in the inputs the round matched on
    in_inputs = sum(1 for lst in open_round.inputs["staff"].values() if lst)
    assert in_inputs == accepted
