"""Checkpoints as C2SP signed notes (tlog-checkpoint + signed-note), Ed25519. Pure: no Django.

    <origin>\\n<tree size>\\n<base64 root>\\n
    \\n
    — <key name> <base64(4-byte key id ‖ 64-byte signature)>\\n

The signature covers the body (the first three lines, final newline included). Key id =
SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key)[:4]. The verifier key is published as
``<name>+<hex key id>+<base64(0x01 ‖ public key)>``."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

DASH = "\u2014"
ED25519 = b"\x01"


class NoteError(ValueError):
    """The text is not a well-formed checkpoint, or no valid signature by the expected key."""


def key_id(name: str, public_key: bytes, signature_type: bytes = ED25519) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + signature_type + public_key).digest()[:4]


def public_key_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def verifier_key(name: str, public_key: bytes) -> str:
    return f"{name}+{key_id(name, public_key).hex()}+{base64.b64encode(ED25519 + public_key).decode()}"


def parse_verifier_key(vkey: str, signature_type: bytes = ED25519) -> tuple[str, bytes]:
    """(name, 32-byte public key) of ``<name>+<hex key id>+<base64(type ‖ key)>``; the type is 0x01
    for the ledger's own Ed25519 key, 0x04 for a witness's cosignature key (ledger/cosign.py)."""
    try:
        name, hex_id, b64 = vkey.strip().split("+", 2)
        raw = base64.b64decode(b64, validate=True)
    except ValueError as exc:
        raise NoteError(f"malformed verifier key: {exc}") from None
    if len(raw) != 33 or raw[:1] != signature_type:
        raise NoteError(f"verifier key is not an Ed25519 key of signature type 0x{signature_type.hex()}")
    if key_id(name, raw[1:], signature_type).hex() != hex_id:
        raise NoteError("verifier key id does not match its key")
    return name, raw[1:]


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    if not origin or "\n" in origin:
        raise NoteError("origin must be one non-empty line")
    if size < 0 or len(root) != 32:
        raise NoteError("bad size or root")
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def sign(body: str, name: str, private_key: Ed25519PrivateKey) -> str:
    """The signed note: body, blank line, one signature line."""
    if not body.endswith("\n") or "\n\n" in body:
        raise NoteError("note body must end with a newline and contain no blank line")
    if not name or any(ch.isspace() for ch in name) or "+" in name:
        raise NoteError("key name must be non-empty, without spaces or '+'")
    pub = public_key_bytes(private_key)
    signature = private_key.sign(body.encode())
    blob = base64.b64encode(key_id(name, pub) + signature).decode()
    return f"{body}\n{DASH} {name} {blob}\n"


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    body: str
    signatures: tuple[tuple[str, bytes, bytes], ...]  # (key name, key id, signature)


def parse_note(text: str) -> tuple[str, tuple[tuple[str, bytes, bytes], ...]]:
    """Split a signed note into its body (final newline included) and its signature lines."""
    body, sep, sigs = text.partition("\n\n")
    if not sep or not sigs.endswith("\n"):
        raise NoteError("a signed note needs a body, a blank line and signature lines")
    signatures = []
    prefix = DASH + " "
    for line in sigs[:-1].split("\n"):
        if not line.startswith(prefix):
            raise NoteError(f"signature line must start with '{DASH} ': {line!r}")
        parts = line[len(prefix):].split(" ")
        if len(parts) != 2:
            raise NoteError(f"malformed signature line: {line!r}")
        try:
            blob = base64.b64decode(parts[1], validate=True)
        except ValueError:
            raise NoteError("signature is not base64") from None
        if len(blob) < 5:
            raise NoteError("signature too short")
        signatures.append((parts[0], blob[:4], blob[4:]))
    return body + "\n", tuple(signatures)


def verify_note(text: str, name: str, public_key: bytes) -> str:
    """The body of ``text`` if it carries a valid Ed25519 signature by (name, public_key)."""
    body, signatures = parse_note(text)
    wanted = key_id(name, public_key)
    key = Ed25519PublicKey.from_public_bytes(public_key)
    for sig_name, sig_id, signature in signatures:
        if sig_name == name and sig_id == wanted:
            try:
                key.verify(signature, body.encode())
            except InvalidSignature:
                raise NoteError("signature does not verify") from None
            return body
    raise NoteError(f"no signature by key {name!r}")


def parse(text: str) -> Checkpoint:
    """A checkpoint's fields (signatures not checked: see ``verify``)."""
    body, signatures = parse_note(text)
    lines = body.split("\n")[:-1]
    if len(lines) < 3:
        raise NoteError("a checkpoint body has at least three lines: origin, size, root")
    origin, size_text, root_text = lines[:3]
    if not size_text.isdigit() or not size_text.isascii() or (size_text != "0" and size_text.startswith("0")):
        raise NoteError(f"tree size is not a decimal number: {size_text!r}")
    try:
        root = base64.b64decode(root_text, validate=True)
    except ValueError:
        raise NoteError("root is not base64") from None
    if len(root) != 32:
        raise NoteError("root is not 32 bytes")
    return Checkpoint(origin, int(size_text), root, body, signatures)


def verify(text: str, name: str, public_key: bytes, *, origin: str | None = None) -> Checkpoint:
    """Parse a checkpoint and check its signature by (name, public_key) and its origin."""
    verify_note(text, name, public_key)
    cp = parse(text)
    if origin is not None and cp.origin != origin:
        raise NoteError(f"checkpoint origin {cp.origin!r} is not {origin!r}")
    return cp
