"""Signed checkpoints: at milestones (a ballot closed, a decision taken, a notice published),
daily and on demand. Sizes never shrink.

Other apps call ``checkpoint_after_commit(reason)`` inside their action: the checkpoint is
signed once the action's transaction has committed, so it covers the action's own event."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import Conflict

from . import keys, merkle, note, tree
from .keyevents import ensure_declared
from .models import Checkpoint
from .recording import locked_head

log = logging.getLogger(__name__)


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-id").first()


@transaction.atomic
def sign_checkpoint(*, reason: str, force: bool = False) -> Checkpoint:
    """Sign the ledger's current size and root. If the latest checkpoint already covers this
    size it is returned as is (unless ``force``). Refuses a size smaller than the latest."""
    locked_head()  # no append can slip in between reading the root and signing it
    history = ensure_declared()  # may append the declaration (an empty ledger, or one made before them)
    head = locked_head()
    size = head.size
    root = merkle.Frontier.from_bytes(size, bytes(head.frontier)).root()
    latest = latest_checkpoint()
    if latest is not None:
        if size < latest.size:
            raise Conflict("ledger.checkpoint_shrinks", _("检查点的大小不能小于上一个检查点。"),
                           {"size": size, "latest": latest.size})
        if size == latest.size and not force:
            if bytes(latest.root) != root:
                raise Conflict("ledger.root_changed", _("账本与上一个检查点不一致，请立即运行 gongxin ledger verify。"),
                               {"size": size})
            return latest
    return _sign(history, size, root, reason=reason, signed_at=timezone.now())


def _sign(history, size: int, root: bytes, *, reason: str, signed_at) -> Checkpoint:
    """Signed by the key the ledger declared for ``size``, under its declared origin."""
    key = history.key_at(size)
    if key is not history.current:
        raise Conflict("ledger.key_retired", _("这个大小的检查点应由已停用的旧密钥签署，无法补签。"), {"size": size})
    keys.check_origin_setting(key.origin)
    name = key.name
    text = note.sign(note.checkpoint_body(key.origin, size, root), name, keys.signer_for(key))
    return Checkpoint.objects.create(size=size, root=root, note=text, key_name=name, reason=reason[:200],
                                     signed_at=signed_at)


@transaction.atomic
def sign_past_checkpoint(*, size: int, reason: str, signed_at) -> Checkpoint:
    """A checkpoint of an earlier prefix (the demo's "dated" ones): a true statement about the
    first ``size`` events, still refused if smaller than the latest checkpoint."""
    locked_head()
    history = ensure_declared()
    head = locked_head()
    latest = latest_checkpoint()
    if size > head.size or (latest is not None and size < latest.size):
        raise Conflict("ledger.checkpoint_shrinks", _("检查点的大小不能小于上一个检查点。"),
                       {"size": size, "latest": latest.size if latest else None})
    return _sign(history, size, tree.root_at(size), reason=reason, signed_at=signed_at)


def checkpoint_after_commit(reason: str) -> None:
    """Call inside an action at a milestone: signs a checkpoint after the commit."""

    def _sign():
        try:
            sign_checkpoint(reason=reason)
        except Exception:  # the action has committed; a failed signature must not hide that
            log.exception("ledger checkpoint after commit failed (%s)", reason)

    transaction.on_commit(_sign)
