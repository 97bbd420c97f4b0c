"""record_event: the one way anything is written into the ledger.

Every action calls it inside its own transaction, so the state change and its event commit
or roll back together. Appends are serialised by locking the single LedgerHead row (SELECT …
FOR UPDATE on PostgreSQL; SQLite runs IMMEDIATE transactions, one writer at a time), so the
sequence has no gap and no duplicate. The head keeps the Merkle frontier; each event stores the
perfect subtrees it completes, so roots and proofs never rehash the whole ledger."""

import hashlib
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from . import keyhistory
from .canonical import canonical_json
from .merkle import Frontier
from .models import Event, LedgerHead


class LedgerUsageError(RuntimeError):
    pass


def subject_of(subject: Any) -> tuple[str, str]:
    if isinstance(subject, models.Model):
        meta = subject._meta
        return f"{meta.app_label}.{meta.model_name}", str(subject.pk)
    kind, ident = subject
    return str(kind), str(ident)


def record_event(*, kind: str, subject: Any, actor: Any, payload: dict[str, Any], public: bool = False) -> Event:
    """Append one event. ``subject`` is a model instance or a (type, id) pair; ``actor`` a
    user or None for the system. Must run inside the caller's atomic block."""
    if not transaction.get_connection().in_atomic_block:
        raise LedgerUsageError("record_event must run inside the action's transaction")
    if kind.count(".") < 1 or kind != kind.lower() or " " in kind:
        raise LedgerUsageError(f"event kind must be dotted lower case: {kind!r}")
    if not isinstance(payload, dict):
        raise LedgerUsageError("payload must be a dict")
    subject_type, subject_id = subject_of(subject)
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        seq, frontier_bytes = _lock_head(cursor, connection)
        if seq == 0 and kind not in keyhistory.KINDS:
            # the ledger's first event declares its origin and signing key (keyhistory)
            from .keyevents import first_declaration

            key_kind, key_subject, key_payload = first_declaration()
            _event, frontier_bytes = _append(cursor, connection, 0, frontier_bytes, key_kind, key_subject,
                                             None, key_payload, True)
            seq = 1
        event, _frontier = _append(cursor, connection, seq, frontier_bytes, kind, (subject_type, subject_id),
                                   actor, payload, public)
    _after_append(event)
    return event


def _append(cursor, connection, seq, frontier_bytes, kind, subject, actor, payload, public) -> tuple[Event, bytes]:
    subject_type, subject_id = subject
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    actor_name = getattr(actor, "username", "") if actor is not None else ""
    envelope = {
        "seq": seq,
        "kind": kind,
        "subject": {"type": subject_type, "id": subject_id},
        "actor": None if actor is None else {"id": actor_id, "name": actor_name},
        "time": now,
        "payload": payload,
    }
    data = canonical_json(envelope)
    leaf = hashlib.sha256(b"\x00" + data).digest()
    frontier = Frontier.from_bytes(seq, frontier_bytes)
    nodes = b"".join(h for _level, _index, h in frontier.append(leaf))
    event = Event(seq=seq, kind=kind, subject_type=subject_type, subject_id=subject_id, actor_id=actor_id,
                  actor_name=actor_name, recorded_at=now, public=public, data=data, leaf_hash=leaf, nodes=nodes)
    # The hot path of every action: plain SQL instead of three ORM round trips.
    frontier_bytes = frontier.to_bytes()
    cursor.execute(_INSERT, [seq, kind, subject_type, subject_id, actor_id, actor_name,
                             connection.ops.adapt_datetimefield_value(now), public, data, leaf, nodes])
    cursor.execute(_ADVANCE, [seq + 1, frontier_bytes])
    event._state.adding = False
    event._state.db = connection.alias
    return event, frontier_bytes


_HEAD = LedgerHead._meta.db_table
_INSERT = (f"INSERT INTO {Event._meta.db_table} (seq, kind, subject_type, subject_id, actor_id, actor_name, "
           "recorded_at, public, data, leaf_hash, nodes) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
_ADVANCE = f"UPDATE {_HEAD} SET size = %s, frontier = %s WHERE id = 1"


def _lock_head(cursor, connection) -> tuple[int, bytes]:
    """(size, frontier) of the head row, locked until the transaction ends."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    cursor.execute(f"SELECT size, frontier FROM {_HEAD} WHERE id = 1{lock}")
    row = cursor.fetchone()
    if row is None:  # only after a flush wiped the row the migration created
        LedgerHead.objects.get_or_create(id=1)
        cursor.execute(f"SELECT size, frontier FROM {_HEAD} WHERE id = 1{lock}")
        row = cursor.fetchone()
    return row[0], bytes(row[1])


def locked_head() -> LedgerHead:
    """The head row, locked until the caller's transaction ends."""
    try:
        return LedgerHead.objects.select_for_update().get(id=1)
    except LedgerHead.DoesNotExist:
        LedgerHead.objects.get_or_create(id=1)
        return LedgerHead.objects.select_for_update().get(id=1)


def _after_append(event: Event) -> None:
    """Extension point after an append (nothing by default: the tree is kept above)."""
