"""Bulk ballot storage through the database driver: ``executemany`` on SQLite, ``COPY`` on
PostgreSQL (psycopg 3). Django's ``bulk_create`` is 7–13× slower for a million rows
(REFERENCES.md), and a meeting's ballots are rewritten in shuffled order at close.

Ballot ids are 128 random bits from ``secrets``; rows carry no time and no sequence."""

import secrets
from collections.abc import Iterator, Sequence

from django.db import connection

from .models import Ballot

CHUNK = 50_000


def _table() -> str:
    return Ballot._meta.db_table


def random_ids(n: int) -> Iterator[str]:
    """n random 128-bit ids as 32 hex digits (what a UUIDField stores)."""
    for start in range(0, n, CHUNK):
        count = min(CHUNK, n - start)
        blob = secrets.token_bytes(16 * count).hex()
        for i in range(count):
            yield blob[32 * i:32 * i + 32]


def _copy_escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def insert_ballots(meeting_id: int, contents: Sequence[str]) -> int:
    """Insert ballots (texts) for a meeting, in the order given. Runs in the caller's
    transaction. Returns the number inserted."""
    n = len(contents)
    if not n:
        return 0
    table = _table()
    ids = random_ids(n)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            mid = str(int(meeting_id))
            with raw.copy(f"COPY {table} (id, meeting_id, contents) FROM STDIN") as copy:
                for start in range(0, n, CHUNK):
                    block = contents[start:start + CHUNK]
                    copy.write("".join(f"{next(ids)}\t{mid}\t{_copy_escape(c)}\n" for c in block))
        else:
            sql = f"INSERT INTO {table} (id, meeting_id, contents) VALUES (%s, %s, %s)"
            for start in range(0, n, CHUNK):
                block = contents[start:start + CHUNK]
                cursor.executemany(sql, [(next(ids), meeting_id, c) for c in block])
    return n


def read_ballots(meeting_id: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT contents FROM {_table()} WHERE meeting_id = %s", [meeting_id])
        return [row[0] for row in cursor.fetchall()]


def delete_ballots(meeting_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table()} WHERE meeting_id = %s", [meeting_id])
        return cursor.rowcount
