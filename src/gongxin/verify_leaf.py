"""Paper to proof, offline: ``python -m gongxin.verify BUNDLE --leaf "ledger:128 leaf:<hex> checkpoint:200"``.

The line is printed under the QR code on every notice and public result page (its format:
gongxin/ledger/paper.py). Against a bundle whose checkpoints are already checked, this finds the
checkpoint the line names (``checkpoint:-``: the first one that covers the record), computes the
record's RFC 9162 inclusion path from the bundle's leaves and verifies it against that
checkpoint's signed root — the same proof the public page shows, done on your own computer.
Pure: standard library only (and the package's pure merkle module)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongxin.ledger import merkle
from gongxin.ledger.audit import AuditFailure

LINE_RE = re.compile(r"ledger:\s*#?(\d+)\s+leaf:\s*([0-9a-fA-F]{64})\s+checkpoint:\s*(\d+|-)")


class LeafLineError(AuditFailure):
    pass


@dataclass(frozen=True)
class LeafLine:
    seq: int
    leaf: bytes
    checkpoint: int | None
    text: str


def parse(text: str) -> LeafLine:
    m = LINE_RE.search(text or "")
    if not m:
        raise LeafLineError(f"--leaf: expected 'ledger:<number> leaf:<64 hex digits> checkpoint:<size>', got {text!r}")
    size = None if m.group(3) == "-" else int(m.group(3))
    return LeafLine(int(m.group(1)), bytes.fromhex(m.group(2)), size, m.group(0))


def check(line: LeafLine, leaves: list[bytes], checkpoints: list[tuple[int, bytes]]) -> dict:
    """``leaves``: every leaf hash of the bundle (already checked against the content);
    ``checkpoints``: (size, root) of its signed checkpoints, oldest first."""
    if line.seq >= len(leaves):
        raise LeafLineError(f"--leaf: record {line.seq} is not in this bundle (it has {len(leaves)} events)", line.seq)
    if leaves[line.seq] != line.leaf:
        raise LeafLineError(f"--leaf: record {line.seq} in this ledger has leaf hash {leaves[line.seq].hex()}, not the "
                            f"{line.leaf.hex()} printed: the printed record is not this ledger's", line.seq)
    if line.checkpoint is None:
        chosen = next(((s, r) for s, r in checkpoints if s > line.seq), None)
        if chosen is None:
            raise LeafLineError(f"--leaf: no checkpoint in this bundle covers record {line.seq} yet", line.seq)
    else:
        chosen = next(((s, r) for s, r in checkpoints if s == line.checkpoint), None)
        if chosen is None:
            raise LeafLineError(f"--leaf: this bundle has no signed checkpoint of size {line.checkpoint}", line.seq)
        if line.checkpoint <= line.seq:
            raise LeafLineError(f"--leaf: a checkpoint of size {line.checkpoint} cannot cover record {line.seq}", line.seq)
    size, root = chosen
    path = [merkle.root_of(leaves[lo:hi]) for lo, hi in merkle.inclusion_ranges(line.seq, size)]
    if not merkle.verify_inclusion(line.seq, size, line.leaf, path, root):
        raise LeafLineError(f"--leaf: the inclusion proof of record {line.seq} in checkpoint {size} does not verify",
                            line.seq)
    return {"seq": line.seq, "leaf": line.leaf.hex(), "checkpoint": size, "path": len(path)}
