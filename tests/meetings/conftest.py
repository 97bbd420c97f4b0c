import datetime as dt

import pytest

from gongxin.meetings import actions
from gongxin.meetings.models import MeetingMode

SEED = "seed-for-tests-0123456789abcdef"
KEY_SHARES: dict[int, list[str]] = {}   # meeting pk → the key shares its opening printed


def open_with_shares(**kwargs) -> actions.Opened:
    """``actions.open_meeting``, keeping the tellers' key shares for ``close_with_shares``."""
    opened = actions.open_meeting(**kwargs)
    KEY_SHARES[opened.meeting.pk] = opened.key_shares
    return opened


def close_with_shares(**kwargs):
    """``actions.close_meeting`` with two of the three tellers' shares (the default quorum)."""
    kwargs.setdefault("key_shares", KEY_SHARES[kwargs["meeting"].pk][1:])
    return actions.close_meeting(**kwargs)


@pytest.fixture
def nominees(cast, make_cadre):
    """Six more cadres in 李庄镇 who may be written in."""
    names = ["赵一", "钱二", "孙三", "周四", "吴六", "郑七"]
    return [make_cadre(cast["lizhuang"], name=n, birth=dt.date(1980 + i, 1, 10)) for i, n in enumerate(names)]


@pytest.fixture
def electors(cast, make_cadre):
    return [make_cadre(cast["lizhuang_office"], name=f"委员{i}", birth=dt.date(1970 + i, 2, 3)) for i in range(6)]


@pytest.fixture
def draft_meeting(cast, posts, nominees, electors):
    clerk = cast["users"]["clerk"]
    meeting = actions.create_meeting(acting_user=clerk, title="李庄镇领导班子海选推荐会", org_unit=cast["lizhuang"],
                                     mode=MeetingMode.OPEN)
    # posts by title only: write-ins need active status and scope (the qualification engine
    # applies when a meeting post is tied to a Post; see test_write_in_eligibility_uses_cases)
    actions.add_post(acting_user=clerk, meeting=meeting, title="李庄镇党委书记", k=1)
    actions.add_post(acting_user=clerk, meeting=meeting, title="李庄镇镇长", k=2)
    actions.add_electors(acting_user=clerk, meeting=meeting, cadres=electors)
    return meeting


@pytest.fixture
def open_meeting(cast, draft_meeting):
    clerk = cast["users"]["clerk"]
    meeting, _seed, _shares = open_with_shares(acting_user=clerk, meeting=draft_meeting, seed=SEED)
    actions.check_in(acting_user=clerk, meeting=meeting, electors=list(meeting.electors.all()))
    return meeting
