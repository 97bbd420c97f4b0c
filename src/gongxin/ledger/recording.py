"""record_event: the one way anything is written into the ledger.

Every action calls it inside its own transaction, so the state change and its event commit
or roll back together."""

import hashlib
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .canonical import canonical_json
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
    if kind.count(".") < 1 or kind != kind.lower():
        raise LedgerUsageError(f"event kind must be dotted lower case: {kind!r}")
    subject_type, subject_id = subject_of(subject)
    head, _ = LedgerHead.objects.select_for_update().get_or_create(id=1)
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
        leaf_hash=hashlib.sha256(b"\x00" + data).digest(),
    )
    head.size = seq + 1
    head.save(update_fields=["size"])
    _after_append(event)
    return event


def _after_append(event: Event) -> None:
    """Hook for the Merkle tree's stored subtree hashes (see ``tree.py``)."""
    try:
        from .tree import on_append
    except ImportError:
        return
    on_append(event)
