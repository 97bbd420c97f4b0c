"""``gongxin ledger verify``: recompute every leaf from its stored bytes, every stored subtree
hash, every checkpoint's root and signature; sizes must grow. Streams the events."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Max, Min

from . import keys, note
from .audit import AuditFailure, check_checkpoint_sequence, replay, replay_chunks
from .models import Checkpoint, Event, LedgerHead

CHUNK = 8192  # a power of two: each chunk is an aligned subtree (audit.replay_chunks)


@dataclass
class VerifyResult:
    size: int
    root: bytes
    checkpoints: int


def _chunks(size: int):
    """(data, leaf_hash, nodes) of events [0, size) in order, CHUNK rows at a time: a
    server-side cursor on PostgreSQL, fetchmany on SQLite. (``QuerySet.iterator(chunk_size)``
    streams the same way, but its per-row ORM work costs more than the hashing itself.)"""
    table = Event._meta.db_table
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT data, leaf_hash, nodes FROM {table} WHERE seq < %s ORDER BY seq", [size])
        while chunk := cursor.fetchmany(CHUNK):
            if not isinstance(chunk[0][0], bytes):  # bytea as memoryview
                chunk = [(bytes(d), bytes(h), bytes(n)) for d, h, n in chunk]
            yield chunk


def _rows(size: int):
    """Row by row with the sequence number: the slow path that names a gap or duplicate."""
    qs = Event.objects.filter(seq__lt=size).order_by("seq").values_list("seq", "data", "leaf_hash", "nodes")
    for seq, d, h, n in qs.iterator(chunk_size=CHUNK):
        yield seq, bytes(d), bytes(h), bytes(n)


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
    head = LedgerHead.objects.filter(id=1).first()
    size = head.size if head else 0  # events below the head's size had committed when it was read
    cps = checked_checkpoints()
    snapshots = {s for s, _r, _l in cps}
    stats = Event.objects.filter(seq__lt=size).aggregate(n=Count("seq"), lo=Min("seq"), hi=Max("seq"))
    if size and (stats["n"], stats["lo"], stats["hi"]) == (size, 0, size - 1):
        frontier, roots = replay_chunks(_chunks(size), chunk_size=CHUNK, snapshot_sizes=snapshots)
    else:  # a gap: find and name it row by row
        frontier, roots = replay(_rows(size), snapshot_sizes=snapshots)
    if frontier.size != size:
        raise AuditFailure(f"the ledger head says {size} events, {frontier.size} are stored", frontier.size)
    check_checkpoint_sequence([(s, r) for s, r, _l in cps], roots, frontier.size, [label for *_x, label in cps])
    if head is not None and bytes(head.frontier) != frontier.to_bytes():
        raise AuditFailure("the ledger head's subtree hashes do not match the events")
    return VerifyResult(size=frontier.size, root=frontier.root(), checkpoints=len(cps))
