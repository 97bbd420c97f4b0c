"""Replaying a ledger: the streaming check shared by ``gongxin ledger verify`` (database) and
``python -m gongxin.verify`` (exported bundle). Pure: no Django.

Events arrive in order as (seq, data, leaf_hash, nodes); ``data`` or ``leaf_hash`` may be None
(a public bundle has only leaf hashes for private events) and ``nodes`` is None when there are
no stored subtree hashes to check. Memory stays O(log n): one frontier, no list of leaves.
Hashing is done from the stored bytes, never by re-encoding JSON."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from .merkle import HASH_SIZE, Frontier

_sha256 = hashlib.sha256
_SEQ_KEY = b',"seq":'


class AuditFailure(Exception):
    """The first thing that does not match; ``seq`` names the event when there is one."""

    def __init__(self, message: str, seq: int | None = None):
        super().__init__(message)
        self.seq = seq
        self.message = message

    def __str__(self) -> str:
        return self.message if self.seq is None else f"seq {self.seq}: {self.message}"


def embedded_seq(data: bytes) -> int | None:
    """The envelope's "seq": the last ``,"seq":`` in the canonical bytes (keys are sorted, so
    it follows "payload"; what follows it — subject and time — holds no unescaped quote)."""
    at = data.rfind(_SEQ_KEY)
    if at < 0:
        return None
    start = at + len(_SEQ_KEY)
    end = data.find(b",", start)
    try:
        return int(data[start:end])
    except ValueError:
        return None


def replay(rows: Iterable[tuple], *, snapshot_sizes: Iterable[int] = (), start: Frontier | None = None) -> tuple[Frontier, dict[int, bytes]]:
    """Check every row and rebuild the tree. Returns the final frontier and the roots at
    ``snapshot_sizes``. Raises AuditFailure at the first event that does not match."""
    frontier = start or Frontier()
    hashes = frontier.hashes
    size = frontier.size
    wanted = set(snapshot_sizes)
    roots: dict[int, bytes] = {}
    if size in wanted:
        roots[size] = frontier.root()
    for seq, data, leaf, nodes in rows:
        if seq != size:
            raise AuditFailure(f"expected event {size}, found {seq} (a gap or a duplicate)", size)
        if data is not None:
            h = _sha256(b"\x00" + data).digest()
            if leaf is not None and h != leaf:
                raise AuditFailure("the stored payload does not hash to the stored leaf hash", seq)
            if embedded_seq(data) != seq:
                raise AuditFailure("the payload names another sequence number", seq)
        elif leaf is not None and len(leaf) == HASH_SIZE:
            h = leaf
        else:
            raise AuditFailure("neither payload nor a 32-byte leaf hash", seq)
        index = size
        if index & 1:
            level = 0
            while index & 1:
                h = _sha256(b"\x01" + hashes.pop() + h).digest()
                if nodes is not None and nodes[level * 32: level * 32 + 32] != h:
                    raise AuditFailure("a stored subtree hash does not match the events", seq)
                level += 1
                index >>= 1
            if nodes is not None and len(nodes) != level * 32:
                raise AuditFailure("stored subtree hashes have the wrong length", seq)
        elif nodes:
            raise AuditFailure("stored subtree hashes where none belong", seq)
        hashes.append(h)
        size += 1
        if size in wanted:
            frontier.size = size
            roots[size] = frontier.root()
    frontier.size = size
    return frontier, roots


def check_checkpoint_sequence(checkpoints: list[tuple[int, bytes]], roots: dict[int, bytes], final_size: int,
                              names: list[str] | None = None) -> None:
    """Sizes never shrink; each root equals the rebuilt tree's root at that size."""
    previous = -1
    for i, (size, root) in enumerate(checkpoints):
        label = names[i] if names else f"checkpoint {i + 1}"
        if size < previous:
            raise AuditFailure(f"{label}: size {size} is smaller than the previous checkpoint's {previous}")
        previous = size
        if size > final_size:
            raise AuditFailure(f"{label}: covers {size} events but only {final_size} are present")
        if roots.get(size) != root:
            raise AuditFailure(f"{label}: root for size {size} does not match the events")
