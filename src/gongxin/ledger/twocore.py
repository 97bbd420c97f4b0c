"""``gongxin ledger verify`` on two cores: this process checks the ledger's chunks from the
first upwards while a second process (``python -m gongxin.ledger.twocore``, started here) checks
them from the last downwards, each reading its own rows from the database; they meet in the
middle. Pure: no Django (the worker reads with sqlite3 or psycopg directly).

The worker sends back, per chunk, only what the chunk adds to the tree (audit.ChunkCheck) or
the first failure inside it; this process folds every chunk into the frontier in order, so the
root and the failure reported are exactly those of the one-process path (audit.replay_chunks):
a failure in an earlier chunk is raised before one the worker found later in the ledger.
If the worker cannot start, dies or cannot read, this process checks the rest itself.

Protocol on the worker's standard output: frames of a 4-byte big-endian length and a pickle of
("start", k) before chunk k is read, ("done", k, ChunkCheck), ("fail", k, message, seq) or
("error", text). The job arrives as JSON on its standard input."""

from __future__ import annotations

import gc
import json
import os
import pickle
import select
import sqlite3
import struct
import subprocess
import sys
import urllib.parse
from collections.abc import Iterable, Iterator
from pathlib import Path

from .audit import AuditFailure, ChunkCheck, ChunkChecker, fold_chunk
from .merkle import Frontier

_HEADER = struct.Struct(">I")


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:  # not available: assume a free core
        return 0.0


# --- reading a range of events (both processes) -------------------------------------------------


def open_reader(source: dict, table: str):
    """A function (lo, hi) -> [(data, leaf_hash, nodes)] of events lo ≤ seq < hi, and a closer.
    ``source``: {"vendor": "sqlite", "path": FILE} or {"vendor": "postgresql", "conninfo": STR}."""
    sql = f"SELECT data, leaf_hash, nodes FROM {table} WHERE seq >= {{p}} AND seq < {{p}} ORDER BY seq"
    if source["vendor"] == "sqlite":
        uri = "file:" + urllib.parse.quote(os.path.abspath(source["path"])) + "?mode=ro"
        db = sqlite3.connect(uri, uri=True)
        query = sql.format(p="?")
        return (lambda lo, hi: db.execute(query, (lo, hi)).fetchall()), db.close
    if source["vendor"] == "postgresql":
        import psycopg

        conn = psycopg.connect(source["conninfo"], autocommit=True)
        query = sql.format(p="%s")

        def read(lo, hi):
            with conn.cursor() as cursor:
                cursor.execute(query, (lo, hi))
                return [(bytes(d), bytes(h), bytes(n)) for d, h, n in cursor.fetchall()]

        return read, conn.close
    raise ValueError(f"no reader for {source['vendor']!r}")


# --- the worker ----------------------------------------------------------------------------------


def _send(out, message) -> None:
    blob = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(blob)) + blob)
    out.flush()


def worker_main(job: dict, out) -> None:
    """Check chunks from the last one downwards until killed (or done, or a failure)."""
    gc.disable()  # millions of short-lived row tuples and no cycles
    size, chunk_size = job["size"], job["chunk_size"]
    checker = ChunkChecker(chunk_size, job["snapshots"])
    try:
        read, close = open_reader(job["source"], job["table"])
    except Exception as exc:  # the parent checks everything itself
        _send(out, ("error", f"{type(exc).__name__}: {exc}"))
        return
    try:
        for k in range((size + chunk_size - 1) // chunk_size - 1, -1, -1):
            _send(out, ("start", k))
            base = k * chunk_size
            rows = read(base, min(base + chunk_size, size))
            if len(rows) != min(chunk_size, size - base):
                _send(out, ("error", f"chunk {k}: {len(rows)} rows read"))
                return
            try:
                checked = checker.check(rows, base)
            except AuditFailure as exc:
                _send(out, ("fail", k, exc.message, exc.seq))
                return
            _send(out, ("done", k, checked))
    except BrokenPipeError:  # the parent has finished
        pass
    finally:
        close()


# --- the parent ----------------------------------------------------------------------------------


class _Worker:
    """The second process and what it has delivered: results for chunks [low, nchunks)."""

    def __init__(self, job: dict):
        self.results: dict[int, tuple] = {}
        self.started: int | None = None
        self.low = job["nchunks"]  # every chunk ≥ low is delivered
        self.buffer = b""
        self.alive = True
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parents[2])  # the folder holding gongxin/
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "gongxin.ledger.twocore"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
            self.proc.stdin.write(json.dumps(job).encode())
            self.proc.stdin.close()
        except OSError:
            self.proc = None
            self.alive = False
        self.fd = self.proc.stdout.fileno() if self.proc else None

    def poll(self, *, block: bool) -> None:
        """Read what the worker has sent (waiting for something if ``block``)."""
        while self.alive:
            ready, _w, _x = select.select([self.fd], [], [], None if block else 0)
            if not ready:
                return
            data = os.read(self.fd, 1 << 16)
            if not data:
                self.alive = False
                return
            self.buffer += data
            while len(self.buffer) >= 4:
                (length,) = _HEADER.unpack_from(self.buffer)
                if len(self.buffer) < 4 + length:
                    break
                message = pickle.loads(self.buffer[4:4 + length])
                self.buffer = self.buffer[4 + length:]
                self._take(message)
            if block:
                return

    def _take(self, message: tuple) -> None:
        kind = message[0]
        if kind == "start":
            self.started = message[1]
        elif kind in ("done", "fail"):
            k = message[1]
            self.results[k] = message
            if k == self.low - 1:
                self.low = k
        else:  # "error": it stops; the parent reads the rest
            self.alive = False

    def busy_with(self, k: int) -> bool:
        return self.alive and self.started == k and k not in self.results

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            self.proc.stdout.close()


def replay_two_processes(chunks: Iterable[list[tuple[bytes, bytes, bytes]]], *, size: int, chunk_size: int,
                         source: dict, table: str, snapshot_sizes: Iterable[int] = (),
                         stats: dict | None = None, worker_first: int = 0) -> tuple[Frontier, dict[int, bytes]]:
    """The result of ``audit.replay_chunks(chunks, ...)`` — same frontier, roots and first
    failure — with a worker checking chunks from the end. ``chunks`` is this process's own
    reader of events [0, size) in order; it stops reading where the worker's part begins.
    ``stats`` (optional) receives how many chunks each process checked. ``worker_first``: wait
    until the worker has delivered that many chunks before starting (tests: so that on a small
    ledger the worker's part is not empty by the chance of start-up times)."""
    checker = ChunkChecker(chunk_size, snapshot_sizes)
    nchunks = (size + chunk_size - 1) // chunk_size
    frontier = Frontier()
    roots: dict[int, bytes] = {}
    if 0 in checker.wanted:
        roots[0] = frontier.root()
    worker = _Worker({"source": source, "table": table, "size": size, "chunk_size": chunk_size,
                      "snapshots": checker.wanted, "nchunks": nchunks})
    mine = 0
    try:
        while worker.alive and nchunks - worker.low < min(worker_first, nchunks):
            worker.poll(block=True)
        it: Iterator = iter(chunks)
        k = 0
        while k < nchunks:
            worker.poll(block=False)
            if worker.low <= k:
                break  # the rest is the worker's
            if worker.busy_with(k):
                worker.poll(block=True)
                continue
            chunk = next(it, None)
            expected = min(chunk_size, size - k * chunk_size)
            if chunk is None or len(chunk) != expected:
                raise ValueError(f"chunk {k}: expected {expected} rows")
            fold_chunk(frontier, checker.check(chunk, k * chunk_size), roots, checker.p)
            mine += 1
            k += 1
        for j in range(k, nchunks):
            message = worker.results[j]
            if message[0] == "fail":
                raise AuditFailure(message[2], message[3])
            checked: ChunkCheck = message[2]
            fold_chunk(frontier, checked, roots, checker.p)
        if stats is not None:
            stats.update(processes=2, parent_chunks=mine, worker_chunks=nchunks - mine)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
        worker.stop()
    return frontier, roots


if __name__ == "__main__":
    worker_main(json.loads(sys.stdin.buffer.read()), sys.stdout.buffer)
