"""The demo evaluations on a small county, as on two awkward days: two years, the second with a
higher satisfaction rate, one flagged cadre with an analysis; the recount tool agrees."""

import datetime as dt
from fractions import Fraction

import pytest

from gongxin import recount
from gongxin.core.demo import DemoContext, as_on
from gongxin.evaluation import demo
from gongxin.evaluation.models import Evaluation, FollowUpStatus
from gongxin.meetings.models import MeetingStatus
from gongxin.people import actions as people_actions
from gongxin.people.models import PostKind
from gongxin.publicity import actions as publicity_actions


@pytest.mark.parametrize("today", [dt.date(2026, 12, 6), dt.date(2027, 1, 3)])
def test_demo_evaluations(cast, make_cadre, appoint, ranks, today):
    members = [make_cadre(cast["org_dept"], name=f"委员{i:02d}", rank="fuchu", birth=dt.date(1970, 1, 1) + dt.timedelta(days=i))
               for i in range(40)]
    with as_on(today):
        for i, day in enumerate([dt.date(today.year - 1, 6, 1), dt.date(today.year, 1, 2)]):
            appoint(make_cadre(cast["lizhuang"], name=f"新任{i}", rank="zhengke"), day,
                    post=["lizhuang_secretary", "lizhuang_head"][i])
        for i in range(9):   # ten cadres on the later ballot: item "10" sorts before "2" as text
            post = people_actions.create_post(acting_user=None, org_unit=cast["lizhuang"], title=f"副职{i}",
                                              rank=ranks["zhengke"], kind=PostKind.LEADERSHIP)
            publicity_actions.appoint(acting_user=cast["users"]["clerk"], post=post, start=dt.date(today.year, 1, 2),
                                      cadre=make_cadre(cast["lizhuang"], name=f"副任{i}", rank="zhengke"), probation=False)
    ctx = DemoContext(verbose=False, today=today)
    ctx.admin = cast["users"]["org_admin"]
    ctx.data = {"cadres": members, "root": cast["root"], "units": {"root": cast["root"]}, "clerk": cast["users"]["org_admin"]}
    with as_on(today):
        demo.build(ctx)
    assert not ctx.stopped
    first, second = Evaluation.objects.order_by("year")
    assert (first.year, second.year) == (today.year - 1, today.year)
    assert Fraction(second.results["satisfaction_rate"]) > Fraction(first.results["satisfaction_rate"])
    assert first.report.is_final and second.meeting.status == MeetingStatus.PUBLISHED
    flagged = ctx.data["evaluation_flagged"]
    flagged.follow_up.refresh_from_db()
    assert flagged.evaluation == second and flagged.follow_up.status == FollowUpStatus.ANALYSED
    again = recount.recount(recount.load(bytes(second.meeting.result.ballots_file)))
    assert again["items"][0]["rate"] == second.results["satisfaction_rate"]
    assert [i["flagged"] for i in again["items"][1:]] == [True] + [False] * 9
    assert "满意度" in ctx.summary[-1][1]
