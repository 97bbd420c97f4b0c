"""Forge an exported bundle the way an office holding the signing key could: change recorded
content, recompute every leaf, rebuild the tree and re-sign every checkpoint with the key. The
tree and signature checks then pass, so only replay can catch the change."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from gongxin.ledger import note
from gongxin.ledger.audit import replay
from gongxin.ledger.canonical import canonical_json


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def events(lines: list[dict], kind: str) -> list[dict]:
    """The bundle's event lines of ``kind`` (with content), oldest first."""
    return [r for r in lines if r.get("type") == "event" and "data" in r and json.loads(r["data"])["kind"] == kind]


def change(line: dict, edit: Callable[[dict], None]) -> int:
    """Apply ``edit`` to the event's payload, store it canonically, recompute its leaf hash."""
    envelope = json.loads(line["data"])
    edit(envelope["payload"])
    data = canonical_json(envelope)
    line["data"] = data.decode("utf-8")
    line["leaf_hash"] = hashlib.sha256(b"\x00" + data).hexdigest()
    return envelope["seq"]


def resign(lines: list[dict], private_key, key_name: str) -> None:
    """Rebuild the tree from the (changed) events and re-sign each checkpoint at its size."""
    rows = [(r["seq"], r["data"].encode() if "data" in r else None, bytes.fromhex(r["leaf_hash"]), None)
            for r in lines if r.get("type") == "event"]
    cps = [r for r in lines if r.get("type") == "checkpoint"]
    sizes = {note.parse(r["note"]).size for r in cps}
    _frontier, roots = replay(rows, snapshot_sizes=sizes)
    for r in cps:
        cp = note.parse(r["note"])
        r["note"] = note.sign(note.checkpoint_body(cp.origin, cp.size, roots[cp.size]), key_name, private_key)


def write(lines: list[dict], path: Path) -> Path:
    Path(path).write_text("".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in lines),
                          encoding="utf-8")
    return Path(path)
