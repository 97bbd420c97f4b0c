"""The sealed box's storage: sealed ballots in, and at close everything that could still hold
the order of casting rewritten afresh (DOMAIN §3.1, issue 13).

While a meeting is open a cast writes one ``SealedBallot`` (which the system cannot read) and
spends its code: the database's own bookkeeping (rowid, ctid, xmin, page position) may link
the two, but what it links is a box nobody can open without k teller shares. At close, in
one transaction: the boxes are opened in memory (``open_boxes``, on every core when there
are many), counted against the used codes, shuffled and written as plaintext ballots under
new random ids (``ingest``); the boxes are deleted; the meeting's codes and the published
receipts are rewritten in a random order too; after commit the tables are vacuumed so no
dead row version keeps the old order."""

import os
import secrets
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from itertools import repeat

from django.db import connection, transaction

from . import ingest, sealing
from .models import BallotCode, Receipt, SealedBallot, TellerEntry

CHUNK = 32_768
POOL_MIN = 40_000          # below this the worker start-up costs more than it saves


def store_box(meeting_id: int, box: bytes) -> None:
    SealedBallot.objects.create(meeting_id=meeting_id, box=box)


def count_boxes(meeting_id: int) -> int:
    return SealedBallot.objects.filter(meeting_id=meeting_id).count()


def box_chunks(meeting_id: int, size: int = CHUNK) -> Iterator[list[bytes]]:
    """The meeting's boxes, ``size`` at a time (a server-side cursor on PostgreSQL)."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT box FROM {SealedBallot._meta.db_table} WHERE meeting_id = %s", [int(meeting_id)])
        while True:
            rows = cursor.fetchmany(size)
            if not rows:
                return
            yield [bytes(r[0]) for r in rows]


def workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def open_boxes(private: bytes, chunks: Iterator[list[bytes]], *, total: int) -> list[str]:
    """Every box opened, in no particular order. Raises ``sealing.SealError`` if any box does
    not open. With many boxes and more than one core the chunks go to worker processes
    (spawned: ``sealing`` imports no Django), at most two chunks per worker in flight."""
    n = workers()
    if total < POOL_MIN or n < 2:
        opener = sealing.Opener(private)
        out: list[str] = []
        for chunk in chunks:
            out.extend(opener.open_all(chunk))
        return out
    import multiprocessing

    out = []
    with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending = []
        for chunk in chunks:
            pending.append(pool.submit(sealing.open_chunk, (private, chunk)))
            if len(pending) >= 2 * n:
                out.extend(pending.pop(0).result())
        for future in pending:
            out.extend(future.result())
    return out


def open_and_rewrite(meeting_id: int, private: bytes | None, *, boxes: int, extra: Sequence[str] = ()
                     ) -> tuple[list[str], Counter]:
    """The heart of opening, in the caller's transaction: open the meeting's ``boxes`` sealed
    ballots, add the plaintext ones of a meeting opened before sealing and ``extra`` (the
    agreed paper ballots), shuffle them all (CSPRNG), delete the stored ones and write them
    afresh, in that order, under new random ids. Returns the shuffled ballots and the count
    of each distinct ballot (for ``tally.tally_counted``)."""
    electronic = []
    if boxes:
        # closed here even when opening stops early: see ledger.verification (a server-side
        # cursor left to the collector can hang the connection)
        with closing(box_chunks(meeting_id)) as chunks:
            electronic = open_boxes(private, chunks, total=boxes)
    electronic += ingest.read_ballots(meeting_id)
    ingest.delete_ballots(meeting_id)
    delete_boxes(meeting_id)
    electronic.extend(extra)
    ballots = ingest.shuffled(electronic)
    del electronic
    return ballots, ingest.insert_ballots(meeting_id, ballots)


def delete_boxes(meeting_id: int) -> int:
    with connection.cursor() as cursor, _secure_delete(cursor):
        cursor.execute(f"DELETE FROM {SealedBallot._meta.db_table} WHERE meeting_id = %s", [int(meeting_id)])
        return cursor.rowcount


class _secure_delete:
    """On SQLite, overwrite freed space while deleting (the old rows must not linger)."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.previous = None

    def __enter__(self):
        if connection.vendor == "sqlite":
            self.cursor.execute("PRAGMA secure_delete")
            self.previous = self.cursor.fetchone()[0]
            self.cursor.execute("PRAGMA secure_delete = ON")
        return self

    def __exit__(self, *exc):
        if self.previous is not None:
            self.cursor.execute(f"PRAGMA secure_delete = {int(self.previous)}")


def _random_uuid_hex(n: int) -> list[str]:
    raw = secrets.token_bytes(16 * n).hex()
    return [raw[i:i + 32] for i in range(0, 32 * n, 32)]


def _insert_rows(table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            for start in range(0, len(rows), ingest.CHUNK):
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows[start:start + ingest.CHUNK])


def rewrite_codes_and_receipts(meeting_id: int) -> list[str]:
    """Rewrite the meeting's codes in a random order under new ids (a used code's row was
    last written by its cast) and write the receipt list, from the used codes, in another
    random order. Returns the receipts. Runs in the caller's transaction."""
    mid = int(meeting_id)
    codes_table = BallotCode._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT code_hash, status, receipt FROM {codes_table} WHERE meeting_id = %s", [mid])
        rows = cursor.fetchall()
        legacy = list(Receipt.objects.filter(meeting_id=mid).values_list("code", flat=True))
        with _secure_delete(cursor):
            cursor.execute(f"DELETE FROM {codes_table} WHERE meeting_id = %s", [mid])
            cursor.execute(f"DELETE FROM {Receipt._meta.db_table} WHERE meeting_id = %s", [mid])
    rows = ingest.shuffled(rows)
    _insert_rows(codes_table, ["id", "meeting_id", "code_hash", "status", "receipt"],
                 [(u, mid, h, s, r) for u, (h, s, r) in zip(_random_uuid_hex(len(rows)), rows, strict=True)])
    # legacy: receipts of codes made before receipts were derived from the code
    receipts = ingest.shuffled([r for _h, s, r in rows if s == "used" and r] + legacy)
    _insert_rows(Receipt._meta.db_table, ["id", "meeting_id", "code"],
                 list(zip(_random_uuid_hex(len(receipts)), repeat(mid), receipts)))
    return receipts


def open_paper_entries(meeting_id: int, opener: sealing.Opener | None) -> dict[int, dict[int, str]]:
    """teller → pile number → contents, the sealed ones opened."""
    entries: dict[int, dict[int, str]] = {1: {}, 2: {}}
    for teller, pile_no, contents, box in TellerEntry.objects.filter(meeting_id=meeting_id).values_list(
            "teller", "pile_no", "contents", "sealed"):
        if box is not None:
            if opener is None:
                raise sealing.SealError("a sealed paper entry and no key")
            contents = opener.open(bytes(box))
        entries[teller][pile_no] = contents
    return entries


VACUUMED = (SealedBallot, BallotCode, Receipt, TellerEntry)


def vacuum_after_commit() -> None:
    """Once the close has committed: PostgreSQL ``VACUUM`` of the tables the old order could
    linger in (outside a transaction, as it must be), SQLite ``VACUUM`` (the whole file) and a
    WAL checkpoint that truncates the log. Best effort: a failure leaves the result intact, and
    on PostgreSQL autovacuum gets there too."""

    def _vacuum():
        from .models import Ballot

        try:
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    for model in (*VACUUMED, Ballot):
                        cursor.execute(f"VACUUM {model._meta.db_table}")
                elif connection.vendor == "sqlite":
                    cursor.execute("VACUUM")
                    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except Exception:  # noqa: BLE001 - see the docstring
            pass

    transaction.on_commit(_vacuum)
