import datetime as dt

import pytest

from gongxin.evaluation import actions
from gongxin.people import actions as people_actions
from gongxin.people.models import PostKind
from gongxin.publicity import actions as publicity_actions
from tests.meetings.conftest import close_with_shares, open_with_shares  # noqa: F401 - re-exported


@pytest.fixture
def appoint(cast, posts):
    """appoint(cadre, on): a real appointment (publicity's action) to 李庄镇党委书记 from ``on``."""
    def _appoint(cadre, on: dt.date, post="lizhuang_secretary"):
        return publicity_actions.appoint(acting_user=cast["users"]["clerk"], cadre=cadre, post=posts[post], start=on,
                                         probation=False)
    return _appoint


@pytest.fixture
def members(cast, make_cadre):
    """Nine plenary members."""
    return [make_cadre(cast["lizhuang_office"], name=f"委员{i}", birth=dt.date(1970 + i, 2, 3)) for i in range(9)]


@pytest.fixture
def promoted(cast, make_cadre, appoint, ranks):
    """Two cadres appointed in 2025: one on 31 December; a third on 1 January 2026."""
    a = make_cadre(cast["lizhuang"], name="甲一", rank="zhengke", birth=dt.date(1982, 1, 1))
    b = make_cadre(cast["lizhuang"], name="乙二", rank="zhengke", birth=dt.date(1983, 1, 1))
    c = make_cadre(cast["lizhuang"], name="丙三", rank="zhengke", birth=dt.date(1984, 1, 1))
    appoint(a, dt.date(2025, 3, 1))
    appoint(b, dt.date(2025, 12, 31), post="lizhuang_head")
    deputy = people_actions.create_post(acting_user=None, org_unit=cast["lizhuang"], title="副镇长", rank=ranks["zhengke"],
                                        kind=PostKind.LEADERSHIP)
    publicity_actions.appoint(acting_user=cast["users"]["clerk"], cadre=c, post=deputy, start=dt.date(2026, 1, 1),
                              probation=False)
    return a, b, c


@pytest.fixture
def evaluation(cast, members, promoted):
    return actions.create_evaluation(acting_user=cast["users"]["clerk"], org_unit=cast["lizhuang"], year=2025,
                                     meeting_date=dt.date(2026, 1, 20), electors=members)
