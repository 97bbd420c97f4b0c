"""The reserve demo at a small scale: entries through R24, classes, and direct nominations
taken to appointment through the real cases; the figures are counted from the rows."""

import datetime as dt

import pytest

from gongxin.cases.models import Candidate
from gongxin.core.demo import DemoContext
from gongxin.people import actions as people_actions
from gongxin.reserve import demo
from gongxin.reserve.models import ReserveCadre, Trainee, TrainingClass

pytestmark = pytest.mark.django_db


def test_small_demo_runs_through_real_cases(cast, make_cadre, posts, monkeypatch):
    monkeypatch.setattr(demo, "POOL", 9)
    monkeypatch.setattr(demo, "TIERS", {1: 3, 2: 3, 3: 3})
    monkeypatch.setattr(demo, "CLASS_SIZE", 2)
    monkeypatch.setattr(demo, "DIRECT", 2)
    monkeypatch.setattr(demo, "BATCH", 1)
    cadres = []
    for i in range(10):
        c = make_cadre(cast["lizhuang"] if i % 2 else cast["hefang"], name=f"后备{i}", birth=dt.date(1984, 1, 1 + i),
                       rank_since=dt.date(2019, 1, 1), party_joined=dt.date(2008, 7, 1))
        people_actions.add_resume_entry(acting_user=None, cadre=c, start=dt.date(2008, 1, 1), end=dt.date(2016, 1, 1),
                                        description="李庄镇党政办科员", is_grassroots=True)
        cadres.append(c)
    cadres.append(make_cadre(cast["lizhuang"], name="超龄者", birth=dt.date(1979, 1, 1)))
    leaders = [make_cadre(cast["org_dept"], name=f"常委{i}", rank="fuchu", birth=dt.date(1968, 1, 1 + i))
               for i in range(7)]
    admin = cast["users"]["org_admin"]
    ctx = DemoContext(verbose=False, today=dt.date(2026, 11, 20))
    ctx.admin = admin
    ctx.data = {"clerk": admin, "cadres": cadres, "root": cast["root"], "county_leaders": leaders}
    demo.build(ctx)
    assert ReserveCadre.objects.count() == 9
    assert not ReserveCadre.objects.filter(cadre__name="超龄者").exists()
    assert TrainingClass.objects.count() == 2 and Trainee.objects.count() <= 4
    promoted = ReserveCadre.objects.filter(exit_reason="promoted")
    assert promoted.count() == 2
    for r in promoted:
        assert r.cadre.post_holdings.filter(end__isnull=True, post__rank__level=30).exists()
        assert Candidate.objects.filter(cadre=r.cadre, channel="reserve_direct", status="appointed").exists()
