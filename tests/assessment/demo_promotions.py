"""The demo's 8/13/5 (the source: cadres long at work in townships promoted to leading posts,
young grassroots cadres promoted, township cadres moved to county departments) are counted by
the dashboard from post holdings and appointments, not written: with the small demo built by
tests/core/test_demo_any_day.py (one build a day for every check of the demo), the figure is
read from the dashboard page, every counted appointment traced to a case with its
pre-appointment notice, and the figure falls to nothing once no township is marked remote."""

import datetime as dt
import re

from django.urls import reverse

from gongxin.accounts.models import User
from gongxin.assessment import dashboard, demo_promotions
from gongxin.people import actions as people_actions
from gongxin.people.models import OrgUnit
from gongxin.publicity.models import Appointment, Notice, NoticeKind
from gongxin.workbench.figures import Scope


def check_hard_postings(day, text, client_for, as_if_on):
    # The build's line says what the dashboard counts. The demo adds the promotions still missing
    # to reach the source's 8/13/5 once the other demos have appointed theirs; those count too
    # (every appointment of a case's candidate has its record), so a part may stand above its target.
    printed = re.search(r"艰苦乡镇一线干部 (\d+) 人提拔到领导岗位、年轻干部 (\d+) 人提拔、(\d+) 人进入县直部门", text)
    assert printed, text[-3000:]
    shown = dict(zip((dashboard.LONG, dashboard.YOUNG, dashboard.TO_COUNTY), map(int, printed.groups()), strict=True))
    assert all(shown[part] >= target for part, target in demo_promotions.TARGETS.items()), shown
    year = (dt.date(2026, 6, 1) + (day - dt.date(2026, 11, 20))).year  # the demo year (DemoContext.year)
    admin = User.objects.get(username="admin")

    with as_if_on(day):
        page = client_for(admin).get(reverse("workbench:dashboard"), {"year": year})
    chart = next(c for c in page.context["charts"] if c["figure"].spec.key == "hard_postings")
    bars = {b.part: b.value for b in chart["figure"].bars}
    assert bars == shown

    # Every appointment counted went through a case and its pre-appointment notice.
    parts = dashboard.classify(Scope(user=admin, year=year))
    counted = Appointment.objects.filter(pk__in=[i for ids in parts.values() for i in ids])
    assert counted.count() == sum(shown.values())
    for appointment in counted:
        notice = Notice.objects.get(case_id=appointment.case_id, kind=NoticeKind.PRE_APPOINTMENT)
        assert notice.entries.filter(cadre_id=appointment.cadre_id).exists()
        assert notice.period_end < appointment.start

    # Computed, not written: with no township marked remote, no service is hard and nothing counts.
    for unit in OrgUnit.objects.filter(is_remote=True):
        people_actions.update_org_unit(acting_user=admin, unit=unit, is_remote=False)
    assert {k: len(v) for k, v in dashboard.classify(Scope(user=admin, year=year)).items()} == {
        dashboard.LONG: 0, dashboard.YOUNG: 0, dashboard.TO_COUNTY: 0}
