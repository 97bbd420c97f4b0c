"""Notices end with their period (closing.py): the worker closes a notice the day after its last
working day with the ledger event a clerk's close writes; feedback still open holds it, on the
clerk's workbench, until the last item is answered."""

import datetime as dt
import json

import pytest

from gongxin.jobs.periodic import run_periodic
from gongxin.ledger.models import Event
from gongxin.publicity import actions, closing
from gongxin.publicity.models import Notice, NoticeKind, NoticeStatus
from gongxin.workbench.items import collect
from tests.publicity.helpers import publish_as_of

LAST_DAY = dt.date(2026, 11, 13)  # the fixture's notice: Mon 9 Nov + 5 working days = Fri 13 Nov


def _closed_events(notice):
    return [json.loads(bytes(e.data)) for e in Event.objects.filter(kind="publicity.notice.closed",
                                                                    subject_id=str(notice.pk))]


def test_the_last_day_of_the_period_stays_open_and_the_next_day_closes(publicity):
    notice = publicity["notice"]
    assert notice.period_end == LAST_DAY
    assert closing.close_due(LAST_DAY) == []
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.PUBLISHED
    closed = closing.close_due(LAST_DAY + dt.timedelta(days=1))  # Saturday: the period is over
    assert [n.pk for n in closed] == [notice.pk]
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED and notice.closed_at is not None
    [event] = _closed_events(notice)
    assert event["actor"] is None  # the system
    assert event["payload"] == {"automatic": True, "period_end": "2026-11-13", "feedback": 0, "open_feedback": 0}
    assert Event.objects.get(kind="publicity.notice.closed", subject_id=str(notice.pk)).public
    # Once: the next round finds nothing.
    assert closing.close_due(LAST_DAY + dt.timedelta(days=2)) == []
    assert len(_closed_events(notice)) == 1


def test_a_period_over_the_national_day_holiday_ends_on_its_last_working_day(cast, posts):
    """Published Tue 29 Sep 2026: 29 and 30 Sep, then (after the 1–7 Oct holiday) 8, 9 Oct and
    Saturday 10 Oct, a make-up working day: the period ends on a Saturday, closes on the Sunday."""
    clerk = cast["users"]["clerk"]
    notice = actions.create_notice(acting_user=clerk, kind=NoticeKind.PRE_APPOINTMENT, title="国庆前任前公示",
                                   org_unit=cast["lizhuang"])
    actions.add_notice_entry(acting_user=clerk, notice=notice, cadre=cast["cadres"]["zhang"],
                             post=posts["lizhuang_secretary"])
    notice = publish_as_of(dt.date(2026, 9, 29), acting_user=clerk, notice=notice)
    assert notice.period_end == dt.date(2026, 10, 10)
    for day in (dt.date(2026, 10, 1), dt.date(2026, 10, 7), dt.date(2026, 10, 10)):
        assert closing.close_due(day) == [], day
    assert [n.pk for n in closing.close_due(dt.date(2026, 10, 11))] == [notice.pk]


@pytest.mark.parametrize("step", ["received", "assigned", "replied"])
def test_open_feedback_holds_the_notice_on_the_clerks_workbench_until_answered(publicity, step):
    clerk, notice = publicity["clerk"], publicity["notice"]
    after = LAST_DAY + dt.timedelta(days=3)
    fb = actions.submit_feedback(notice=notice, category="conduct", text="反映情况",
                                 received_at=dt.datetime(2026, 11, 12, 10, tzinfo=dt.UTC))
    if step == "assigned":
        fb = actions.assign_feedback(acting_user=clerk, feedback=fb, assignee=clerk)
    elif step == "replied":
        fb = actions.reply_feedback(acting_user=clerk, feedback=fb, reply="正在核查。")  # answered, not resolved
    assert closing.close_due(after) == []
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.PUBLISHED
    assert list(closing.held(after)) == [notice]
    # Not silent: the clerk's workbench says so, overdue, and opens the notice.
    [held] = [i for i in collect(clerk, after) if i.key.startswith("publicity.notices_held")]
    assert held.title == "公示期已满，尚有反馈未办结" and held.overdue == 1 and held.deadline == LAST_DAY
    assert held.url == f"/publicity/notices/{notice.pk}/"
    # The last answer closes it, in the same transaction.
    actions.resolve_feedback(acting_user=clerk, feedback=fb, reply="经核查，反映问题不属实。")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED
    [event] = _closed_events(notice)
    assert event["payload"]["automatic"] is True and event["payload"]["feedback"] == 1
    assert event["payload"]["open_feedback"] == 0
    assert not [i for i in collect(clerk, after) if i.key.startswith("publicity.notices_held")]


def test_resolving_feedback_within_the_period_does_not_close_the_notice(publicity):
    clerk, notice = publicity["clerk"], publicity["notice"]
    fb = actions.submit_feedback(notice=notice, category="other", text="期内",
                                 received_at=dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC))
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 11, 11)):
        actions.resolve_feedback(acting_user=clerk, feedback=fb, reply="已答复。")
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.PUBLISHED


def test_a_clerk_may_still_close_a_held_notice_and_the_event_says_what_was_open(publicity):
    clerk, notice = publicity["clerk"], publicity["notice"]
    actions.submit_feedback(notice=notice, category="conduct", text="反映情况",
                            received_at=dt.datetime(2026, 11, 12, 10, tzinfo=dt.UTC))
    with pytest.raises(actions.Conflict):
        actions.close_notice(acting_user=None, notice=notice, today=LAST_DAY + dt.timedelta(days=1), automatic=True)
    actions.close_notice(acting_user=clerk, notice=notice, today=LAST_DAY + dt.timedelta(days=1))
    [event] = _closed_events(notice)
    assert event["actor"]["id"] == clerk.pk and event["payload"] == {"feedback": 1, "open_feedback": 1}


def test_drafts_and_notices_without_an_end_are_left_alone(cast):
    clerk = cast["users"]["clerk"]
    draft = actions.create_notice(acting_user=clerk, kind=NoticeKind.VACANCY, title="草稿公告", org_unit=cast["lizhuang"])
    open_ended = actions.create_notice(acting_user=clerk, kind=NoticeKind.VACANCY, title="长期公告",
                                       org_unit=cast["lizhuang"])
    publish_as_of(dt.date(2026, 11, 2), acting_user=clerk, notice=open_ended)
    with_deadline = actions.create_notice(acting_user=clerk, kind=NoticeKind.VACANCY, title="职位空缺公告",
                                          org_unit=cast["lizhuang"])
    publish_as_of(dt.date(2026, 11, 2), acting_user=clerk, notice=with_deadline, deadline=dt.date(2026, 11, 6))
    closed = closing.close_due(dt.date(2026, 12, 1))
    assert [n.pk for n in closed] == [with_deadline.pk]
    assert Notice.objects.get(pk=draft.pk).status == NoticeStatus.DRAFT
    assert Notice.objects.get(pk=open_ended.pk).status == NoticeStatus.PUBLISHED


def test_the_worker_closes_ended_notices_every_round(publicity, settings):
    assert "gongxin.publicity.closing.close_due" in settings.GONGXIN_PERIODIC
    settings.GONGXIN_PERIODIC = ["gongxin.publicity.closing.close_due"]
    from unittest import mock

    with mock.patch("gongxin.publicity.closing.timezone.localdate", return_value=LAST_DAY):
        assert "gongxin.publicity.closing.close_due" in run_periodic()  # the last day: still open
    assert Notice.objects.get(pk=publicity["notice"].pk).status == NoticeStatus.PUBLISHED
    with mock.patch("gongxin.publicity.closing.timezone.localdate", return_value=LAST_DAY + dt.timedelta(days=1)):
        run_periodic()
    assert Notice.objects.get(pk=publicity["notice"].pk).status == NoticeStatus.CLOSED


def test_the_demo_closes_what_the_worker_would_have_closed_by_its_build_day(publicity, cast, posts):
    """The demo's catch-up: a notice ended with nothing open is closed as on the day after its
    period (its ledger event dated so); one with feedback open stays published."""
    from django.utils import timezone

    from gongxin.core.demo import DemoContext
    from gongxin.publicity import demo

    clerk = cast["users"]["clerk"]
    other = actions.create_notice(acting_user=clerk, kind=NoticeKind.PRE_APPOINTMENT, title="有反馈的任前公示",
                                  org_unit=cast["lizhuang"])
    actions.add_notice_entry(acting_user=clerk, notice=other, cadre=cast["cadres"]["li"], post=posts["hefang_secretary"])
    other = publish_as_of(dt.date(2026, 11, 9), acting_user=clerk, notice=other)
    actions.submit_feedback(notice=other, category="conduct", text="反映情况",
                            received_at=dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC))
    ctx = DemoContext(today=dt.date(2026, 12, 6), verbose=False)
    demo.catch_up(ctx)
    notice = Notice.objects.get(pk=publicity["notice"].pk)
    assert notice.status == NoticeStatus.CLOSED
    assert timezone.localdate(notice.closed_at) == dt.date(2026, 11, 14)
    event = Event.objects.get(kind="publicity.notice.closed", subject_id=str(notice.pk))
    assert timezone.localdate(event.recorded_at) == dt.date(2026, 11, 14)
    assert Notice.objects.get(pk=other.pk).status == NoticeStatus.PUBLISHED


def test_the_demo_runs_each_apps_catch_up_before_the_ledger_signs(monkeypatch):
    from types import SimpleNamespace

    from gongxin.core import demo as core_demo

    calls = []
    fake = {app: SimpleNamespace(build=lambda ctx, app=app: calls.append(("build", app))) for app in ("publicity", "ledger")}
    fake["publicity"].catch_up = lambda ctx: calls.append(("catch_up", "publicity"))
    monkeypatch.setattr(core_demo, "demo_order", lambda: ["publicity", "ledger"])
    monkeypatch.setattr(core_demo, "find_spec", lambda name: True)
    monkeypatch.setattr(core_demo, "import_module", lambda name: fake[name.split(".")[1]])
    core_demo.build_demo(core_demo.DemoContext(today=dt.date(2026, 12, 6), verbose=False))
    assert calls == [("build", "publicity"), ("catch_up", "publicity"), ("build", "ledger")]
