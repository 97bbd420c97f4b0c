"""One-time voting codes and receipt codes. Pure, standard library only.

Codes use 32 characters that cannot be confused when read aloud or typed on a phone (no I, O,
0 or 1): each character carries 5 bits. A voting code has 16 characters (80 bits, more than the
64 the rules ask for); a receipt code has 10 (50 bits: it proves existence, it is no credential)."""

import hashlib
import hmac
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
RECEIPT_LENGTH = 10
CODE_BITS = CODE_LENGTH * 5


def _random_text(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_code() -> str:
    return _random_text(CODE_LENGTH)


def normalise(text: str) -> str:
    """What a voter typed → the bare code: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def is_well_formed(text: str, length: int = CODE_LENGTH) -> bool:
    code = normalise(text)
    return len(code) == length and all(ch in ALPHABET for ch in code)


def code_hash(text: str) -> str:
    """What the database keeps: SHA-256 of the normalised code (80 random bits: no salt needed)."""
    return hashlib.sha256(normalise(text).encode("ascii", "ignore")).hexdigest()


def receipt_for(code: str) -> str:
    """The receipt of a voting code: HMAC-SHA256 keyed with a fixed label over the code, in
    10 characters. Computed from the code itself (which the database never holds), so it is
    fixed when the code is made and nothing is written when the ballot is cast."""
    digest = hmac.digest(b"gongxin-receipt/1", normalise(code).encode("ascii", "ignore"), "sha256")
    value = int.from_bytes(digest[:8], "big")
    out = []
    for _ in range(RECEIPT_LENGTH):
        value, r = divmod(value, 32)
        out.append(ALPHABET[r])
    return "".join(out)


def display(code: str, group: int = 4) -> str:
    code = normalise(code)
    return "-".join(code[i:i + group] for i in range(0, len(code), group))


def display_receipt(code: str) -> str:
    return display(code, group=5)
