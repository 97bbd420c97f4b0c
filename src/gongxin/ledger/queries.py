"""Reads: the staff ledger browser and the public inclusion check."""

import base64
import datetime as dt
import json
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gongxin.accounts.roles import DataScope
from gongxin.core.errors import DomainError, NotFound

from . import keys, merkle, note, tree
from .checkpoints import latest_checkpoint
from .models import Checkpoint, Event
from .permissions import require_view


@dataclass
class EventFilters:
    kind: str = ""
    subject: str = ""
    actor: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def visible_q(user) -> Q:
    """Events carry no unit, so the data scope is coarse: a user whose scope is the whole
    county sees every event; anyone narrower sees public events and the events they caused."""
    if user.is_superuser or getattr(user, "data_scope", None) == DataScope.ALL:
        return Q()
    return Q(public=True) | Q(actor_id=user.pk)


def events_for_user(user, filters: EventFilters) -> QuerySet:
    """Newest first. ``kind`` matches a dotted prefix (``meetings`` or ``meetings.ballot``);
    ``subject`` is ``type`` or ``type:id``; ``actor`` is a user name."""
    require_view(user)
    qs = Event.objects.filter(visible_q(user)).defer("data", "nodes").order_by("-seq")
    if filters.kind:
        qs = qs.filter(Q(kind=filters.kind) | Q(kind__startswith=filters.kind.rstrip(".") + "."))
    if filters.subject:
        stype, _sep, sid = filters.subject.partition(":")
        qs = qs.filter(subject_type=stype.strip())
        if sid.strip():
            qs = qs.filter(subject_id=sid.strip())
    if filters.actor:
        # A person's name (what the page shows) or the account name (what the API has used)
        from gongxin.accounts.models import User

        typed = filters.actor.strip()
        names = list(User.objects.filter(full_name__icontains=typed).values_list("username", flat=True)[:200])
        qs = qs.filter(Q(actor_name=typed) | Q(actor_name__in=names))
    if filters.date_from:
        qs = qs.filter(recorded_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(recorded_at__date__lte=filters.date_to)
    return qs


def get_event_for_user(user, seq: int) -> Event:
    require_view(user)
    try:
        return Event.objects.filter(visible_q(user)).get(seq=seq)
    except Event.DoesNotExist:
        raise NotFound("ledger.event_not_found", _("账本中没有编号为 {seq} 的记录。").format(seq=seq)) from None


def get_event(seq: int) -> Event:
    """Unscoped (the public page shows only the hash of a private event)."""
    try:
        return Event.objects.get(seq=seq)
    except Event.DoesNotExist:
        raise NotFound("ledger.event_not_found", _("账本中没有编号为 {seq} 的记录。").format(seq=seq)) from None


def pretty_data(event: Event) -> str:
    return json.dumps(json.loads(bytes(event.data)), ensure_ascii=False, indent=2, sort_keys=True)


def b64(value: bytes) -> str:
    return base64.b64encode(bytes(value)).decode()


@dataclass
class InclusionResult:
    event: Event
    checkpoint: Checkpoint | None
    leaf_hash: bytes
    path: list[bytes]
    verified: bool
    reason: str = ""

    @property
    def covered(self) -> bool:
        return self.checkpoint is not None and self.event.seq < self.checkpoint.size


def inclusion(event: Event, checkpoint: Checkpoint | None = None) -> InclusionResult:
    """The event's inclusion proof against a checkpoint (default: the latest), verified here
    with the same RFC 9162 algorithm a member of the public can run."""
    checkpoint = checkpoint or latest_checkpoint()
    leaf = bytes(event.leaf_hash)
    if checkpoint is None:
        return InclusionResult(event, None, leaf, [], False, _("还没有签署任何检查点。"))
    if event.seq >= checkpoint.size:
        return InclusionResult(event, checkpoint, leaf, [], False,
                               _("这条记录晚于最新检查点（大小 {size}），下一个检查点签署后即可核验。").format(size=checkpoint.size))
    key = keys.key_for_size(checkpoint.size)
    try:
        if key is None:
            raise note.NoteError("no key")
        signed = note.verify(checkpoint.note, key.name, key.public_key, origin=key.origin)
    except note.NoteError:
        return InclusionResult(event, checkpoint, leaf, [], False, _("检查点的签名无效。"))
    path = tree.inclusion_proof(event.seq, signed.size)
    ok = merkle.verify_inclusion(event.seq, signed.size, leaf, path, signed.root)
    return InclusionResult(event, checkpoint, leaf, path, ok, "" if ok else _("证明未通过验证。"))


def find_for_inclusion(query: str) -> Event:
    """An event by its number, or by its leaf hash (hex or base64) as printed on a published record."""
    query = (query or "").strip().replace(" ", "")
    if not query:
        raise DomainError("ledger.query_empty", _("请输入记录编号或叶哈希。"))
    if query.isdigit() and len(query) < 19:
        return get_event(int(query))
    leaf = None
    try:
        if len(query) == 64:
            leaf = bytes.fromhex(query)
        elif len(query) == 44:
            leaf = base64.b64decode(query, validate=True)
    except ValueError:
        leaf = None
    if leaf is None or len(leaf) != 32:
        raise DomainError("ledger.query_invalid",
                          _("请输入记录编号（数字），或 64 位十六进制 / 44 位 Base64 的叶哈希。"))
    event = tree.events_with_leaf(leaf).order_by("seq").first()
    if event is None:
        raise NotFound("ledger.leaf_not_found", _("账本中没有这个叶哈希。请核对是否抄录完整。"))
    return event
