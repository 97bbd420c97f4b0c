"""Export bundles: JSON Lines, streamed. Read by ``python -m gongxin.verify``.

    {"type": "header", "format": "gongxin-ledger/1", "audience": "public"|"auditor", "origin": …,
     "key_name": …, "public_key": base64, "verifier_key": "<name>+<id>+<key>", "size": n, …}
    {"type": "checkpoint", "note": "<signed note text>"}          one per checkpoint, oldest first
    {"type": "event", "seq": n, "leaf_hash": hex, "data": "<canonical JSON text>"}   auditor, or public event
    {"type": "event", "seq": n, "leaf_hash": hex}                  public bundle, private event
    {"type": "end", "events": n}

``data`` is the stored canonical JSON as text; its UTF-8 bytes are exactly the hashed bytes."""

import base64
import json

from django.db import transaction
from django.utils import timezone

from . import keys
from .models import Checkpoint, Event, LedgerHead

FORMAT = "gongxin-ledger/1"
AUDIENCES = ("public", "auditor")
CHUNK = 10_000


def _line(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_bundle(fh, *, audience: str = "public") -> int:
    """Write the bundle to a text file handle; returns the number of events."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}")
    with transaction.atomic():  # one consistent snapshot on PostgreSQL (and SQLite)
        head = LedgerHead.objects.filter(id=1).first()
        size = head.size if head else 0
        fh.write(_line({
            "type": "header", "format": FORMAT, "audience": audience, "origin": keys.origin(),
            "key_name": keys.key_name(), "public_key": base64.b64encode(keys.public_key()).decode(),
            "verifier_key": keys.verifier_key(), "size": size, "exported_at": timezone.now().isoformat(),
        }))
        for cp in Checkpoint.objects.filter(size__lte=size).order_by("id").iterator():
            fh.write(_line({"type": "checkpoint", "note": cp.note, "reason": cp.reason}))
        full = audience == "auditor"
        rows = (Event.objects.filter(seq__lt=size).order_by("seq")
                .values_list("seq", "public", "data", "leaf_hash").iterator(chunk_size=CHUNK))
        n = 0
        for seq, public, data, leaf in rows:
            if full or public:
                fh.write(_line({"type": "event", "seq": seq, "leaf_hash": bytes(leaf).hex(),
                                "data": bytes(data).decode("utf-8")}))
            else:
                fh.write(_line({"type": "event", "seq": seq, "leaf_hash": bytes(leaf).hex()}))
            n += 1
        fh.write(_line({"type": "end", "events": n}))
    return n
