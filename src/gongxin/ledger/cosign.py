"""Witness cosignatures on checkpoints: C2SP tlog-cosignature, Ed25519 (v1). Pure: standard
library and ``cryptography`` only (the witness and the offline verifier import it).

A cosignature is one more signed-note signature line on a checkpoint:

    — <witness name> base64(key id (4) ‖ timestamp (8, big-endian Unix seconds) ‖ Ed25519 signature (64))

signed over ``cosignature/v1\\ntime <seconds>\\n`` followed by the checkpoint body (origin, size,
root lines, each ending in a newline). Key id = SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4].
A witness's verifier key is written ``<name>+<hex key id>+<base64(0x04 ‖ public key)>`` (C2SP
signed-note vkey with signature type 0x04).

What a valid cosignature says: at that time, the largest tree the witness had seen for this
origin, checked append-only against everything it saw before, had this root."""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from . import note

COSIGNATURE_V1 = b"\x04"
HEADER = "cosignature/v1\n"
BLOB_SIZE = 4 + 8 + 64


class CosignatureError(ValueError):
    pass


@dataclass(frozen=True)
class WitnessKey:
    name: str
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    @property
    def verifier_key(self) -> str:
        return verifier_key(self.name, self.public_key)


@dataclass(frozen=True)
class Cosignature:
    name: str
    key_id: bytes
    timestamp: int
    signature: bytes

    @property
    def line(self) -> str:
        blob = self.key_id + struct.pack(">Q", self.timestamp) + self.signature
        return f"{note.DASH} {self.name} {base64.b64encode(blob).decode()}\n"


def key_id(name: str, public_key: bytes) -> bytes:
    return note.key_id(name, public_key, COSIGNATURE_V1)


def verifier_key(name: str, public_key: bytes) -> str:
    return f"{name}+{key_id(name, public_key).hex()}+{base64.b64encode(COSIGNATURE_V1 + public_key).decode()}"


def parse_verifier_key(vkey: str) -> WitnessKey:
    try:
        name, public = note.parse_verifier_key(vkey, COSIGNATURE_V1)
    except note.NoteError as exc:
        raise CosignatureError(f"witness key {vkey.strip()[:40]!r}: {exc}") from None
    if not name or any(ch.isspace() for ch in name):
        raise CosignatureError("a witness key's name must be non-empty, without spaces")
    return WitnessKey(name, public)


def message(body: str, timestamp: int) -> bytes:
    if not 0 < timestamp < 2**63:
        raise CosignatureError("a cosignature's time must be positive")
    return f"{HEADER}time {timestamp}\n{body}".encode()


def sign(body: str, name: str, private_key: Ed25519PrivateKey, timestamp: int) -> Cosignature:
    """The cosignature by (name, private key) on a checkpoint body, at ``timestamp``."""
    public = note.public_key_bytes(private_key)
    return Cosignature(name, key_id(name, public), timestamp, private_key.sign(message(body, timestamp)))


def parse_line(line: str) -> tuple[str, bytes]:
    """(name, blob) of one signature line (with or without its final newline)."""
    text = line.rstrip("\n")
    prefix = note.DASH + " "
    parts = text[len(prefix):].split(" ") if text.startswith(prefix) else []
    if len(parts) != 2:
        raise CosignatureError(f"not a signature line: {text[:60]!r}")
    try:
        return parts[0], base64.b64decode(parts[1], validate=True)
    except ValueError:
        raise CosignatureError("the signature is not base64") from None


def decode(name: str, blob: bytes) -> Cosignature:
    if len(blob) != BLOB_SIZE:
        raise CosignatureError(f"a cosignature is {BLOB_SIZE} bytes, not {len(blob)}")
    return Cosignature(name, blob[:4], struct.unpack(">Q", blob[4:12])[0], blob[12:])


def verify(body: str, cosig: Cosignature, key: WitnessKey) -> bool:
    if cosig.name != key.name or cosig.key_id != key.key_id or not 0 < cosig.timestamp < 2**63:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(cosig.signature, message(body, cosig.timestamp))
    except InvalidSignature:
        return False
    return True


def find(text: str, key: WitnessKey) -> Cosignature | None:
    """The valid cosignature by ``key`` on the checkpoint ``text`` (a signed note), if any.
    Lines by other keys are ignored; a line with this key's name and id that does not verify
    counts as none."""
    body, signatures = note.parse_note(text)
    for name, kid, rest in signatures:
        if name == key.name and kid == key.key_id and len(rest) == BLOB_SIZE - 4:
            cosig = decode(name, kid + rest)
            if verify(body, cosig, key):
                return cosig
    return None


def witnessed_by(text: str, keys: list[WitnessKey]) -> list[tuple[WitnessKey, Cosignature]]:
    """The keys among ``keys`` that validly cosigned the checkpoint ``text``, with their cosignature."""
    out = []
    for key in keys:
        found = find(text, key)
        if found is not None:
            out.append((key, found))
    return out


def with_lines(text: str, lines: list[str]) -> str:
    """The signed note with more signature lines appended (each once)."""
    if not text.endswith("\n"):
        raise CosignatureError("a signed note ends with a newline")
    present = set(text.split("\n"))
    extra = [ln if ln.endswith("\n") else ln + "\n" for ln in lines if ln.rstrip("\n") not in present]
    return text + "".join(extra)
