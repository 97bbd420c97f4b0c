"""``gongxin ledger verify``: recompute every leaf from its stored bytes, every stored subtree
hash, every checkpoint's root and signature; sizes must grow. Streams the events."""

from dataclasses import dataclass

from django.db import connection

from . import keys, note
from .audit import AuditFailure, check_checkpoint_sequence, replay
from .models import Checkpoint, Event, LedgerHead

CHUNK = 10_000


@dataclass
class VerifyResult:
    size: int
    root: bytes
    checkpoints: int


def _rows():
    qs = Event.objects.order_by("seq").values_list("seq", "data", "leaf_hash", "nodes")
    rows = qs.iterator(chunk_size=CHUNK)
    if connection.vendor == "sqlite":
        return rows  # BLOBs arrive as bytes
    return ((seq, bytes(d), bytes(h), bytes(n)) for seq, d, h, n in rows)  # bytea: memoryview


def checked_checkpoints() -> list[tuple[int, bytes, str]]:
    """(size, root, label) for every checkpoint whose signature verifies with the ledger key."""
    name, pub, origin = keys.key_name(), keys.public_key(), keys.origin()
    out = []
    for cp in Checkpoint.objects.order_by("id").iterator():
        label = f"checkpoint #{cp.pk} (size {cp.size})"
        try:
            parsed = note.verify(cp.note, name, pub, origin=origin)
        except note.NoteError as exc:
            raise AuditFailure(f"{label}: {exc}") from None
        if parsed.size != cp.size or parsed.root != bytes(cp.root):
            raise AuditFailure(f"{label}: the stored size or root differs from the signed text")
        out.append((parsed.size, parsed.root, label))
    return out


def verify_ledger() -> VerifyResult:
    cps = checked_checkpoints()
    frontier, roots = replay(_rows(), snapshot_sizes={size for size, _r, _l in cps})
    check_checkpoint_sequence([(s, r) for s, r, _l in cps], roots, frontier.size, [label for *_x, label in cps])
    head = LedgerHead.objects.filter(id=1).first()
    head_size = head.size if head else 0
    if head_size != frontier.size:
        raise AuditFailure(f"the ledger head says {head_size} events, {frontier.size} are stored",
                           min(head_size, frontier.size))
    if head is not None and bytes(head.frontier) != frontier.to_bytes():
        raise AuditFailure("the ledger head's subtree hashes do not match the events")
    return VerifyResult(size=frontier.size, root=frontier.root(), checkpoints=len(cps))
