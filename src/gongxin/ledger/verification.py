"""``gongxin ledger verify``: recompute every leaf from its stored bytes, every stored subtree
hash, every checkpoint's root and signature; sizes must grow. Streams the events."""

import os
import sqlite3
import urllib.parse
from contextlib import closing
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Max, Min
from django.utils.translation import gettext as _

from gongxin.core.gcpause import gc_paused

from . import keyhistory, keys, note, seen, twocore
from .audit import AuditFailure, check_checkpoint_sequence, replay, replay_chunks
from .models import Checkpoint, Event, LedgerHead

CHUNK = 8192  # a power of two: each chunk is an aligned subtree (audit.replay_chunks)
# Below this many events a second process costs more than it saves (starting Python and
# connecting take about as long as checking 4 chunks).
TWO_CORE_MIN = 4 * CHUNK


@dataclass
class VerifyResult:
    size: int
    root: bytes
    checkpoints: int
    uncovered: int = 0  # events after the latest checkpoint: not yet covered by a signature
    keys: list = field(default_factory=list)  # the keys the ledger declared (keyhistory.LedgerKey)
    declared: bool = True
    processes: int = 1  # 2: a second process checked the chunks from the end (twocore)
    worker_chunks: int = 0


def worker_source() -> dict | None:
    """Where a second process can read the events itself: the SQLite file, or PostgreSQL's
    connection parameters. None for an in-memory database (tests) or another vendor."""
    if connection.vendor == "sqlite":
        path = _sqlite_file()
        return {"vendor": "sqlite", "path": path} if path else None
    if connection.vendor == "postgresql":
        from psycopg.conninfo import make_conninfo

        s = connection.settings_dict
        params = {"dbname": s["NAME"], "user": s.get("USER"), "password": s.get("PASSWORD"), "host": s.get("HOST"),
                  "port": s.get("PORT")}
        params.update({k: v for k, v in (s.get("OPTIONS") or {}).items()
                       if isinstance(v, str | int) and not isinstance(v, bool) and k not in ("isolation_level",)})
        return {"vendor": "postgresql", "conninfo": make_conninfo(**{k: v for k, v in params.items() if v})}
    return None


def processes_wanted(size: int, processes: int | None) -> int:
    """1 or 2: asked for (``--processes``, GONGXIN_VERIFY_PROCESSES), else 2 when there are two
    cores to use — a core is free (load average below the cores less one) — and the ledger is
    big enough for the second process to pay for itself. On a busy machine the second process
    gets no CPU of its own and only adds its start-up (measured: 0.65× the one-process speed at
    load 11–13 on 2 cores)."""
    if processes is None:
        env = os.environ.get("GONGXIN_VERIFY_PROCESSES", "").strip()
        processes = int(env) if env.isdigit() else None
    if processes is None:
        cores = twocore.available_cores()
        return 2 if cores >= 2 and size >= TWO_CORE_MIN and twocore.load_average() < cores - 1 else 1
    return 2 if processes >= 2 else 1


def _chunks(size: int, chunk: int = CHUNK):
    """(data, leaf_hash, nodes) of events [0, size) in order, CHUNK rows at a time: a
    server-side cursor on PostgreSQL, fetchmany on SQLite. (``QuerySet.iterator(chunk_size)``
    streams the same way, but its per-row ORM work costs more than the hashing itself.)"""
    path = _sqlite_file()
    if path is not None:
        yield from sqlite_file_chunks(path, size, chunk)
        return
    table = Event._meta.db_table
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT data, leaf_hash, nodes FROM {table} WHERE seq < %s ORDER BY seq", [size])
        while rows := cursor.fetchmany(chunk):
            if not isinstance(rows[0][0], bytes):  # bytea as memoryview
                rows = [(bytes(d), bytes(h), bytes(n)) for d, h, n in rows]
            yield rows


def _sqlite_file() -> str | None:
    """The SQLite database file, when there is one (not an in-memory test database)."""
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    if name in ("", ":memory:") or "mode=memory" in name or name.startswith("file:"):
        return None
    return name if os.path.exists(name) else None


def sqlite_file_chunks(path: str, size: int, chunk: int = CHUNK):
    """A separate read-only connection without Django's column-type detection, which costs
    about as much per row as the hashing. Safe to read beside the writers: rows below ``size``
    were committed before the head was read, and nothing updates them."""
    uri = "file:" + urllib.parse.quote(os.path.abspath(path)) + "?mode=ro"
    db = sqlite3.connect(uri, uri=True)
    try:
        cursor = db.execute(f"SELECT data, leaf_hash, nodes FROM {Event._meta.db_table} WHERE seq < ? ORDER BY seq",
                            [size])
        while rows := cursor.fetchmany(chunk):
            yield rows
    finally:
        db.close()


def _rows(size: int):
    """Row by row with the sequence number: the slow path that names a gap or duplicate."""
    qs = Event.objects.filter(seq__lt=size).order_by("seq").values_list("seq", "data", "leaf_hash", "nodes")
    for seq, d, h, n in qs.iterator(chunk_size=CHUNK):
        yield seq, bytes(d), bytes(h), bytes(n)


def checked_checkpoints(history: keyhistory.KeyHistory | None = None) -> list[tuple[int, bytes, str]]:
    """(size, root, label) for every checkpoint, each signature checked against the key the
    ledger declared for that size (a ledger that declares none: the configured key)."""
    history = keys.history() if history is None else history
    legacy = None
    if not history and Checkpoint.objects.exists():
        legacy = keys.legacy_key()
        if legacy is None:
            raise AuditFailure(str(_("账本尚未声明签名密钥，也找不到配置的密钥，无法核验检查点的签名。查找过：{where}。").format(
                where=keys.where_looked())))
    out = []
    for cp in Checkpoint.objects.order_by("id").iterator():
        label = f"checkpoint #{cp.pk} (size {cp.size})"
        key = history.key_at(cp.size) if history else legacy
        try:
            parsed = note.verify(cp.note, key.name, key.public_key, origin=key.origin)
        except note.NoteError as exc:
            raise AuditFailure(f"{label}: {exc} (the key the ledger declared for this size is {key.verifier_key})") from None
        if parsed.size != cp.size or parsed.root != bytes(cp.root):
            raise AuditFailure(f"{label}: the stored size or root differs from the signed text")
        out.append((parsed.size, parsed.root, label))
    return out


def verify_ledger(*, processes: int | None = None, chunk_size: int = CHUNK, worker_first: int = 0) -> VerifyResult:
    """``processes``: 1, 2, or None to choose (processes_wanted). The two-process path gives
    the same root and the same first failure as the one-process path."""
    head = LedgerHead.objects.filter(id=1).first()
    size = head.size if head else 0  # events below the head's size had committed when it was read
    try:
        history = keys.history()
    except keyhistory.KeyHistoryError as exc:
        raise AuditFailure(str(exc), exc.seq) from None
    cps = checked_checkpoints(history)
    memo = seen.read_for(first_leaf(size))
    snapshots = {s for s, _r, _l in cps} | ({memo.size} if memo and memo.size <= size else set())
    stats = Event.objects.filter(seq__lt=size).aggregate(n=Count("seq"), lo=Min("seq"), hi=Max("seq"))
    used = {"processes": 1, "worker_chunks": 0}
    if size and (stats["n"], stats["lo"], stats["hi"]) == (size, 0, size - 1):
        source = worker_source() if processes_wanted(size, processes) == 2 and size > chunk_size else None
        # millions of short-lived row tuples and no cycles: collections only cost time (gc_paused).
        # The reader is closed here, whatever happens: a check that stops early (a failure, or the
        # second process met in the middle) leaves the generator inside its server-side cursor, and
        # a generator finalized later by the collector would close that cursor in the middle of
        # another query on the same connection, which waits for itself for ever (seen on
        # PostgreSQL: a test run hung in a flush after a failing verify)
        with gc_paused(), closing(_chunks(size, chunk_size)) as chunks:
            if source is not None:
                frontier, roots = twocore.replay_two_processes(
                    chunks, size=size, chunk_size=chunk_size, source=source,
                    table=Event._meta.db_table, snapshot_sizes=snapshots, stats=used,
                    worker_first=worker_first)
            else:
                frontier, roots = replay_chunks(chunks, chunk_size=chunk_size, snapshot_sizes=snapshots)
    else:  # a gap: find and name it row by row
        with closing(_rows(size)) as rows:   # its iterator is a server-side cursor too
            frontier, roots = replay(rows, snapshot_sizes=snapshots)
    if frontier.size != size:
        raise AuditFailure(f"the ledger head says {size} events, {frontier.size} are stored", frontier.size)
    check_checkpoint_sequence([(s, r) for s, r, _l in cps], roots, frontier.size, [label for *_x, label in cps])
    if head is not None and bytes(head.frontier) != frontier.to_bytes():
        raise AuditFailure("the ledger head's subtree hashes do not match the events")
    if memo is not None:
        seen.check(memo, frontier.size, roots.get(memo.size))
    root = frontier.root()
    seen.record(frontier.size, root, first_leaf(size))
    covered = max((s for s, _r, _l in cps), default=0)
    return VerifyResult(size=frontier.size, root=root, checkpoints=len(cps), uncovered=frontier.size - covered,
                        keys=list(history.keys), declared=bool(history), processes=used.get("processes", 1),
                        worker_chunks=used.get("worker_chunks", 0))


def first_leaf(size: int) -> bytes | None:
    if not size:
        return None
    leaf = Event.objects.filter(seq=0).values_list("leaf_hash", flat=True).first()
    return bytes(leaf) if leaf is not None else None
