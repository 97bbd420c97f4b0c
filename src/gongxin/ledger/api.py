"""/api/v1/ledger/: events (staff, ledger.view); latest checkpoint and proofs (public)."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from gongxin.core.errors import DomainError

from . import keys, merkle, queries, tree, witnesses
from .checkpoints import latest_checkpoint
from .models import Checkpoint

router = Router(tags=["ledger"])


class Error(Schema):
    code: str
    message: str
    details: dict = {}


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}
PUBLIC_ERRORS = {400: Error, 404: Error, 422: Error}


class EventOut(Schema):
    seq: int
    kind: str
    subject_type: str
    subject_id: str
    actor_id: int | None
    actor_name: str
    recorded_at: dt.datetime
    public: bool
    leaf_hash: str

    @staticmethod
    def resolve_leaf_hash(obj) -> str:
        return bytes(obj.leaf_hash).hex()


class EventDetailOut(EventOut):
    data: str  # the canonical JSON exactly as hashed

    @staticmethod
    def resolve_data(obj) -> str:
        return bytes(obj.data).decode("utf-8")


class EventQuery(Schema):
    kind: str = ""
    subject: str = ""
    actor: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@router.get("/events", response={200: list[EventOut], **ERRORS})
@paginate(PageNumberPagination)
def list_events(request, filters: Query[EventQuery]):
    """Newest first; filters as on the ledger browser."""
    return queries.events_for_user(request.user, queries.EventFilters(**filters.dict()))


@router.get("/events/{seq}", response={200: EventDetailOut, **ERRORS})
def get_event(request, seq: int):
    return queries.get_event_for_user(request.user, seq)


class CheckpointOut(Schema):
    origin: str
    size: int
    root: str
    root_hex: str
    note: str
    signed_at: dt.datetime
    key_name: str
    verifier_key: str


@router.get("/checkpoints/latest", auth=None, response={200: CheckpointOut, **PUBLIC_ERRORS})
def checkpoint_latest(request):
    cp = latest_checkpoint()
    if cp is None:
        raise DomainError("ledger.no_checkpoint", _("还没有签署检查点。"), status=404)
    key = keys.key_for_size(cp.size)  # the key the ledger declared for this size
    return {"origin": keys.origin(), "size": cp.size, "root": queries.b64(cp.root), "root_hex": bytes(cp.root).hex(),
            "note": witnesses.published_note(cp), "signed_at": cp.signed_at, "key_name": cp.key_name,
            "verifier_key": key.verifier_key if key else ""}


class LedgerKeyOut(Schema):
    seq: int
    origin: str
    key_name: str
    key_id: str
    verifier_key: str
    declared_at: str


@router.get("/keys", auth=None, response={200: list[LedgerKeyOut], **PUBLIC_ERRORS})
def list_keys(request):
    """The keys the ledger declared in its own events, oldest first: a checkpoint of size s is
    signed by the last key declared before event s."""
    return [{"seq": k.seq, "origin": k.origin, "key_name": k.name, "key_id": k.key_id, "verifier_key": k.verifier_key,
             "declared_at": k.time} for k in keys.history().keys]


class CheckpointRow(Schema):
    size: int
    root: str
    note: str
    signed_at: dt.datetime
    reason: str

    @staticmethod
    def resolve_root(obj) -> str:
        return queries.b64(obj.root)

    @staticmethod
    def resolve_note(obj) -> str:
        return witnesses.published_note(obj)  # with the witnesses' cosignatures


@router.get("/checkpoints", auth=None, response={200: list[CheckpointRow], **PUBLIC_ERRORS})
@paginate(PageNumberPagination)
def list_checkpoints(request):
    """Every checkpoint, oldest first: save them to check later that the ledger only grew."""
    return Checkpoint.objects.order_by("id").prefetch_related("cosignatures")


class InclusionOut(Schema):
    seq: int
    leaf_hash: str
    tree_size: int
    root: str
    path: list[str]
    verified: bool
    public: bool
    data: str | None = None


@router.get("/proofs/inclusion", auth=None, response={200: InclusionOut, **PUBLIC_ERRORS})
def proof_inclusion(request, seq: int | None = None, leaf_hash: str = "", tree_size: int | None = None):
    """Inclusion of an event (by number or leaf hash, hex or base64) in the tree of
    ``tree_size`` (default: the latest checkpoint's size). Paths are base64, as in the checkpoint."""
    event = queries.find_for_inclusion(str(seq) if seq is not None else leaf_hash)
    if tree_size is None:
        cp = latest_checkpoint()
        if cp is None:
            raise DomainError("ledger.no_checkpoint", _("还没有签署检查点。"), status=404)
        tree_size = cp.size
    path = tree.inclusion_proof(event.seq, tree_size)
    root = tree.root_at(tree_size)
    leaf = bytes(event.leaf_hash)
    return {"seq": event.seq, "leaf_hash": leaf.hex(), "tree_size": tree_size, "root": queries.b64(root),
            "path": [queries.b64(p) for p in path], "verified": merkle.verify_inclusion(event.seq, tree_size, leaf, path, root),
            "public": event.public, "data": bytes(event.data).decode("utf-8") if event.public else None}


class ConsistencyOut(Schema):
    first: int
    second: int
    first_root: str
    second_root: str
    proof: list[str]
    verified: bool


@router.get("/proofs/consistency", auth=None, response={200: ConsistencyOut, **PUBLIC_ERRORS})
def proof_consistency(request, first: int, second: int | None = None):
    """That the tree of size ``second`` (default: now) extends the tree of size ``first``."""
    second = tree.current_size() if second is None else second
    proof = tree.consistency_proof(first, second)
    r1, r2 = tree.root_at(first), tree.root_at(second)
    return {"first": first, "second": second, "first_root": queries.b64(r1), "second_root": queries.b64(r2),
            "proof": [queries.b64(p) for p in proof], "verified": merkle.verify_consistency(first, second, r1, r2, proof)}
