"""Each user's workbench lines, kept in the cache until the data changes.

The home page is read on every login and every return to it; its lines cost one statement each
(plan.py). They are kept per user and day under a version of the data made of
- the ledger's size: every action records an event in its own transaction, so any change an
  action makes (``update()`` and bulk writes included) moves it, the moment it commits, for every
  process alike (one primary-key read per request);
- a generation in the cache, bumped after commit by any save, delete or many-to-many change of
  a Gongxin model (changes made without an action: imports, the admin, a user's role or units).
Inside a transaction with writes of its own not yet committed, a connection keys its entries
apart (it sees those writes; nobody else does yet). An entry also expires after ``TTL`` seconds, a bound on anything neither of those sees. A new
day is a new key (deadlines and overdue counts move with the date)."""

import os
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import translation

from .items import Item, collect

GENERATION_KEY = "workbench:generation"
TTL = 300
# Saves in these apps do not change anyone's lines (the reminders are read outside the cache).
QUIET_APPS = {"workbench", "jobs", "ledger", "sessions", "admin", "axes", "otp_totp", "django_tasks_database"}


def generation() -> int:
    gen = cache.get(GENERATION_KEY)
    if gen is None:
        # A start never seen before: a cleared cache must not bring back an old entry's key.
        cache.add(GENERATION_KEY, time.time_ns(), None)
        gen = cache.get(GENERATION_KEY, 0)
    return gen


def bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), None)


def _ledger_size() -> int:
    try:
        from gongxin.ledger.models import LedgerHead
    except ImportError:
        return 0
    return LedgerHead.objects.filter(id=1).values_list("size", flat=True).first() or 0


def _own_writes() -> str:
    """Inside a transaction that has changed something not yet committed: a part of the key no
    other connection shares, moving with each write (this connection sees its own writes, the
    others do not; a rollback drops it with the transaction's on-commit bump)."""
    if connection.in_atomic_block and _pending():
        return f":{os.getpid()}.{id(connection)}.{getattr(connection, '_workbench_writes', 0)}"
    return ""


def key_for(user, today) -> str:
    return (f"workbench:items:{user.pk}:{today.isoformat()}:{translation.get_language()}:"
            f"{_ledger_size()}:{generation()}{_own_writes()}")


def items_for(user, today) -> tuple[list[Item], bool]:
    """(the user's lines, whether they were computed now rather than read from the cache)."""
    if not getattr(settings, "GONGXIN_WORKBENCH_CACHE", True):
        return collect(user, today), True
    key = key_for(user, today)
    items = cache.get(key)
    if items is not None:
        return items, False
    items = collect(user, today)
    cache.set(key, items, TTL)
    return items, True


def _bump_after_commit() -> None:
    bump()


def _pending() -> bool:
    return any(entry[1] is _bump_after_commit for entry in connection.run_on_commit)


def _changed(sender, **kwargs) -> None:
    if sender._meta.app_label in QUIET_APPS:
        return
    if connection.in_atomic_block:
        # Bumped after the commit (a reader between the save and the commit would keep the old
        # lines under the new generation), once per transaction; a rollback drops it.
        connection._workbench_writes = getattr(connection, "_workbench_writes", 0) + 1
        if not _pending():
            transaction.on_commit(_bump_after_commit)
        return
    bump()


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"workbench-cache-{id(signal)}")
