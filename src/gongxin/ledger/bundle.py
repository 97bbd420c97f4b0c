"""Export bundles: JSON Lines, streamed. Read by ``python -m gongxin.verify``.

    {"type": "header", "format": "gongxin-ledger/1", "audience": "public"|"auditor", "origin": …,
     "key_name": …, "public_key": base64, "verifier_key": "<name>+<id>+<key>", "size": n, …}
    {"type": "checkpoint", "note": "<signed note text>"}          one per checkpoint, oldest first,
                                                                  with the witnesses' cosignature lines
    {"type": "event", "seq": n, "leaf_hash": hex, "data": "<canonical JSON text>"}   auditor, or public event
    {"type": "event", "seq": n, "leaf_hash": hex}                  public bundle, private event
    {"type": "end", "events": n}

``data`` is the stored canonical JSON as text; its UTF-8 bytes are exactly the hashed bytes."""

import base64
import json

from django.utils import timezone

from . import keys
from .models import Checkpoint, Event, LedgerHead
from .witnesses import published_note

FORMAT = "gongxin-ledger/1"
AUDIENCES = ("public", "auditor")
CHUNK = 10_000


def _line(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def bundle_lines(*, audience: str = "public"):
    """The bundle, line by line. Consistent without a long transaction: the ledger is
    append-only, so everything below the head's size (read first) is fixed."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}")
    head = LedgerHead.objects.filter(id=1).first()
    size = head.size if head else 0
    yield _line({
        "type": "header", "format": FORMAT, "audience": audience, "origin": keys.origin(),
        "key_name": keys.key_name(), "public_key": base64.b64encode(keys.public_key()).decode(),
        "verifier_key": keys.verifier_key(), "size": size, "exported_at": timezone.now().isoformat(),
    })
    for cp in Checkpoint.objects.filter(size__lte=size).order_by("id").prefetch_related("cosignatures"):
        yield _line({"type": "checkpoint", "note": published_note(cp), "reason": cp.reason})
    full = audience == "auditor"
    rows = (Event.objects.filter(seq__lt=size).order_by("seq")
            .values_list("seq", "public", "data", "leaf_hash").iterator(chunk_size=CHUNK))
    n = 0
    for seq, public, data, leaf in rows:
        if full or public:
            yield _line({"type": "event", "seq": seq, "leaf_hash": bytes(leaf).hex(), "data": bytes(data).decode("utf-8")})
        else:
            yield _line({"type": "event", "seq": seq, "leaf_hash": bytes(leaf).hex()})
        n += 1
    yield _line({"type": "end", "events": n})


def write_bundle(fh, *, audience: str = "public") -> int:
    """Write the bundle to a text file handle; returns the number of events."""
    n = 0
    for line in bundle_lines(audience=audience):
        fh.write(line)
        n += line.startswith('{"type":"event"')
    return n
