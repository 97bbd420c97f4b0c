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


def _copy_escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def insert_ballots(meeting_id: int, contents: Sequence[str]) -> list[str]:
    """Insert ballots (texts) for a meeting under fresh random ids, in id order. Runs in the
    caller's transaction. Returns the ballots in stored (id) order: the published order."""
    n = len(contents)
    ids = random_ids(n)
    order = sorted(range(n), key=ids.__getitem__)
    table = _table()
    mid = int(meeting_id)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            joined = "\x00".join(contents)
            special = any(ch in joined for ch in ("\\", "\t", "\n", "\r"))
            with cursor.cursor.copy(f"COPY {table} (id, meeting_id, contents) FROM STDIN") as copy:
                for start in range(0, n, CHUNK):
                    chunk = order[start:start + CHUNK]
                    if special:
                        copy.write("".join(f"{ids[i]}\t{mid}\t{_copy_escape(contents[i])}\n" for i in chunk))
                    else:
                        copy.write("".join(f"{ids[i]}\t{mid}\t{contents[i]}\n" for i in chunk))
        else:
            sql = f"INSERT INTO {table} (id, meeting_id, contents) VALUES (%s, %s, %s)"
            for start in range(0, n, CHUNK):
                cursor.executemany(sql, [(ids[i], mid, contents[i]) for i in order[start:start + CHUNK]])
    return [contents[i] for i in order]


def iter_ballots(meeting_id: int, chunk: int = CHUNK):
    """Stream a meeting's ballots without holding the rows: ``COPY ... TO STDOUT`` on
    PostgreSQL (a client-side cursor would buffer every row), a plain cursor on SQLite."""
    mid = int(meeting_id)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tail = b""  # an incomplete last line, carried into the next gathering
            with cursor.cursor.copy(f"COPY (SELECT contents FROM {_table()} WHERE meeting_id = {mid}) TO STDOUT") as copy:
                blocks: list[bytes] = []
                size = 0
                for block in copy:  # libpq hands over one row per block: gather ~1 MB at a time
                    blocks.append(bytes(block))
                    size += len(block)
                    if size < 1 << 20:
                        continue
                    data = tail + b"".join(blocks)
                    blocks, size = [], 0
                    cut = data.rfind(b"\n")
                    tail = data[cut + 1:]
                    yield from _lines(data[:cut])
                data = tail + b"".join(blocks)
                if data:
                    yield from _lines(data[:-1] if data.endswith(b"\n") else data)
        else:
            cursor.execute(f"SELECT contents FROM {_table()} WHERE meeting_id = %s", [mid])
            while rows := cursor.fetchmany(chunk):
                for row in rows:
                    yield row[0]


def _lines(data: bytes):
    """Whole COPY text lines (no split UTF-8 sequence) → the contents, unescaped if needed."""
    text = data.decode("utf-8")
    if "\\" in text:
        return map(_copy_unescape, text.split("\n"))
    return text.split("\n")


def _copy_unescape(text: str) -> str:
    out, i = [], 0
    table = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(table.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def read_ballots(meeting_id: int) -> list[str]:
    """A meeting's ballots, in no particular order (the published order is kept at close)."""
    return list(iter_ballots(meeting_id))


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
