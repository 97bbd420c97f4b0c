"""The demo never rots (issue 11) and tells the truth (issue 23): built as if on awkward days,
every demo step completes, its output says nothing that looks like an error, every post holding
made after the import belongs to a case that passed through publicity, and every notice has a
process behind it.

One build per day, at the "small" size (every unit, post and step; fewer staff), shared by every
check of the built demo (a build is the suite's costliest step): the apps' own checks of what
their demo made live beside their tests (tests/exams/demo_channels.py,
tests/assessment/demo_promotions.py) and run here on the same build, each test in its own
savepoint so one test's changes never reach the next."""

import datetime as dt
import io
import json
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from gongxin.cases.models import Candidate, Case, VacancyNotice
from gongxin.ledger.models import Event
from gongxin.people.models import PostHolding
from gongxin.publicity.models import Appointment, Notice, NoticeKind, NoticeStatus
from tests.conftest import isolated_settings

DAYS = [
    # The periods of the last weeks run into the National Day holiday (a year the calendar knows).
    pytest.param(dt.date(2026, 9, 30), id="eve-of-national-day"),
    # The last day of a month, 29 February, in a year chinese-calendar does not know (warnings).
    pytest.param(dt.date(2028, 2, 29), id="leap-day-ending-a-month-in-a-year-the-holiday-calendar-does-not-know"),
]
LOOKS_LIKE_AN_ERROR = re.compile(r"stopped|skipped|error|traceback|exception|fail|错误|失败|未能|跳过", re.I)


def _as_if_on(day: dt.date):
    """The clock of every action (django.utils.timezone.now, and so localdate) moved to ``day``."""
    real_now = timezone.now
    shift = dt.datetime.combine(day, dt.time()) - dt.datetime.combine(timezone.localdate(), dt.time())
    return mock.patch("django.utils.timezone.now", lambda: real_now() + shift)


def _payload(event):
    return json.loads(bytes(event.data))["payload"]


class Built:
    def __init__(self, day: dt.date, folder, text: str):
        self.day, self.folder, self.text = day, folder, text


@pytest.fixture(scope="module", params=DAYS)
def built(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The small demo built as if on the day, once for the module's tests, rolled back after."""
    day = request.param
    folder = tmp_path_factory.mktemp("demo")
    out = io.StringIO()
    with django_db_blocker.unblock(), override_settings(DATA_DIR=folder, **isolated_settings(folder)):
        with transaction.atomic():
            with _as_if_on(day):
                assert timezone.localdate() == day
                call_command("demo", build_only=True, size="small", stdout=out, verbosity=2)
            yield Built(day, folder, out.getvalue())
            transaction.set_rollback(True)


@pytest.fixture
def demo(built, settings):
    """The module's demo, with the data folder, uploads and ledger key it was built with."""
    settings.DATA_DIR = built.folder
    settings.MEDIA_ROOT = str(built.folder / "media")
    settings.LEDGER_KEY_FILE = str(built.folder / "ledger.key")
    return built


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_built_on_any_day_completes_every_step_truthfully(demo):
    day, text, tmp_path = demo.day, demo.text, demo.folder

    # Every step completed and nothing in the output looks like an error.
    assert f"以 {day:%Y-%m-%d} 为今天" in text
    assert "演示县构建完成" in text
    bad = [line for line in text.splitlines() if LOOKS_LIKE_AN_ERROR.search(line)]
    assert bad == []
    # One line per app, in words.
    for app in ("people", "accounts", "cases", "meetings", "inspection", "publicity", "ledger"):
        assert len([line for line in text.splitlines() if line.startswith(f"  {app}: ")]) == 1, app

    # Every stage of every case is live: the vacancy notice is open, a notice is in its period.
    assert VacancyNotice.objects.filter(deadline__gte=day, status=VacancyNotice.Status.OPEN).exists()
    live = Notice.objects.filter(kind=NoticeKind.PRE_APPOINTMENT, status=NoticeStatus.PUBLISHED,
                                 period_start__lte=day, period_end__gte=day)
    assert live.exists()
    stages = set(Case.objects.values_list("stage", flat=True))
    assert {"motion", "nomination", "candidates", "inspection", "decision", "publicity", "appointment",
            "closed"} <= stages

    # What the worker would have closed by today is closed (issue 19): a published notice past
    # its period is one whose feedback is still open.
    from gongxin.publicity import closing

    assert not closing.due(day).exists()
    assert Notice.objects.filter(status=NoticeStatus.CLOSED, closed_at__isnull=False).exists()

    # Every post holding made after the import comes from a case that passed through publicity.
    imported = _payload(Event.objects.get(kind="people.demo.imported"))["counts"]["post_holdings"]
    appointed = {_payload(e)["holding"]: e for e in Event.objects.filter(kind="cases.candidate.appointed")}
    later = list(PostHolding.objects.order_by("id")[imported:])
    # ... except recruitment's admissions (录用, not an appointment to a leading post): each the
    # post of a registration admitted, listed in its exam's public admission event
    from gongxin.exams.models import Registration

    admissions = {(cadre, post, start) for cadre, post, start in Registration.objects.filter(
        admitted_cadre__isnull=False).values_list("admitted_cadre", "exam_post__post", "admitted_on")}
    recruited = {h.pk for h in later if (h.cadre_id, h.post_id, h.start) in admissions}
    assert len(recruited) == len(admissions) and Event.objects.filter(kind="exams.recruits.admitted").count() == 3
    later = [h for h in later if h.pk not in recruited]
    assert len(later) >= 16 + 5
    for holding in later:
        assert holding.pk in appointed, f"{holding} was not made by a case's appointment"
        candidate = Candidate.objects.get(pk=appointed[holding.pk].subject_id)
        notice = Notice.objects.get(case_id=candidate.case_id, kind=NoticeKind.PRE_APPOINTMENT)
        assert notice.entries.filter(candidate_id=candidate.pk).exists()
        assert notice.period_end is not None and notice.period_end < holding.start <= day
        # ... and has its one appointment record, on the case and its notice, whichever door
        # appointed the candidate (the case page's 任职 used to write none).
        assert list(Appointment.objects.filter(holding=holding).values_list("case_id", "notice_id")) == [
            (candidate.case_id, notice.pk)], holding
    assert Appointment.objects.count() == Candidate.objects.filter(status="appointed").count() == len(later)
    # So the dashboard counts every channel's promotions, the reserve's direct nominations too.
    from gongxin.accounts.models import User
    from gongxin.publicity.dashboard import appointed as appointed_in
    from gongxin.workbench.figures import Scope

    admin = User.objects.get(username="admin")
    channels = set()
    for year in {day.year, day.year - 1}:
        channels |= set(appointed_in(Scope(user=admin, year=year)).values_list("channel", flat=True))
    assert {"reserve_direct", "performance"} <= channels, channels
    # The cases entered their stages on the demo's calendar, not all on the build's day.
    entered = {timezone.localtime(c.stage_entered_at).date() for c in Case.objects.all()}
    assert len(entered) > 5 and max(entered) <= day

    # Restarting reuses the county and prints the open meeting's codes and seed again (item 4).
    assert "未使用的投票码" in text and "Tie-break seed" in text
    again = io.StringIO()
    with _as_if_on(day):
        call_command("demo", build_only=True, stdout=again)
    again = again.getvalue()
    assert "Demo county found; reusing it." in again and "正在构建" not in again
    codes = json.loads((tmp_path / "demo-voting.json").read_text(encoding="utf-8"))
    assert codes["codes"] and codes["codes"][0] in again and codes["seed"] in again

    # No notice without a process behind it: each is a case's.
    for notice in Notice.objects.all():
        assert notice.kind == NoticeKind.PRE_APPOINTMENT and Case.objects.filter(pk=notice.case_id).exists(), notice


@pytest.mark.slow
@pytest.mark.django_db
def test_exam_channels_lead_through_their_case_to_appointment(demo):
    from tests.exams.demo_channels import check_exam_channels

    check_exam_channels(demo.day, demo.text)


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_shows_8_13_5_computed_from_the_data(demo, client_for):
    from tests.assessment.demo_promotions import check_hard_postings

    check_hard_postings(demo.day, demo.text, client_for, _as_if_on)
