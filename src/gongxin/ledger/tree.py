"""The ledger's Merkle tree in the database: roots and proofs from stored subtree hashes.

Node (0, i) is event i's leaf hash; node (level ≥ 1, i) is stored in event (i + 1)·2^level − 1
(see ``Event.nodes``). A root or proof needs O(log n) nodes, fetched in one query."""

from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError

from . import merkle
from .models import Event, LedgerHead

HASH = merkle.HASH_SIZE


def current_size() -> int:
    head = LedgerHead.objects.filter(id=1).first()
    return head.size if head else 0


def current_root() -> tuple[int, bytes]:
    head = LedgerHead.objects.filter(id=1).first()
    if head is None:
        return 0, merkle.EMPTY_ROOT
    return head.size, merkle.Frontier.from_bytes(head.size, bytes(head.frontier)).root()


def fetch_nodes(keys) -> dict[tuple[int, int], bytes]:
    """Perfect-node hashes for (level, index) keys, in one query."""
    keys = set(keys)
    if not keys:
        return {}
    by_seq: dict[int, list[int]] = {}
    for level, index in keys:
        by_seq.setdefault(((index + 1) << level) - 1, []).append(level)
    rows = Event.objects.filter(seq__in=list(by_seq)).values_list("seq", "leaf_hash", "nodes")
    out = {}
    for seq, leaf, nodes in rows:
        leaf, nodes = bytes(leaf), bytes(nodes)
        for level in by_seq[seq]:
            out[(level, ((seq + 1) >> level) - 1)] = leaf if level == 0 else nodes[HASH * (level - 1): HASH * level]
    missing = keys - out.keys()
    if missing:
        raise DomainError("ledger.nodes_missing", _("账本的子树哈希缺失，请运行 gongxin ledger verify 检查。"),
                          {"nodes": sorted(missing)[:5]})
    return out


def _check_size(size: int) -> None:
    if size < 0 or size > current_size():
        raise DomainError("ledger.bad_size", _("账本没有这么多条记录。"), {"size": size}, status=404)


def root_at(size: int) -> bytes:
    _check_size(size)
    if size == 0:
        return merkle.EMPTY_ROOT
    nodes = fetch_nodes(merkle.nodes_for_range(0, size))
    return merkle.range_hash(0, size, nodes)


def inclusion_proof(seq: int, size: int) -> list[bytes]:
    _check_size(size)
    if not 0 <= seq < size:
        raise DomainError("ledger.not_in_tree", _("该记录不在这个检查点覆盖的范围内。"), {"seq": seq, "size": size},
                          status=404)
    ranges = merkle.inclusion_ranges(seq, size)
    nodes = fetch_nodes(merkle.needed_nodes(ranges))
    return [merkle.range_hash(lo, hi, nodes) for lo, hi in ranges]


def consistency_proof(first: int, second: int) -> list[bytes]:
    _check_size(second)
    if not 0 <= first <= second:
        raise DomainError("ledger.bad_size", _("较早的大小不能超过较晚的大小。"), {"first": first, "second": second})
    ranges = merkle.consistency_ranges(first, second)
    nodes = fetch_nodes(merkle.needed_nodes(ranges))
    return [merkle.range_hash(lo, hi, nodes) for lo, hi in ranges]


def events_with_leaf(leaf: bytes):
    return Event.objects.filter(leaf_hash=leaf)

