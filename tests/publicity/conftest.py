import datetime as dt

import pytest

from gongxin.publicity import actions
from gongxin.publicity.models import NoticeKind
from tests.publicity.helpers import publish_as_of


@pytest.fixture
def publicity(cast, posts, make_cadre):
    """A pre-appointment notice in 李庄镇 for three cadres, published on Monday 9 Nov 2026
    (5 working days: ends Friday 13 Nov)."""
    clerk = cast["users"]["clerk"]
    zhao = make_cadre(cast["lizhuang"], name="赵六", birth=dt.date(1984, 2, 10))
    notice = actions.create_notice(acting_user=clerk, kind=NoticeKind.PRE_APPOINTMENT, title="李庄镇领导干部任前公示",
                                   org_unit=cast["lizhuang"], body="现予公示。")
    e_zhang = actions.add_notice_entry(acting_user=clerk, notice=notice, cadre=cast["cadres"]["zhang"],
                                       post=posts["lizhuang_secretary"])
    e_wang = actions.add_notice_entry(acting_user=clerk, notice=notice, cadre=cast["cadres"]["wang"],
                                      post=posts["lizhuang_head"])
    e_zhao = actions.add_notice_entry(acting_user=clerk, notice=notice, cadre=zhao)
    notice = publish_as_of(dt.date(2026, 11, 9), acting_user=clerk, notice=notice)
    return {"notice": notice, "clerk": clerk, "entries": {"zhang": e_zhang, "wang": e_wang, "zhao": e_zhao},
            "zhao": zhao, **cast, "posts": posts}


@pytest.fixture
def case_in_decision(cast, posts):
    """A case for 李庄镇党委书记 with 王五 and 张三, put at the decision stage directly (the stages
    before publicity belong to other apps: meetings, inspection, decision; their guards are
    tested there)."""
    from gongxin.cases import actions as case_actions
    from gongxin.cases.models import Case, CaseStage
    from gongxin.core.errors import DomainError

    clerk = cast["users"]["clerk"]
    case = case_actions.open_case(acting_user=clerk, title="李庄镇党委书记选任", org_unit=cast["lizhuang"],
                                  posts=[posts["lizhuang_secretary"]], channels=["open_nomination"],
                                  motion_reason="书记调任，职位空缺。")
    for key in ("wang", "zhang"):
        try:
            case_actions.add_candidate(acting_user=clerk, case=case, cadre=cast["cadres"][key],
                                       channel="open_nomination", post=posts["lizhuang_secretary"])
        except DomainError:
            pytest.skip("the demo cadres do not pass the cases app's eligibility check")
    Case.objects.filter(pk=case.pk).update(stage=CaseStage.DECISION)
    case.refresh_from_db()
    return case
