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
    head = locked_head()
    seq = head.size
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
    frontier = Frontier.from_bytes(seq, bytes(head.frontier))
    completed = frontier.append(leaf)
    event = Event.objects.create(
        seq=seq,
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        actor_id=actor_id,
        actor_name=actor_name,
        recorded_at=now,
        public=public,
        data=data,
        leaf_hash=leaf,
        nodes=b"".join(h for _level, _index, h in completed),
    )
    LedgerHead.objects.filter(id=1).update(size=seq + 1, frontier=frontier.to_bytes())
    _after_append(event)
    return event


def locked_head() -> LedgerHead:
    """The head row, locked until the caller's transaction ends."""
    try:
        return LedgerHead.objects.select_for_update().get(id=1)
    except LedgerHead.DoesNotExist:
        # Only after a flush wiped the row the migration created.
        LedgerHead.objects.get_or_create(id=1)
        return LedgerHead.objects.select_for_update().get(id=1)


def _after_append(event: Event) -> None:
    """Extension point after an append (nothing by default: the tree is kept above)."""
