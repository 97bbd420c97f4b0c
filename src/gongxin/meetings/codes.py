"""One-time voting codes and receipt codes. Pure, standard library only.

Codes use 32 characters that cannot be confused when read aloud or typed on a phone (no I, O,
0 or 1): each character carries 5 bits. A voting code has 16 characters (80 bits, more than the
64 the rules ask for); a receipt code has 10 (50 bits: it proves existence, it is no credential)."""

import hashlib
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
RECEIPT_LENGTH = 10
CODE_BITS = CODE_LENGTH * 5


def _random_text(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_code() -> str:
    return _random_text(CODE_LENGTH)


def new_receipt() -> str:
    return _random_text(RECEIPT_LENGTH)


def normalise(text: str) -> str:
    """What a voter typed → the bare code: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def is_well_formed(text: str, length: int = CODE_LENGTH) -> bool:
    code = normalise(text)
    return len(code) == length and all(ch in ALPHABET for ch in code)


def code_hash(text: str) -> str:
    """What the database keeps: SHA-256 of the normalised code (80 random bits: no salt needed)."""
    return hashlib.sha256(normalise(text).encode("ascii", "ignore")).hexdigest()


def display(code: str, group: int = 4) -> str:
    code = normalise(code)
    return "-".join(code[i:i + group] for i in range(0, len(code), group))


def display_receipt(code: str) -> str:
    return display(code, group=5)
