import datetime as dt

import pytest

from gongxin.cases import actions
from gongxin.cases.models import CaseStage, Channel
from gongxin.inspection import actions as inspection_actions
from tests.cases.conftest import admin, case, clerk, eligible, members, own_guards_only  # noqa: F401


@pytest.fixture
def county_clerk(cast, county):
    from gongxin.accounts.roles import DataScope, Role
    from tests.conftest import _user

    return _user("county_clerk", Role.CLERK, DataScope.ALL, [county["root"]], full_name="赵经办", email="zhao@example.cn")


@pytest.fixture
def at_inspection(case, admin, eligible):  # noqa: F811 (fixtures imported above)
    """The 李庄镇 case at inspection with two candidates, joint review sent to every department:
    one candidate's answers due yesterday (overdue), the other's in five days."""
    from django.utils import timezone

    today = timezone.localdate()
    actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.NOMINATION)
    first = actions.add_candidate(acting_user=admin, case=case, cadre=eligible("钱甲"), channel=Channel.OPEN_NOMINATION)
    second = actions.add_candidate(acting_user=admin, case=case, cadre=eligible("孙乙"), channel=Channel.PERFORMANCE)
    actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.CANDIDATES)
    actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.INSPECTION)
    inspection_actions.send_review_requests(acting_user=admin, candidate=first, deadline=today - dt.timedelta(days=1),
                                            sent_on=today - dt.timedelta(days=8))
    inspection_actions.send_review_requests(acting_user=admin, candidate=second, deadline=today + dt.timedelta(days=5),
                                            sent_on=today - dt.timedelta(days=2))
    return {"case": case, "late": first, "due": second, "today": today}
