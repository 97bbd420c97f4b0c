"""Notices end with their period: the worker closes each published notice the day after its
last day (``period_end``), writing the same ledger event as a clerk's close
(``publicity.notice.closed``, the actor the system, ``automatic: true`` in the payload).

A notice with feedback still open (received, under verification, transferred to a problem file)
is never closed by the system: an unanswered item must be seen, not buried under a closed notice.
It stays published and stands on the clerk's workbench ("公示期已满，尚有反馈未办结") until the
last item is answered; the answer closes it (``after_feedback_resolved``), or the next round of
the worker does. A clerk may still close it by hand, which records the open count.

``close_due`` runs every minute (settings.GONGXIN_PERIODIC): one indexed query when nothing is
due (status, period_end)."""

import datetime as dt
import logging

from django.db.models import Exists, OuterRef
from django.utils import timezone

from gongxin.core.errors import Conflict

from .models import OPEN_FEEDBACK, Feedback, Notice, NoticeStatus

log = logging.getLogger(__name__)


def open_feedback_q():
    return Exists(Feedback.objects.filter(notice=OuterRef("pk"), status__in=OPEN_FEEDBACK))


def ended(today: dt.date, notices=None):
    """Published notices (of ``notices``, default all) whose period is over on ``today``: their
    last day was before it."""
    notices = Notice.objects.all() if notices is None else notices
    return notices.filter(status=NoticeStatus.PUBLISHED, period_end__lt=today)


def due(today: dt.date, notices=None):
    """The notices the system closes on ``today``: period over, no feedback open."""
    return ended(today, notices).filter(~open_feedback_q())


def held(today: dt.date, notices=None):
    """Period over, but feedback still open: left published for the clerk."""
    return ended(today, notices).filter(open_feedback_q())


def close_due(today: dt.date | None = None) -> list[Notice]:
    """Close every notice due on ``today`` (the worker's call). Returns those closed; a notice a
    clerk closed meanwhile, or that took feedback meanwhile, is skipped."""
    from .actions import close_notice

    today = today or timezone.localdate()
    closed = []
    for pk in due(today).order_by("period_end", "pk").values_list("pk", flat=True):
        try:
            closed.append(close_notice(acting_user=None, notice=Notice(pk=pk), today=today, automatic=True))
        except Conflict as exc:
            log.info("notice %s not closed automatically: %s", pk, exc.message)
    return closed


def after_feedback_resolved(notice_pk: int, today: dt.date | None = None) -> Notice | None:
    """Called in the transaction that resolves a feedback item: if that was the last open item
    of a notice whose period is over, the notice ends now (as the worker would next round)."""
    from .actions import close_notice

    today = today or timezone.localdate()
    if not due(today).filter(pk=notice_pk).exists():
        return None
    return close_notice(acting_user=None, notice=Notice(pk=notice_pk), today=today, automatic=True)
