"""The ledger's Ed25519 signing key and the keys the ledger declared.

The private key comes from GONGXIN_LEDGER_KEY (base64 of the 32-byte seed) or from the file
settings.LEDGER_KEY_FILE (base64 seed, mode 0600). A key is generated only for an empty ledger,
whose first event then declares it (``keyhistory``); once the ledger has events a missing key
stops everything that signs, with a message saying where it was looked for: a new key would sign
checkpoints that nobody could verify against the one the ledger declared.

What the public sees — origin, key name, verifier key — is read from the ledger's own key
events, so it needs no private key. Settings' origin and key name only apply when the ledger
declares its first key."""

import base64
import binascii
import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings
from django.utils.translation import gettext as _

from . import keyhistory, note
from .models import Event

EXAMPLE_ORIGIN = "gongxin.example/ledger"
DEMO_ORIGIN = "demo.gongxin.example/ledger"


class LedgerKeyError(RuntimeError):
    pass


def _from_seed_text(text: str, where: str) -> Ed25519PrivateKey:
    try:
        seed = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise LedgerKeyError(_("{where} 中的账本密钥不是 Base64 文本。").format(where=where)) from None
    if len(seed) != 32:
        raise LedgerKeyError(_("{where} 中的账本密钥不是 32 字节的 Ed25519 种子。").format(where=where))
    return Ed25519PrivateKey.from_private_bytes(seed)


def seed_text(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(raw).decode()


def write_key_file(path: Path, key: Ed25519PrivateKey) -> None:
    """Write a key file with mode 0600; refuses to overwrite one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(seed_text(key) + "\n")


def generate_key_file(path: Path) -> None:
    write_key_file(path, Ed25519PrivateKey.generate())


@lru_cache(maxsize=4)
def _load(env_value: str | None, path: str, _mtime: int = 0) -> Ed25519PrivateKey:
    """Cached per source; a key file replaced by ``rotate-key`` has a new mtime, so a running
    server reads the new key without a restart."""
    if env_value:
        return _from_seed_text(env_value, "GONGXIN_LEDGER_KEY")
    return _from_seed_text(Path(path).read_text(), path)


def key_file() -> Path:
    return Path(settings.LEDGER_KEY_FILE).resolve()


def from_environment() -> bool:
    return bool(os.environ.get("GONGXIN_LEDGER_KEY"))


def where_looked() -> str:
    return _("环境变量 GONGXIN_LEDGER_KEY（未设置）和文件 {path}（由 GONGXIN_LEDGER_KEY_FILE 指定）").format(
        path=key_file())


def forget_loaded() -> None:
    _load.cache_clear()


def signing_key(*, create: bool = False) -> Ed25519PrivateKey:
    """The private key. ``create`` (only for a ledger without events) makes the key file when
    neither it nor GONGXIN_LEDGER_KEY exists."""
    env = os.environ.get("GONGXIN_LEDGER_KEY")
    path = key_file()
    if not env and not path.exists():
        if not create:
            size = Event.objects.count()
            raise LedgerKeyError(_(
                "找不到账本签名密钥：账本已有 {size} 条记录，不会另生成新密钥（新密钥签署的检查点无法用账本声明的公钥核验）。"
                "查找过：{where}。请从备份恢复密钥文件，或用 GONGXIN_LEDGER_KEY_FILE 指向它。"
            ).format(size=size, where=where_looked()))
        try:
            generate_key_file(path)
        except FileExistsError:
            pass  # another process made it first
    return _load(env or None, str(path), 0 if env else path.stat().st_mtime_ns)


def history() -> keyhistory.KeyHistory:
    """The keys the ledger declared, checked (raises KeyHistoryError on a bad key event)."""
    out = keyhistory.KeyHistory()
    rows = Event.objects.filter(kind__in=keyhistory.KINDS).order_by("seq").values_list("seq", "data")
    for seq, data in rows:
        out.add_event(seq, bytes(data))
    return out


def legacy_key() -> keyhistory.LedgerKey | None:
    """For a ledger that declares no key yet (made before declarations): the configured key, if
    there is one (never made here)."""
    try:
        private = signing_key()
    except LedgerKeyError:
        return None
    return keyhistory.LedgerKey(seq=0, origin=configured_origin(), name=settings.LEDGER_KEY_NAME,
                                public_key=note.public_key_bytes(private))


def current() -> keyhistory.LedgerKey | None:
    """The key in force now, as the ledger declared it (else the configured one, if any)."""
    found = history()
    return found.current if found else legacy_key()


def key_for_size(size: int) -> keyhistory.LedgerKey | None:
    """The key that signs (signed) a checkpoint of ``size`` events."""
    found = history()
    return found.key_at(size) if found else legacy_key()


def configured_origin() -> str:
    return settings.LEDGER_ORIGIN


def origin() -> str:
    key = current()
    return key.origin if key else configured_origin()


def key_name() -> str:
    key = current()
    return key.name if key else settings.LEDGER_KEY_NAME


def public_key() -> bytes:
    key = current()
    return key.public_key if key else b""


def verifier_key() -> str:
    key = current()
    return key.verifier_key if key else ""


def check_origin_setting(declared: str) -> None:
    """An origin set in the environment that is not the one the ledger declared is a mistake
    worth stopping for (checkpoints would name another log)."""
    configured = configured_origin()
    if configured not in (EXAMPLE_ORIGIN, DEMO_ORIGIN) and configured != declared:
        raise LedgerKeyError(_("GONGXIN_LEDGER_ORIGIN 是 {configured}，但账本在第一条记录中声明的来源是 {declared}。"
                               "请改正设置（来源一经声明不能更改）。").format(configured=configured, declared=declared))


def signer_for(key: keyhistory.LedgerKey) -> Ed25519PrivateKey:
    """The private key, checked to be the declared ``key``."""
    private = signing_key()
    if note.public_key_bytes(private) != key.public_key:
        mine = note.key_id(key.name, note.public_key_bytes(private)).hex()
        source = "GONGXIN_LEDGER_KEY" if from_environment() else str(key_file())
        raise LedgerKeyError(_(
            "{source} 中的密钥（编号 {mine}）不是账本声明的签名密钥（{name}，编号 {wanted}）。"
            "请恢复正确的密钥文件；更换密钥请用 gongxin ledger rotate-key。"
        ).format(source=source, mine=mine, name=key.name, wanted=key.key_id))
    return private
