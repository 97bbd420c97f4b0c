"""The demo year: its dashboard figures are counted from the records, not typed in."""

import datetime as dt

import pytest

from gongxin.core.demo import DemoContext
from gongxin.inspection import actions, demo
from gongxin.inspection.models import Certificate, Inspection, ProblemFile
from gongxin.inspection.queries import coverage_for, dashboard_figures
from gongxin.people import actions as people_actions
from gongxin.people.models import PostKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_ctx(cast, make_cadre, ranks):
    admin = cast["users"]["org_admin"]
    units = [cast["lizhuang"], cast["hefang"], cast["finance"]]
    cadres = []
    for i in range(75):
        birth = dt.date(1980 + i % 12, 1 + i % 12, 1 + i % 27)
        cadres.append(make_cadre(units[i % 3], name=f"干部{i:02d}", birth=birth, rank="yiji_keyuan",
                                 rank_since=dt.date(2015, 1, 1), party_joined=dt.date(2008, 7, 1)))
        people_actions.add_resume_entry(acting_user=None, cadre=cadres[-1], start=dt.date(2003, 9, 1),
                                        end=dt.date(2007, 7, 1), description="山东大学学习", kind="study", place="山东大学")
        people_actions.add_resume_entry(acting_user=None, cadre=cadres[-1], start=dt.date(2007, 7, 1),
                                        description=f"{units[i % 3].name}科员", place=units[i % 3].name,
                                        is_grassroots=True)  # eligible for promotion (R1), which now runs
    for unit in units:
        people_actions.create_post(acting_user=admin, org_unit=unit, title="副职", rank=ranks["fuke"],
                                   kind=PostKind.LEADERSHIP)
    ctx = DemoContext(verbose=False)
    ctx.admin = admin
    leaders = [make_cadre(cast["org_dept"], name=f"常委{i}", rank="fuchu", birth=dt.date(1968, 1, 1 + i))
               for i in range(7)]  # the decision meetings' members: promotions go through cases
    ctx.data = {"cadres": cadres, "clerk": admin, "county_leaders": leaders}
    demo.build(ctx)
    return ctx


def test_demo_dashboard_figures_are_the_sources(demo_ctx):
    figures = dashboard_figures(year=demo_ctx.year)
    assert figures["certified_inspectors"] == 30
    assert figures["tracked_cadres"] == 57
    assert figures["tracked_promoted"] == 16
    assert figures["tracked_with_problem_files"] == 3
    assert figures["disqualified_after_life_circle"] == 1
    assert figures["failed_joint_review"] == 2
    assert coverage_for(Inspection.objects.get(kind="source_tracing")) == (1, 2, 50)


def test_demo_figures_follow_the_data(demo_ctx):
    admin = demo_ctx.admin
    year = demo_ctx.year
    # a fourth tracked cadre gets a problem file → the figure moves
    with_files = set(ProblemFile.objects.values_list("cadre_id", flat=True))
    other = Inspection.objects.filter(kind="tracking").exclude(cadre_id__in=with_files).first().cadre
    actions.intake_complaint(acting_user=admin, cadre=other, channel="call", text="来电反映")
    # one certificate revoked → one fewer certified inspector
    actions.revoke_certificate(acting_user=admin, certificate=Certificate.objects.first(), reason="考察失真",
                               on=dt.date(year, 11, 15))
    figures = dashboard_figures(year=year)
    assert figures["tracked_with_problem_files"] == 4
    assert figures["certified_inspectors"] == 29
    # another year has none of it
    assert dashboard_figures(year=year - 1)["tracked_cadres"] == 0


def test_demo_page_shows_the_figures(demo_ctx, client_for):
    page = client_for(demo_ctx.admin).get(f"/inspection/dashboard/?year={demo_ctx.year}").content.decode()
    assert 'data-figure="tracked_cadres">跟踪考察干部<br><big>57</big>' in page


def test_demo_promotions_end_probation_the_day_before_the_anniversary(demo_ctx):
    """As the cases and publicity apps count R18's year: from 1 April to 31 March."""
    from gongxin.cases.eligibility import add_months
    from gongxin.people.models import PostHolding

    promoted = PostHolding.objects.filter(note__contains="跟踪考察后提拔")  # the cases' title
    assert promoted.count() == 16
    for holding in promoted:
        assert holding.probation_end == add_months(holding.start, 12) - dt.timedelta(days=1)


def test_demo_accounts_it_creates_are_recorded_in_the_ledger(demo_ctx):
    """Built through the real actions: the 30 inspectors it certifies exist in the ledger too."""
    from gongxin.accounts.models import User
    from gongxin.ledger.models import Event

    created = User.objects.filter(username__startswith="demo_inspector")
    assert created.count() == 30
    recorded = Event.objects.filter(kind="accounts.user.created", subject_id__in=[str(u.pk) for u in created])
    assert recorded.count() == 30
