"""The keys a ledger declares inside itself. Pure: standard library and ``cryptography``.

The ledger's first event (``ledger.key.declared``) names its origin and its signing key; each
later change of key is an event ``ledger.key.rotated`` signed by the key it replaces (and by the
new key, which proves it is held). Both are public events, so a public bundle carries them. A
checkpoint of size s must be signed by the key in force at s: the one declared by the last key
event before position s (a ledger made before key declarations declares its key later: that key
also covers the checkpoints before it). ``gongxin ledger verify`` and ``python -m gongxin.verify``
both check checkpoints this way.

Each key event's payload: ``origin``, ``key_name``, ``public_key`` (base64), ``verifier_key``,
``signature`` (base64) and, for a rotation, ``previous_verifier_key`` and ``new_key_signature``.
The signed statement (UTF-8) is ``statement(kind, origin, seq, previous, new)``:

    gongxin-ledger key declared|rotated\\n<origin>\\n<seq>\\n<previous verifier key or ->\\n<verifier key>\\n
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from . import note

DECLARED = "ledger.key.declared"
ROTATED = "ledger.key.rotated"
KINDS = (DECLARED, ROTATED)
_MARK = b'"kind":"ledger.key.'


class KeyHistoryError(ValueError):
    """A key event that is malformed or whose signature does not verify."""

    def __init__(self, message: str, seq: int | None = None):
        super().__init__(message)
        self.seq = seq


@dataclass(frozen=True)
class LedgerKey:
    seq: int            # the event that declared it
    origin: str
    name: str
    public_key: bytes
    time: str = ""

    @property
    def verifier_key(self) -> str:
        return note.verifier_key(self.name, self.public_key)

    @property
    def key_id(self) -> str:
        return note.key_id(self.name, self.public_key).hex()


def statement(kind: str, origin: str, seq: int, previous: str, new: str) -> bytes:
    word = {DECLARED: "declared", ROTATED: "rotated"}[kind]
    return f"gongxin-ledger key {word}\n{origin}\n{seq}\n{previous or '-'}\n{new}\n".encode()


def declaration_payload(kind: str, *, origin: str, seq: int, name: str, key: Ed25519PrivateKey,
                        previous: Ed25519PrivateKey | None = None, previous_name: str = "") -> dict:
    """The payload of a key event at position ``seq``: signed by ``previous`` for a rotation
    (and by the new key), by the key itself for the first declaration."""
    public = note.public_key_bytes(key)
    vkey = note.verifier_key(name, public)
    prev_vkey = note.verifier_key(previous_name, note.public_key_bytes(previous)) if previous is not None else ""
    text = statement(kind, origin, seq, prev_vkey, vkey)
    payload = {"origin": origin, "key_name": name, "public_key": base64.b64encode(public).decode(),
               "verifier_key": vkey, "signature": base64.b64encode((previous or key).sign(text)).decode()}
    if kind == ROTATED:
        payload["previous_verifier_key"] = prev_vkey
        payload["new_key_signature"] = base64.b64encode(key.sign(text)).decode()
    return payload


def is_key_event(data: bytes) -> bool:
    """A cheap test on the canonical bytes before parsing them."""
    return _MARK in data


@dataclass
class KeyHistory:
    keys: list[LedgerKey] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.keys)

    @property
    def current(self) -> LedgerKey | None:
        return self.keys[-1] if self.keys else None

    @property
    def origin(self) -> str | None:
        return self.keys[0].origin if self.keys else None

    def key_at(self, size: int) -> LedgerKey | None:
        """The key that signs a checkpoint of ``size`` events."""
        found = self.keys[0] if self.keys else None
        for key in self.keys:
            if key.seq < size:
                found = key
        return found

    def add_event(self, seq: int, data: bytes) -> LedgerKey | None:
        """Feed one event's canonical bytes; a key event is checked and added."""
        if not is_key_event(data):
            return None
        try:
            envelope = json.loads(data)
        except ValueError:
            raise KeyHistoryError("a key event is not valid JSON", seq) from None
        kind = envelope.get("kind")
        if kind not in KINDS:
            return None
        return self.add(seq, kind, envelope.get("payload") or {}, str(envelope.get("time", "")))

    def add(self, seq: int, kind: str, payload: dict, time: str = "") -> LedgerKey:
        try:
            origin, name, vkey = payload["origin"], payload["key_name"], payload["verifier_key"]
            public = base64.b64decode(payload["public_key"], validate=True)
            signature = base64.b64decode(payload["signature"], validate=True)
        except (KeyError, TypeError, binascii.Error, ValueError):
            raise KeyHistoryError("a key event lacks its origin, key or signature", seq) from None
        try:
            if note.parse_verifier_key(vkey) != (name, public):
                raise KeyHistoryError("a key event's verifier key is not its key", seq)
        except note.NoteError as exc:
            raise KeyHistoryError(f"a key event's verifier key: {exc}", seq) from None
        previous = self.current
        if kind == DECLARED:
            if previous is not None:
                raise KeyHistoryError("the ledger declares its first key twice (a key change must be a rotation)", seq)
            signer, prev_vkey = public, ""
        else:
            if previous is None:
                raise KeyHistoryError("a key rotation before any declared key", seq)
            prev_vkey = payload.get("previous_verifier_key", "")
            if prev_vkey != previous.verifier_key:
                raise KeyHistoryError("a key rotation names another previous key than the one in force", seq)
            if origin != previous.origin:
                raise KeyHistoryError("a key rotation changes the ledger's origin", seq)
            signer = previous.public_key
        text = statement(kind, origin, seq, prev_vkey, vkey)
        _check(signer, signature, text, seq, "by the key in force" if kind == ROTATED else "by the declared key")
        if kind == ROTATED:
            try:
                new_signature = base64.b64decode(payload["new_key_signature"], validate=True)
            except (KeyError, TypeError, binascii.Error, ValueError):
                raise KeyHistoryError("a key rotation lacks the new key's signature", seq) from None
            _check(public, new_signature, text, seq, "by the new key")
        key = LedgerKey(seq=seq, origin=origin, name=name, public_key=public, time=time)
        self.keys.append(key)
        return key


def _check(public: bytes, signature: bytes, text: bytes, seq: int, who: str) -> None:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, text)
    except (InvalidSignature, ValueError):
        raise KeyHistoryError(f"a key event's signature {who} does not verify", seq) from None
