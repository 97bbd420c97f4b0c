"""The sealed ballot box (DOMAIN §3.1): ballots encrypted to a key the system does not keep,
split among the tellers. Pure: the standard library and ``cryptography`` only, no Django, so
the verifier, the benchmark and worker processes can use it alone.

Construction (``FORMAT``; the verifier and docs/VERIFY.md rely on it):

- The meeting's key pair is X25519. The public key goes into the ledger when the meeting
  opens; the private key is never stored: it is split at once into n shares, any k of which
  give it back (Shamir's scheme over GF(2^8), byte by byte, shares at x = 1..n).
- A sealed ballot is ``ephemeral public key (32) ‖ ChaCha20-Poly1305 ciphertext``: a fresh
  X25519 key pair per ballot; the 32-byte key is HKDF-SHA256 (RFC 5869, empty salt) of the
  shared secret with info ``b"gongxin-sealed-ballot/1" ‖ ephemeral public ‖ meeting public``;
  the nonce is twelve zero bytes (each key is used once). The plaintext is the ballot's UTF-8
  text behind a 2-byte big-endian length, followed by random bytes up to the meeting's fixed
  padded length, so every box of a meeting has the same size. (A paper ballot longer than
  that, which only an over-k paper ballot can be, is padded to the next multiple of it.)
- A key share is written ``<x>-<55 characters>``: the 32 bytes of the share and a 2-byte check
  (SHA-256 of ``b"gongxin-share/1" ‖ meeting public key ‖ x ‖ share``) in the unambiguous
  32-letter alphabet of the voting codes, so a mistyped share or one from another meeting is
  named before anything is tried, and a complete set is checked against the public key."""

import hashlib
import hmac
import secrets
import struct
from collections.abc import Iterable, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

FORMAT = "gongxin-sealed-ballot/1"
INFO = FORMAT.encode("ascii")
NONCE = bytes(12)
KEY_BYTES = 32
OVERHEAD = 32 + 16            # ephemeral public key + Poly1305 tag
PAD_BLOCK = 64
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # as the voting codes: no I, O, 0 or 1
SHARE_CHARS = 55              # (32 + 2) bytes = 272 bits in 5-bit characters
DEFAULT_K, DEFAULT_N = 2, 3


class SealError(ValueError):
    """A box that does not open with this key (wrong key, or damaged)."""


class ShareError(ValueError):
    """A share that is malformed, mistyped or not of this meeting. ``index`` is 0-based."""

    def __init__(self, index: int, reason: str):
        super().__init__(f"share {index + 1}: {reason}")
        self.index = index
        self.reason = reason


# ---- keys ---------------------------------------------------------------------------------

def new_keypair() -> tuple[bytes, bytes]:
    """(private, public), 32 bytes each."""
    private = X25519PrivateKey.generate()
    return private.private_bytes_raw(), private.public_key().public_bytes_raw()


def public_of(private: bytes) -> bytes:
    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw()


def padded_length(post_ks: Sequence[int]) -> int:
    """The fixed plaintext length of a meeting's boxes: room for k ids of up to 20 digits
    per post and the separators, behind the 2-byte length, in 64-byte blocks."""
    need = 2 + sum(21 * max(int(k), 1) for k in post_ks) + len(post_ks)
    return max(PAD_BLOCK, -(-need // PAD_BLOCK) * PAD_BLOCK)


def _hkdf(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    """HKDF-SHA256 (RFC 5869) with an empty salt, 32 bytes out: one HMAC to extract, one to
    expand (the same output as ``cryptography``'s HKDF, which a test checks)."""
    prk = hmac.digest(bytes(32), shared, "sha256")
    return hmac.digest(prk, INFO + ephemeral + recipient + b"\x01", "sha256")


# ---- sealing and opening ------------------------------------------------------------------

def seal(public: bytes, text: str, length: int) -> bytes:
    """Encrypt one ballot to the meeting's public key, padded to ``length`` bytes."""
    data = text.encode("utf-8")
    if len(data) > 0xFFFF:
        raise ValueError("ballot too long")
    body = len(data) + 2
    size = length if body <= length else -(-body // length) * length
    plain = struct.pack(">H", len(data)) + data + secrets.token_bytes(size - body)
    ephemeral = X25519PrivateKey.generate()
    eph_pub = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    key = _hkdf(shared, eph_pub, public)
    return eph_pub + ChaCha20Poly1305(key).encrypt(NONCE, plain, None)


class Opener:
    """Opens boxes sealed to one key pair (the private key held in memory only)."""

    def __init__(self, private: bytes):
        self.private = bytes(private)   # handed to worker processes for big boxes
        self._private = X25519PrivateKey.from_private_bytes(private)
        self.public = self._private.public_key().public_bytes_raw()

    def open(self, box: bytes) -> str:
        box = bytes(box)
        if len(box) < OVERHEAD + 2:
            raise SealError("box too short")
        eph_pub = box[:32]
        try:
            shared = self._private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
            plain = ChaCha20Poly1305(_hkdf(shared, eph_pub, self.public)).decrypt(NONCE, box[32:], None)
        except (InvalidTag, ValueError) as exc:
            raise SealError("the box does not open with this key") from exc
        (n,) = struct.unpack_from(">H", plain)
        if n + 2 > len(plain):
            raise SealError("bad length inside the box")
        return plain[2:2 + n].decode("utf-8")

    def open_all(self, boxes: Iterable[bytes]) -> list[str]:
        return [self.open(b) for b in boxes]


def open_chunk(args: tuple[bytes, list[bytes]]) -> list[str]:
    """For a worker process: (private key, boxes) → texts."""
    private, boxes = args
    return Opener(private).open_all(boxes)


# ---- Shamir's secret sharing over GF(2^8) (the AES field, x^8 + x^4 + x^3 + x + 1) ----------

_EXP = [0] * 510
_LOG = [0] * 256
_v = 1
for _i in range(255):
    _EXP[_i] = _v
    _LOG[_v] = _i
    _v ^= (_v << 1) ^ (0x11B if _v & 0x80 else 0)   # multiply by the generator 3
    _v &= 0xFF
for _i in range(255, 510):
    _EXP[_i] = _EXP[_i - 255]
del _i, _v


def _mul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def _div(a: int, b: int) -> int:
    if b == 0:
        raise ZeroDivisionError
    if a == 0:
        return 0
    return _EXP[_LOG[a] + 255 - _LOG[b]]


def split(secret: bytes, k: int, n: int) -> list[tuple[int, bytes]]:
    """n shares (x, y) of ``secret``; any k give it back, k − 1 say nothing of it."""
    if not 1 <= k <= n <= 255:
        raise ValueError("need 1 <= k <= n <= 255")
    coeffs = [[byte] + list(secrets.token_bytes(k - 1)) for byte in secret]
    shares = []
    for x in range(1, n + 1):
        y = bytearray()
        for poly in coeffs:
            acc = 0
            for c in reversed(poly):        # Horner: acc = acc * x + c
                acc = _mul(acc, x) ^ c
            y.append(acc)
        shares.append((x, bytes(y)))
    return shares


def combine(shares: Sequence[tuple[int, bytes]]) -> bytes:
    """Lagrange interpolation at 0 of distinct shares (x, y)."""
    xs = [x for x, _y in shares]
    if len(set(xs)) != len(xs) or not shares or any(not 1 <= x <= 255 for x in xs):
        raise ValueError("shares must have distinct x in 1..255")
    length = len(shares[0][1])
    weights = []
    for j, xj in enumerate(xs):
        w = 1
        for m, xm in enumerate(xs):
            if m != j:
                w = _mul(w, _div(xm, xm ^ xj))   # (0 - xm) / (xj - xm) in characteristic 2
        weights.append(w)
    out = bytearray(length)
    for (_x, y), w in zip(shares, weights, strict=True):
        for i in range(length):
            out[i] ^= _mul(y[i], w)
    return bytes(out)


# ---- shares as text ----------------------------------------------------------------------

def _check(public: bytes, x: int, y: bytes) -> bytes:
    return hashlib.sha256(b"gongxin-share/1" + public + bytes([x]) + y).digest()[:2]


def share_text(public: bytes, x: int, y: bytes) -> str:
    value = int.from_bytes(y + _check(public, x, y), "big")
    chars = []
    for _ in range(SHARE_CHARS):
        value, r = divmod(value, 32)
        chars.append(ALPHABET[r])
    body = "".join(reversed(chars))
    return f"{x}-" + "-".join(body[i:i + 5] for i in range(0, SHARE_CHARS, 5))


def parse_share(public: bytes, text: str, index: int = 0) -> tuple[int, bytes]:
    """``share_text`` back to (x, y), checking the 2-byte check against this meeting."""
    raw = (text or "").strip().upper()
    head, sep, rest = raw.partition("-")
    if not sep or not head.strip().isdigit():
        raise ShareError(index, "format")
    x = int(head.strip())
    body = "".join(ch for ch in rest if ch.isalnum())
    if not 1 <= x <= 255 or len(body) != SHARE_CHARS or any(ch not in ALPHABET for ch in body):
        raise ShareError(index, "format")
    value = 0
    for ch in body:
        value = value * 32 + ALPHABET.index(ch)
    if value >> 272:
        raise ShareError(index, "format")
    data = value.to_bytes(34, "big")
    y, check = data[:32], data[32:]
    if not hmac.compare_digest(check, _check(public, x, y)):
        raise ShareError(index, "check")
    return x, y


def make_shares(public: bytes, private: bytes, k: int, n: int) -> list[str]:
    return [share_text(public, x, y) for x, y in split(private, k, n)]


def key_from_shares(public: bytes, texts: Sequence[str], k: int) -> bytes:
    """The private key from at least k share texts (blank entries skipped), checked against
    the public key. Raises ShareError naming the first bad share, or ValueError("too_few") /
    ValueError("mismatch")."""
    parsed: dict[int, bytes] = {}
    for i, text in enumerate(texts):
        if not (text or "").strip():
            continue
        x, y = parse_share(public, text, i)
        if x in parsed and parsed[x] != y:
            raise ShareError(i, "duplicate")
        parsed[x] = y
    if len(parsed) < k:
        raise ValueError("too_few")
    private = combine(sorted(parsed.items())[:k])
    if not hmac.compare_digest(public_of(private), public):
        raise ValueError("mismatch")
    return private
