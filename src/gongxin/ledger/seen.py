"""What this server last saw of the ledger, kept outside the database.

Events after the latest checkpoint carry no signature yet: someone who can write to the
database could delete them and recompute the head, and the tree alone would not show it. The
automatic signer (``autosign``) and ``gongxin ledger verify`` therefore note the size and root
they saw in a small file next to the signing key (settings.LEDGER_SEEN_FILE); the next
``verify`` fails if the ledger is now shorter, or if its first events no longer hash to that
root. The note is tied to the ledger's first event, so a rebuilt ledger (a new demo) starts a
new note. After restoring a backup on purpose, delete the file."""

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .audit import AuditFailure


@dataclass
class Seen:
    size: int
    root: bytes
    at: str


def seen_file() -> Path:
    configured = getattr(settings, "LEDGER_SEEN_FILE", "")
    return Path(configured) if configured else Path(settings.LEDGER_KEY_FILE).parent / "ledger_seen.json"


def _read() -> dict | None:
    try:
        return json.loads(seen_file().read_text())
    except (OSError, ValueError):
        return None


def read_for(first_leaf: bytes | None) -> Seen | None:
    """The note, if it was made of this ledger (the same first event)."""
    memo = _read()
    if not memo or first_leaf is None or memo.get("first_leaf") != first_leaf.hex():
        return None
    try:
        return Seen(int(memo["size"]), bytes.fromhex(memo["root"]), str(memo.get("at", "")))
    except (KeyError, TypeError, ValueError):
        return None


def check(memo: Seen, size: int, root_then: bytes | None) -> None:
    where = seen_file()
    if memo.size > size:
        raise AuditFailure(
            f"the ledger held {memo.size} events when this server last saw it ({memo.at}); it now holds {size}: "
            f"{memo.size - size} events after the latest checkpoint were removed (if you restored a backup on "
            f"purpose, delete {where})")
    if root_then != memo.root:
        raise AuditFailure(
            f"the first {memo.size} events no longer hash to the root this server saw at {memo.at}: events after "
            f"the latest checkpoint were replaced (if you restored a backup on purpose, delete {where})")


def record(size: int, root: bytes, first_leaf: bytes | None) -> None:
    """Note (size, root) unless the note already holds a larger size of this ledger. Best
    effort: an unwritable folder only loses the note."""
    if first_leaf is None:
        return
    memo = read_for(first_leaf)
    if memo is not None and memo.size >= size:
        return
    path = seen_file()
    text = json.dumps({"first_leaf": first_leaf.hex(), "size": size, "root": root.hex(),
                       "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
