"""The Merkle tree of RFC 9162 §2.1 (same hashing as RFC 6962). Pure: no Django.

Leaf hash  = SHA-256(0x00 ‖ data); node hash = SHA-256(0x01 ‖ left ‖ right); the empty tree's
root is SHA-256(""). For n > 1 leaves, with k the largest power of two smaller than n,
MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n])).

Every subtree the RFC recursion visits is [lo, hi) with lo a multiple of a power of two at
least hi − lo, so its hash is a right fold over the *perfect* subtrees of its binary
decomposition. A store therefore only needs the perfect-subtree hashes (level, index) — node
(level, index) covers leaves [index·2^level, (index+1)·2^level) — and any root or proof for any
size is computed from O(log n) of them:

* ``Frontier`` keeps the perfect subtrees of the current size (at most 64 hashes) and gives
  the root; appending a leaf yields the perfect nodes it completes.
* ``inclusion_ranges`` / ``consistency_ranges`` list the subtree ranges a proof is made of,
  ``nodes_for_range`` the perfect nodes each range needs, ``range_hash`` folds them: a database
  fetches exactly those nodes in one query.
* ``verify_inclusion`` / ``verify_consistency`` follow RFC 9162 §2.1.3.2 and §2.1.4.2 step by step.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(b"\x01" + left + right).digest()


def largest_power_of_two_below(n: int) -> int:
    """k: the largest power of two strictly smaller than n (n ≥ 2)."""
    if n < 2:
        raise ValueError("n must be at least 2")
    return 1 << ((n - 1).bit_length() - 1)


# --- roots -----------------------------------------------------------------------------------


def mth(leaves: Sequence[bytes]) -> bytes:
    """MTH over leaf hashes, by the RFC's recursive definition (reference; O(n))."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaves[0]
    k = largest_power_of_two_below(n)
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


class Frontier:
    """The perfect subtrees covering leaves [0, size): hashes largest (leftmost) first.

    Their levels follow from ``size``: one per set bit, highest first. ``append`` returns the
    perfect nodes (level, index, hash) the new leaf completes, level ≥ 1."""

    __slots__ = ("size", "hashes")

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()):
        if len(hashes) != bin(size).count("1"):
            raise ValueError("frontier does not match the size")
        self.size = size
        self.hashes = list(hashes)

    @classmethod
    def from_bytes(cls, size: int, blob: bytes) -> Frontier:
        return cls(size, [blob[i : i + HASH_SIZE] for i in range(0, len(blob), HASH_SIZE)])

    def to_bytes(self) -> bytes:
        return b"".join(self.hashes)

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        completed = []
        index, level, h = self.size, 0, leaf
        hashes = self.hashes
        while index & 1:
            h = node_hash(hashes.pop(), h)
            level += 1
            index >>= 1
            completed.append((level, index, h))
        hashes.append(h)
        self.size += 1
        return completed

    def extend(self, leaves: Iterable[bytes]) -> None:
        hashes = self.hashes
        size = self.size
        for h in leaves:
            index = size
            while index & 1:
                h = _sha256(b"\x01" + hashes.pop() + h).digest()
                index >>= 1
            hashes.append(h)
            size += 1
        self.size = size

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        r = self.hashes[-1]
        for h in reversed(self.hashes[:-1]):
            r = node_hash(h, r)
        return r


def root_of(leaves: Iterable[bytes]) -> bytes:
    """Root over an iterable of leaf hashes, streaming (O(log n) memory)."""
    f = Frontier()
    f.extend(leaves)
    return f.root()


# --- ranges and the perfect nodes they need ----------------------------------------------------


def nodes_for_range(lo: int, hi: int) -> list[tuple[int, int]]:
    """The perfect nodes (level, index), left to right, whose right fold is MTH(D[lo:hi]).

    ``lo`` must be a multiple of a power of two ≥ hi − lo (true of every RFC subtree)."""
    out = []
    start = lo
    remaining = hi - lo
    while remaining:
        level = remaining.bit_length() - 1
        if start % (1 << level):
            raise ValueError(f"range [{lo}, {hi}) is not a subtree of an RFC 9162 tree")
        out.append((level, start >> level))
        start += 1 << level
        remaining -= 1 << level
    return out


def range_hash(lo: int, hi: int, node: Callable[[int, int], bytes] | Mapping[tuple[int, int], bytes]) -> bytes:
    """MTH(D[lo:hi]) from perfect-node hashes (a mapping or a function of (level, index))."""
    if hi == lo:
        return EMPTY_ROOT
    get = node.__getitem__ if isinstance(node, Mapping) else (lambda key: node(*key))
    parts = [get(key) for key in nodes_for_range(lo, hi)]
    r = parts[-1]
    for h in reversed(parts[:-1]):
        r = node_hash(h, r)
    return r


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The subtree ranges of PATH(index, D[size]), in proof order (leaf's sibling first)."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    out = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = largest_power_of_two_below(hi - lo)
        if index < lo + k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo = lo + k
    out.reverse()
    return out


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """The subtree ranges of PROOF(first, D[second]) = SUBPROOF(first, D[second], true)."""
    if not 0 <= first <= second:
        raise ValueError(f"cannot prove size {first} consistent with size {second}")
    if first == 0 or first == second:
        return []
    out = []
    lo, hi, m, b = 0, second, first, True
    while m != hi - lo:
        n = hi - lo
        k = largest_power_of_two_below(n)
        if m <= k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo, m, b = lo + k, m - k, False
    if not b:
        out.append((lo, hi))
    out.reverse()
    return out


def needed_nodes(ranges: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    return {key for lo, hi in ranges for key in nodes_for_range(lo, hi)}


# --- proofs over an in-memory list of leaf hashes --------------------------------------------


class MemoryTree:
    """All perfect-node hashes of a list of leaf hashes, for tests and the offline verifier."""

    def __init__(self, leaves: Iterable[bytes] = ()):
        self.levels: list[list[bytes]] = [[]]
        for h in leaves:
            self.append(h)

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def append(self, leaf: bytes) -> None:
        level = 0
        self.levels[0].append(leaf)
        while len(self.levels[level]) % 2 == 0:
            row = self.levels[level]
            if len(self.levels) == level + 1:
                self.levels.append([])
            self.levels[level + 1].append(node_hash(row[-2], row[-1]))
            level += 1

    def node(self, level: int, index: int) -> bytes:
        return self.levels[level][index]

    def root(self, size: int | None = None) -> bytes:
        return range_hash(0, self.size if size is None else size, self.node)

    def inclusion_path(self, index: int, size: int | None = None) -> list[bytes]:
        size = self.size if size is None else size
        return [range_hash(lo, hi, self.node) for lo, hi in inclusion_ranges(index, size)]

    def consistency_proof(self, first: int, second: int | None = None) -> list[bytes]:
        second = self.size if second is None else second
        return [range_hash(lo, hi, self.node) for lo, hi in consistency_ranges(first, second)]


# --- verification (RFC 9162 §2.1.3.2 and §2.1.4.2, step by step) ------------------------------


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes], root: bytes) -> bool:
    """§2.1.3.2: is the leaf hash at ``index`` in the tree of ``size`` with ``root``?"""
    # 1. leaf_index ≥ tree_size fails.
    if index < 0 or index >= size:
        return False
    # 2. fn = leaf_index, sn = tree_size − 1.
    fn, sn = index, size - 1
    # 3. r = hash.
    r = leaf
    # 4. for each p in the path:
    for p in path:
        # a. sn = 0: fail.
        if sn == 0:
            return False
        # b. LSB(fn) set, or fn = sn: r = HASH(0x01 ‖ p ‖ r), then shift until LSB(fn) or fn = 0.
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        # c. shift once.
        fn >>= 1
        sn >>= 1
    # 5. sn = 0 and r = root.
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> bool:
    """§2.1.4.2: is the tree of size ``second`` an append-only extension of size ``first``?

    Edge cases outside the RFC's 0 < first < second: equal sizes need an empty proof and equal
    roots; the empty tree (first = 0, with the empty root) is consistent with any tree."""
    if first < 0 or first > second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof and first_root == EMPTY_ROOT
    # 1. An empty path fails.
    if not proof:
        return False
    path = list(proof)
    # 2. first an exact power of two: prepend first_hash.
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    # 3. fn = first − 1, sn = second − 1.
    fn, sn = first - 1, second - 1
    # 4. while LSB(fn) is set, shift both.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5. fr = sr = the first value.
    fr = sr = path[0]
    # 6. for each subsequent value c:
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    # 7. fr = first_hash, sr = second_hash, sn = 0.
    return fr == first_root and sr == second_root and sn == 0
