import datetime as dt

import pytest

from gongxin.cases import actions
from gongxin.cases.models import Channel


@pytest.fixture
def admin(cast):
    return cast["users"]["org_admin"]


@pytest.fixture
def clerk(cast):
    return cast["users"]["clerk"]


@pytest.fixture
def case(cast, posts, admin):
    """A case for 李庄镇党委书记 in the nomination stage."""
    return actions.open_case(acting_user=admin, title="李庄镇党委书记选任", org_unit=cast["lizhuang"],
                             posts=[posts["lizhuang_secretary"]], channels=[Channel.OPEN_NOMINATION],
                             motion_reason="原书记调任", motion_date=dt.date(2026, 1, 5))
