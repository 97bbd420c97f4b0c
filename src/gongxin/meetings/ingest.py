"""Bulk ballot storage through the database driver: ``executemany`` on SQLite, binary ``COPY``
on PostgreSQL (psycopg 3). Django's ``bulk_create`` is 7–13× slower for a million rows
(REFERENCES.md), and a meeting's ballots are rewritten with new random ids at close.

Ballot ids are 62 random bits from ``secrets``; rows carry no time and no sequence. Rows are
stored in the order given: the caller shuffles first (``shuffled``) wherever that order could
tell something, as closing a meeting does. On SQLite the id is the rowid, so the ids are
sorted before they are paired with the ballots: the table then grows by appending, and its id
order is the given order. On PostgreSQL the table has no index at all (see ``Ballot``): the
heap keeps the given order and the ids need none."""

import secrets
import sys
from array import array
from collections import Counter
from collections.abc import Sequence
from itertools import repeat

from django.db import connection

from .models import Ballot
from .tally import paused_gc

CHUNK = 65_536
_TOP_TWO_BITS_OFF = bytes(b & 0x3F for b in range(256))
_MSB = 7 if sys.byteorder == "little" else 0  # the most significant byte of each 8-byte word


def _table() -> str:
    return Ballot._meta.db_table


def random_ids(n: int) -> list[int]:
    """n distinct random ids in 1 .. 2**62 - 1, from the operating system's CSPRNG, unsorted."""
    while True:
        raw = bytearray(secrets.token_bytes(8 * n))
        raw[_MSB::8] = raw[_MSB::8].translate(_TOP_TWO_BITS_OFF)  # each word < 2**62
        ids = array("q", raw).tolist()
        distinct = set(ids)
        # a repeat (or a zero) among 62-bit draws is astronomically rare: draw again
        if len(distinct) == n and 0 not in distinct:
            return ids


def shuffled(items: Sequence[str]) -> list[str]:
    """A uniformly random permutation, from the CSPRNG: the items sorted by 64 random bits
    each (a tie among a million 64-bit keys has odds below 1 in 30 million, and would only
    keep two items in their given order)."""
    keys = array("Q", secrets.token_bytes(8 * len(items))).tolist()
    return [items[i] for i in sorted(range(len(items)), key=keys.__getitem__)]


def insert_ballots(meeting_id: int, contents: Sequence[str]) -> Counter:
    """Store a meeting's ballots (texts) under fresh random ids, in the order given, and return
    how many of each distinct ballot were stored (for ``tally.tally_counted``). Runs in the
    caller's transaction. A ballot is one line of the published ballot list, so a line break
    inside one is refused.

    Each chunk is counted after it is sent: on PostgreSQL the server stores it meanwhile."""
    joined = "".join(contents)
    if "\n" in joined or "\r" in joined:
        raise ValueError("a ballot must not contain a line break")
    del joined
    n = len(contents)
    ids = random_ids(n)
    mid = int(meeting_id)
    table = _table()
    counted: Counter = Counter()
    with paused_gc(), connection.cursor() as cursor:  # a tuple per row, and no cycles
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (id, meeting_id, contents) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "int8", "text"])
                write = copy.write_row
                for start in range(0, n, CHUNK):
                    end = start + CHUNK
                    for row in zip(ids[start:end], repeat(mid), contents[start:end]):
                        write(row)
                    counted.update(contents[start:end])
        else:
            ids.sort()
            sql = f"INSERT INTO {table} (id, meeting_id, contents) VALUES (%s, %s, %s)"
            for start in range(0, n, CHUNK):
                end = start + CHUNK
                cursor.executemany(sql, list(zip(ids[start:end], repeat(mid), contents[start:end])))
                counted.update(contents[start:end])
    return counted


def read_ballots(meeting_id: int) -> list[str]:
    """A meeting's ballots, in storage order: one aggregate row (``string_agg`` /
    ``group_concat``), split on line breaks, which no ballot contains."""
    agg = "string_agg(contents, E'\\n')" if connection.vendor == "postgresql" else "group_concat(contents, char(10))"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {agg}, COUNT(*) FROM {_table()} WHERE meeting_id = %s", [int(meeting_id)])
        text, count = cursor.fetchone()
    if not count:
        return []
    ballots = text.split("\n")
    if len(ballots) != count:  # a line break that bypassed insert_ballots: say so, never miscount
        raise ValueError(f"meeting {meeting_id}: {count} ballots stored, {len(ballots)} read back")
    return ballots


def delete_ballots(meeting_id: int) -> int:
    """Delete a meeting's ballots (before they are rewritten under new ids at close). On
    SQLite, ``secure_delete`` overwrites the freed space, so the old rows — stored in the
    order of their first ids — do not linger in the file."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA secure_delete")
            previous = cursor.fetchone()[0]
            cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute(f"DELETE FROM {_table()} WHERE meeting_id = %s", [meeting_id])
        deleted = cursor.rowcount
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA secure_delete = {int(previous)}")
        return deleted
