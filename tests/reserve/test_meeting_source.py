"""Recommendation into the pool from a recommendation meeting that belongs to no case: its
published nominees enter the pool with the votes cited; a case's meeting feeds its case."""

import datetime as dt

import pytest

from gongxin.core.errors import Conflict, DomainError
from gongxin.meetings import actions as ma
from gongxin.meetings.models import MeetingMode
from gongxin.reserve import actions
from gongxin.reserve.models import ReserveCadre

SEED = "reserve-seed-0123456789abcdef"


def ids(*cadres):
    return [str(c.pk) for c in cadres]


def test_published_meeting_feeds_the_pool(cast, make_cadre, admin, ranks):
    clerk = cast["users"]["clerk"]
    a, b = (make_cadre(cast["lizhuang"], name=n, birth=dt.date(1988, 1, 10)) for n in ("推荐甲", "推荐乙"))
    old = make_cadre(cast["lizhuang"], name="推荐老", birth=dt.date(1970, 1, 10))
    electors = [make_cadre(cast["lizhuang_office"], name=f"投票{i}", birth=dt.date(1975, 2, 3 + i)) for i in range(5)]
    meeting = ma.create_meeting(acting_user=clerk, title="李庄镇后备干部民主推荐会", org_unit=cast["lizhuang"],
                                mode=MeetingMode.OPEN)
    ma.add_post(acting_user=clerk, meeting=meeting, title="正科级后备干部", k=3)
    ma.add_electors(acting_user=clerk, meeting=meeting, cadres=electors)
    meeting, _, shares = ma.open_meeting(acting_user=clerk, meeting=meeting, seed=SEED)
    ma.check_in(acting_user=clerk, meeting=meeting, electors=list(meeting.electors.all()))
    codes = ma.generate_codes(acting_user=clerk, meeting=meeting, count=5)
    with pytest.raises(Conflict, match="尚未公布结果"):
        actions.enter_from_meeting(acting_user=admin, meeting=meeting, tier=2, target_rank=ranks["zhengke"])
    for code in codes:
        ma.cast_ballot(code=code, selections=[ids(a, b, old)])
    ma.close_meeting(acting_user=clerk, meeting=meeting, slips_issued=5, key_shares=shares[:2])
    ma.reveal_seed(acting_user=clerk, meeting=meeting, seed=SEED)
    ma.publish_results(acting_user=clerk, meeting=meeting)
    meeting.refresh_from_db()
    entered, refused = actions.enter_from_meeting(acting_user=admin, meeting=meeting, tier=2,
                                                  target_rank=ranks["zhengke"])
    assert {r.cadre.name for r in entered} == {"推荐甲", "推荐乙"}
    assert len(refused) == 1 and "推荐老" in refused[0] and "超过 45 岁" in refused[0]
    r = ReserveCadre.objects.get(cadre=a)
    assert r.source == "meeting" and r.source_meeting == meeting and "得 5 票" in r.source_note
    again, _refused = actions.enter_from_meeting(acting_user=admin, meeting=meeting, tier=2, target_rank=ranks["zhengke"])
    assert again == []


def test_a_case_meeting_does_not_feed_the_pool(cast, admin, ranks, posts):
    from gongxin.cases.actions import open_case

    case = open_case(acting_user=admin, title="x", org_unit=cast["lizhuang"], posts=[posts["lizhuang_head"]],
                     channels=["open_nomination"], motion_reason="x")
    meeting = ma.create_meeting(acting_user=admin, title="案件推荐会", org_unit=cast["lizhuang"], mode=MeetingMode.OPEN)
    meeting.case = case  # as the meetings app links a case's meeting
    with pytest.raises(DomainError, match="进入案件的提名"):
        actions.enter_from_meeting(acting_user=admin, meeting=meeting, tier=1, target_rank=ranks["zhengke"])
