"""The demo builder gives cases at every stage, with the other apps' real guards in force."""

import datetime as dt

import pytest
from django.utils import timezone

from gongxin.cases import demo
from gongxin.cases.models import Case, CaseStatus
from gongxin.core.demo import DemoContext
from gongxin.people import actions as people_actions
from gongxin.people.models import PostKind


@pytest.mark.django_db
def test_demo_cases_at_every_stage(cast, posts, ranks, eligible, make_cadre):
    finance = cast["finance"]
    for i in range(10):
        people_actions.create_post(acting_user=None, org_unit=finance, title=f"副局长{i}", rank=ranks["fuke"],
                                   kind=PostKind.LEADERSHIP)
    cadres = [eligible(f"候选{i}", unit=finance) for i in range(24)]
    cadres += [make_cadre(finance, name=f"基层不足{i}", birth=dt.date(1990, 2, 1 + i)) for i in range(10)]
    members = [make_cadre(cast["org_dept"], name=f"常委{i}", rank="fuchu", birth=dt.date(1968, 1, 1 + i))
               for i in range(7)]
    ctx = DemoContext(verbose=False, today=dt.date.today())
    ctx.admin = cast["users"]["org_admin"]
    ctx.data.update({"cadres": cadres, "root": cast["root"], "clerk": cast["users"]["org_admin"],
                     "county_leaders": members})
    demo.build(ctx)
    made = ctx.data["cases"]
    stages = {k: v.stage for k, v in made.items()}
    assert stages == {"closed": "closed", "appointment": "appointment", "publicity": "publicity",
                      "decision": "decision", "inspection": "inspection", "candidates": "candidates",
                      "nomination": "nomination", "motion": "motion", "suspended": "candidates",
                      "withdrawn": "nomination"}
    assert made["suspended"].status == CaseStatus.SUSPENDED and made["withdrawn"].status == CaseStatus.WITHDRAWN
    assert made["closed"].status == CaseStatus.COMPLETED
    assert made["nomination"].vacancy_notices.count() == 1
    assert made["candidates"].candidates.filter(eligibility_passed=False).exists()
    assert Case.objects.count() == 10
    # Each case entered its stage on the demo's calendar, not at the build's moment: the motion
    # case on its motion day (3 November of the reference year), the closed one on the day its
    # candidates took their posts; the workbench counts the days in stage from there.
    entered = {k: timezone.localtime(v.stage_entered_at).date() for k, v in made.items()}
    assert entered["motion"] == entered["nomination"] == ctx.on(11, 3)
    assert entered["closed"] == ctx.today - dt.timedelta(days=10)
    assert entered["publicity"] == ctx.today - dt.timedelta(days=1)  # the day after the decision meeting
    motions = {"candidates": ctx.on(10, 3), "inspection": ctx.on(9, 3), "decision": ctx.on(8, 3)}
    assert all(motions[k] < entered[k] < ctx.today for k in motions), entered
    from gongxin.cases.workbench import _cases

    shown = _cases(ctx.admin, ctx.today)  # the statement the workbench runs, and its lines
    why = {i.title: i.why for i in shown.build(list(shown.qs))}
    assert f"阶段第 {(ctx.today - ctx.on(11, 3)).days + 1} 天" in why[made["motion"].title]
    assert len({w.split("；")[0] for w in why.values()}) > 3  # not every case on "第 1 天"
