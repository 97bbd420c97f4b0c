"""Bulk ballot storage through the database driver: ``executemany`` on SQLite, ``COPY`` on
PostgreSQL (psycopg 3). Django's ``bulk_create`` is 7–13× slower for a million rows
(REFERENCES.md), and a meeting's ballots are rewritten with new random ids at close.

Ballot ids are 62 random bits from ``secrets``; rows carry no time and no sequence. A batch
is written in the order of its ids, so the primary key (and, on SQLite, the table itself)
grows by appending rather than by random inserts — and the stored order says nothing about
the order the ballots came in."""

import secrets
from array import array
from collections.abc import Sequence

from django.db import connection

from .models import Ballot

CHUNK = 50_000


def _table() -> str:
    return Ballot._meta.db_table


def random_ids(n: int) -> list[int]:
    """n distinct random ids in 1 .. 2**62, from the operating system's CSPRNG, unsorted."""
    while True:
        words = array("Q", secrets.token_bytes(8 * n))
        ids = [(w >> 2) + 1 for w in words]
        if len(set(ids)) == n:  # a repeat among 62-bit draws is astronomically rare: draw again
            return ids


def with_random_ids(contents: Sequence[str]) -> list[tuple[int, str]]:
    """Pair each ballot with a fresh random id and order by id: a uniformly random order
    (the ids are independent of the ballots), drawn from the OS's CSPRNG."""
    ids = random_ids(len(contents))
    order = sorted(range(len(ids)), key=ids.__getitem__)
    return [(ids[i], contents[i]) for i in order]


def _copy_escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def insert_ballots(meeting_id: int, contents: Sequence[str]) -> list[str]:
    """Insert ballots (texts) for a meeting under fresh random ids, in id order. Runs in the
    caller's transaction. Returns the ballots in stored (id) order: the published order."""
    rows = with_random_ids(contents)
    n = len(rows)
    table = _table()
    mid = int(meeting_id)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (id, meeting_id, contents) FROM STDIN") as copy:
                for start in range(0, n, CHUNK):
                    copy.write("".join(f"{i}\t{mid}\t{_copy_escape(c)}\n" for i, c in rows[start:start + CHUNK]))
        else:
            sql = f"INSERT INTO {table} (id, meeting_id, contents) VALUES (%s, %s, %s)"
            for start in range(0, n, CHUNK):
                cursor.executemany(sql, [(i, mid, c) for i, c in rows[start:start + CHUNK]])
    return [c for _i, c in rows]


def read_ballots(meeting_id: int) -> list[str]:
    """A meeting's ballots, in no particular order (the published order is kept at close)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT contents FROM {_table()} WHERE meeting_id = %s", [meeting_id])
        return [row[0] for row in cursor.fetchall()]


def delete_ballots(meeting_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table()} WHERE meeting_id = %s", [meeting_id])
        return cursor.rowcount
