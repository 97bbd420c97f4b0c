"""Automatic checkpoints: events never stay long without a signature.

``checkpoint_if_due()`` signs a checkpoint when at least settings.LEDGER_CHECKPOINT_EVERY_EVENTS
events are not yet covered by one, or when the oldest of them was recorded
settings.LEDGER_CHECKPOINT_EVERY_MINUTES minutes ago or more. The background worker calls it
every minute (settings.GONGXIN_PERIODIC); it is safe to call from any process at any time: the
decision is taken again under the ledger's head lock, so two callers sign at most once, and a
call with nothing due returns None. Each call also notes the size it saw (``seen``), so that
deleting unsigned events is reported by the next ``gongxin ledger verify``."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import merkle, seen
from .checkpoints import latest_checkpoint, sign_checkpoint
from .models import Checkpoint, Event, LedgerHead
from .recording import locked_head


def uncovered() -> tuple[int, int]:
    """(size, events after the latest checkpoint), without locking."""
    head = LedgerHead.objects.filter(id=1).values_list("size", flat=True).first() or 0
    latest = latest_checkpoint()
    return head, head - (latest.size if latest else 0)


def is_due(size: int, covered: int, now: dt.datetime) -> bool:
    waiting = size - covered
    if waiting <= 0:
        return False
    if waiting >= settings.LEDGER_CHECKPOINT_EVERY_EVENTS:
        return True
    oldest = Event.objects.filter(seq=covered).values_list("recorded_at", flat=True).first()
    return oldest is not None and now - oldest >= dt.timedelta(minutes=settings.LEDGER_CHECKPOINT_EVERY_MINUTES)


def checkpoint_if_due(now: dt.datetime | None = None) -> Checkpoint | None:
    """The checkpoint signed now, or None when none was due."""
    now = now or timezone.now()
    size, waiting = uncovered()
    _note_seen()
    if not is_due(size, size - waiting, now):
        return None
    with transaction.atomic():
        head = locked_head()  # another caller may have signed meanwhile: decide again under the lock
        latest = latest_checkpoint()
        if not is_due(head.size, latest.size if latest else 0, now):
            return None
        return sign_checkpoint(reason="定时自动签署")


def _note_seen() -> None:
    head = LedgerHead.objects.filter(id=1).first()
    if head is None or head.size == 0:
        return
    first = Event.objects.filter(seq=0).values_list("leaf_hash", flat=True).first()
    if first is not None:
        seen.record(head.size, merkle.Frontier.from_bytes(head.size, bytes(head.frontier)).root(), bytes(first))
