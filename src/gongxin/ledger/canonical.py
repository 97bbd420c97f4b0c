"""Canonical JSON: sorted keys, no whitespace, UTF-8; dates, decimals and UUIDs as strings.

Pure module: imports nothing from Django, so the offline verifier can use it."""

import datetime as dt
import json
import uuid
from decimal import Decimal


def _default(value):
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"not serialisable into the ledger: {type(value).__name__}")


def canonical_json(value) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_default
    ).encode("utf-8")
