"""Writing the ledger's key events: the first declaration, the declaration of a ledger made
before declarations existed, and a key rotation (``gongxin ledger rotate-key``)."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from . import keyhistory, keys, note
from .models import Checkpoint
from .recording import locked_head, record_event

SUBJECT = "ledger.key"


def first_declaration() -> tuple[str, tuple[str, str], dict]:
    """(kind, subject, payload) of event 0 of an empty ledger: the configured origin and key
    name, and the signing key (made now if there is none yet: the ledger has no events)."""
    key = keys.signing_key(create=True)
    name = settings.LEDGER_KEY_NAME
    payload = keyhistory.declaration_payload(keyhistory.DECLARED, origin=keys.configured_origin(), seq=0,
                                             name=name, key=key)
    return keyhistory.DECLARED, (SUBJECT, note.key_id(name, note.public_key_bytes(key)).hex()), payload


def ensure_declared() -> keyhistory.KeyHistory:
    """The ledger's key history, declaring the key first if the ledger has none yet (an empty
    ledger, or one made before key declarations: then the key must be the one that signed its
    checkpoints). Runs inside the caller's transaction, after it locked the head."""
    history = keys.history()
    if history:
        return history
    size = locked_head().size
    if size == 0:
        kind, subject, payload = first_declaration()
        record_event(kind=kind, subject=subject, actor=None, payload=payload, public=True)
        return keys.history()
    key = keys.signing_key()
    origin, name = keys.configured_origin(), settings.LEDGER_KEY_NAME
    latest = Checkpoint.objects.order_by("-id").first()
    if latest is not None:
        name = latest.key_name
        try:
            origin = note.verify(latest.note, name, note.public_key_bytes(key)).origin
        except note.NoteError:
            raise keys.LedgerKeyError(_("账本尚未声明签名密钥，而现有的密钥没有签署过它的检查点：请恢复原来的密钥文件。"
                                        "查找过：{where}。").format(where=keys.where_looked())) from None
    payload = keyhistory.declaration_payload(keyhistory.DECLARED, origin=origin, seq=size, name=name, key=key)
    record_event(kind=keyhistory.DECLARED, subject=(SUBJECT, note.key_id(name, note.public_key_bytes(key)).hex()),
                 actor=None, payload=payload, public=True)
    return keys.history()


def rotate_key(*, new_key: Ed25519PrivateKey, name: str | None = None, acting_user=None) -> keyhistory.LedgerKey:
    """Declare ``new_key`` as the ledger's key from the next event on, signed by the key in
    force. The caller signs a checkpoint with the old key before and installs the new key
    after; see the ``rotate-key`` command."""
    with transaction.atomic():
        locked_head()
        history = ensure_declared()
        old = history.current
        private = keys.signer_for(old)
        name = name or old.name
        if note.public_key_bytes(new_key) == old.public_key:
            raise keys.LedgerKeyError(_("新密钥与现有密钥相同。"))
        seq = locked_head().size
        payload = keyhistory.declaration_payload(keyhistory.ROTATED, origin=old.origin, seq=seq, name=name,
                                                 key=new_key, previous=private, previous_name=old.name)
        record_event(kind=keyhistory.ROTATED, subject=(SUBJECT, note.key_id(name, note.public_key_bytes(new_key)).hex()),
                     actor=acting_user, payload=payload, public=True)
        return keys.history().current
