"""The ledger's Ed25519 signing key: from GONGXIN_LEDGER_KEY (base64 of the 32-byte seed) or
from settings.LEDGER_KEY_FILE (base64 seed; generated with mode 0600 when missing)."""

import base64
import binascii
import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings

from . import note


class LedgerKeyError(RuntimeError):
    pass


def _from_seed_text(text: str, where: str) -> Ed25519PrivateKey:
    try:
        seed = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise LedgerKeyError(f"ledger key in {where} is not base64") from None
    if len(seed) != 32:
        raise LedgerKeyError(f"ledger key in {where} is not a 32-byte Ed25519 seed")
    return Ed25519PrivateKey.from_private_bytes(seed)


def seed_text(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(raw).decode()


def generate_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(seed_text(Ed25519PrivateKey.generate()) + "\n")


@lru_cache(maxsize=4)
def _load(env_value: str | None, path: str) -> Ed25519PrivateKey:
    if env_value:
        return _from_seed_text(env_value, "GONGXIN_LEDGER_KEY")
    file = Path(path)
    if not file.exists():
        try:
            generate_key_file(file)
        except FileExistsError:
            pass  # another process made it first
    return _from_seed_text(file.read_text(), str(file))


def signing_key() -> Ed25519PrivateKey:
    return _load(os.environ.get("GONGXIN_LEDGER_KEY"), str(settings.LEDGER_KEY_FILE))


def key_name() -> str:
    return settings.LEDGER_KEY_NAME


def origin() -> str:
    return settings.LEDGER_ORIGIN


def public_key() -> bytes:
    return note.public_key_bytes(signing_key())


def verifier_key() -> str:
    return note.verifier_key(key_name(), public_key())
