"""The demo meetings, built on a small county: the source's meeting is published with 11
nominees and the recount tool agrees with it; the open meeting's codes work."""

import datetime as dt
import json

from gongxin import recount
from gongxin.core.demo import DemoContext
from gongxin.meetings import actions, demo
from gongxin.meetings.models import MeetingStatus


def test_demo_meetings(cast, make_cadre):
    electors = [make_cadre(cast["org_dept"], name=f"委员{i:03d}", rank="zhengke", birth=dt.date(1970, 1, 1) + dt.timedelta(days=i))
                for i in range(150)]
    nominees = [make_cadre(cast["lizhuang"], name=f"人选{i:02d}", birth=dt.date(1982, 1, 1) + dt.timedelta(days=i))
                for i in range(24)]
    ctx = DemoContext(verbose=False)
    ctx.admin = cast["users"]["org_admin"]
    ctx.data = {"cadres": electors + nominees, "root": cast["root"], "units": {"root": cast["root"]},
                "townships": [cast["lizhuang"]], "clerk": cast["users"]["clerk"]}
    demo.build(ctx)

    source = ctx.data["source_meeting"]
    source.refresh_from_db()
    assert source.status == MeetingStatus.PUBLISHED
    result = source.result
    assert len(ctx.data["source_meeting_nominees"]) == 11
    assert [len(p["slate"]["nominees"]) for p in result.tally["posts"]] == [3, 3, 3, 2]
    assert all(p["slate"]["competitive"] for p in result.tally["posts"])
    assert result.accounting == {"present": 112, "issued": 112, "returned": 108, "spoiled": 2, "unreturned": 2,
                                 "balanced": True, "problems": []}
    assert result.tally["posts"][0]["invalid"] == 1  # the paper ballot with two names for one seat
    # the recount tool, fed the published file, gives the system's result
    assert recount.recount(recount.load(bytes(result.ballots_file))) == result.tally
    assert json.loads(bytes(result.ballots_file))["seed"] == source.seed

    # the open meeting: a newcomer can vote with one of the printed codes
    open_meeting = ctx.data["open_meeting"]
    assert open_meeting.status == MeetingStatus.OPEN
    code = ctx.data["open_meeting_codes"][0]
    assert actions.meeting_for_code(code) == open_meeting
    assert actions.cast_ballot(code=code, selections=[[]])
    # and any two of the printed key shares open its sealed box
    shares = ctx.data["open_meeting_key_shares"]
    assert len(shares) == 3 and open_meeting.is_sealed
    present = open_meeting.electors.filter(check_in__isnull=False).count()
    result = actions.close_meeting(acting_user=ctx.admin, meeting=open_meeting, slips_issued=present,
                                   key_shares=[shares[0], shares[2]])
    assert result.tally["ballots"] == 4
