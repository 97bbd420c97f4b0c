"""RFC 9162 §2.1: the 7-leaf example (names as in shared/REFERENCES.md) and properties."""

import ast
import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongxin.ledger import merkle as m

D = [f"d{i}".encode() for i in range(7)]
a, b, c, d, e, f, j = (m.leaf_hash(x) for x in D)
g = m.node_hash(a, b)
h = m.node_hash(c, d)
i = m.node_hash(e, f)
k = m.node_hash(g, h)
l = m.node_hash(i, j)  # noqa: E741 - the RFC's name
ROOT7 = m.node_hash(k, l)
TREE = m.MemoryTree([a, b, c, d, e, f, j])


def test_hashing_primitives():
    assert m.EMPTY_ROOT == hashlib.sha256(b"").digest()
    assert m.leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert m.node_hash(a, b) == hashlib.sha256(b"\x01" + a + b).digest()


def test_root_of_seven_leaves():
    assert m.mth([a, b, c, d, e, f, j]) == ROOT7
    assert TREE.root() == ROOT7
    assert m.root_of([a, b, c, d, e, f, j]) == ROOT7
    assert m.root_of([]) == m.EMPTY_ROOT
    assert m.root_of([a]) == a


@pytest.mark.parametrize("index, path", [(0, [b, h, l]), (3, [c, g, l]), (4, [f, j, k]), (6, [i, k])],
                         ids=["d0", "d3", "d4", "d6"])
def test_rfc_inclusion_paths(index, path):
    assert TREE.inclusion_path(index) == path
    assert m.verify_inclusion(index, 7, [a, b, c, d, e, f, j][index], path, ROOT7)


@pytest.mark.parametrize("first, proof", [(3, [c, d, g, l]), (4, [l]), (6, [i, j, k])])
def test_rfc_consistency_proofs(first, proof):
    assert TREE.consistency_proof(first) == proof
    old_root = m.mth([a, b, c, d, e, f, j][:first])
    assert m.verify_consistency(first, 7, old_root, ROOT7, proof)


def test_wrong_inclusion_is_refused():
    assert not m.verify_inclusion(0, 7, a, [b, h], ROOT7)          # short path
    assert not m.verify_inclusion(0, 7, a, [b, h, l, l], ROOT7)    # long path
    assert not m.verify_inclusion(1, 7, a, [b, h, l], ROOT7)       # wrong index
    assert not m.verify_inclusion(7, 7, a, [b, h, l], ROOT7)       # out of range
    assert not m.verify_inclusion(6, 8, j, [i, k], ROOT7)          # wrong size
    assert not m.verify_inclusion(3, 7, d, [c, g, l], m.node_hash(l, k))


def test_wrong_consistency_is_refused():
    old3 = m.mth([a, b, c])
    assert not m.verify_consistency(3, 7, old3, ROOT7, [])
    assert not m.verify_consistency(3, 7, old3, ROOT7, [c, d, g])
    assert not m.verify_consistency(3, 7, old3, ROOT7, [d, c, g, l])
    assert not m.verify_consistency(4, 7, m.mth([a, b, c, d]), ROOT7, [l, l])
    assert not m.verify_consistency(8, 7, ROOT7, ROOT7, [])
    assert m.verify_consistency(7, 7, ROOT7, ROOT7, [])
    assert not m.verify_consistency(7, 7, ROOT7, old3, [])
    assert m.verify_consistency(0, 7, m.EMPTY_ROOT, ROOT7, [])


def test_frontier_completes_perfect_nodes():
    fr = m.Frontier()
    assert fr.append(a) == []
    assert fr.append(b) == [(1, 0, g)]
    assert fr.append(c) == []
    assert fr.append(d) == [(1, 1, h), (2, 0, k)]
    assert fr.root() == m.mth([a, b, c, d])
    again = m.Frontier.from_bytes(fr.size, fr.to_bytes())
    again.extend([e, f, j])
    assert again.root() == ROOT7 and again.size == 7


def test_ranges_must_be_rfc_subtrees():
    assert m.nodes_for_range(4, 7) == [(1, 2), (0, 6)]
    with pytest.raises(ValueError):
        m.nodes_for_range(1, 4)


def _leaves(n):
    return [m.leaf_hash(n.to_bytes(4, "big") + x.to_bytes(4, "big")) for x in range(n)]


def _flip(value: bytes, pos: int) -> bytes:
    pos %= len(value)
    return value[:pos] + bytes([value[pos] ^ 0x01]) + value[pos + 1:]


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 400), st.data())
def test_every_inclusion_proof_verifies_and_any_changed_byte_fails(n, data):
    leaves = _leaves(n)
    tree = m.MemoryTree(leaves)
    root = tree.root()
    assert root == m.mth(leaves) == m.root_of(leaves)
    index = data.draw(st.integers(0, n - 1))
    path = tree.inclusion_path(index)
    assert m.verify_inclusion(index, n, leaves[index], path, root)
    pos = data.draw(st.integers(0, 10_000))
    assert not m.verify_inclusion(index, n, _flip(leaves[index], pos), path, root)
    assert not m.verify_inclusion(index, n, leaves[index], path, _flip(root, pos))
    if path:
        which = data.draw(st.integers(0, len(path) - 1))
        bad = list(path)
        bad[which] = _flip(bad[which], pos)
        assert not m.verify_inclusion(index, n, leaves[index], bad, root)
    other = data.draw(st.integers(0, n))
    if other != index:
        assert not m.verify_inclusion(other, n, leaves[index], path, root)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 400), st.data())
def test_every_consistency_proof_verifies_and_any_changed_byte_fails(n, data):
    leaves = _leaves(n)
    tree = m.MemoryTree(leaves)
    first = data.draw(st.integers(1, n))
    old_root, new_root = tree.root(first), tree.root()
    assert old_root == m.mth(leaves[:first])
    proof = tree.consistency_proof(first)
    assert m.verify_consistency(first, n, old_root, new_root, proof)
    pos = data.draw(st.integers(0, 10_000))
    assert not m.verify_consistency(first, n, _flip(old_root, pos), new_root, proof)
    assert not m.verify_consistency(first, n, old_root, _flip(new_root, pos), proof)
    if proof:
        which = data.draw(st.integers(0, len(proof) - 1))
        bad = list(proof)
        bad[which] = _flip(bad[which], pos)
        assert not m.verify_consistency(first, n, old_root, new_root, bad)
    if first < n:
        # a tree that rewrote one old leaf is not an extension of the old one
        rewritten = list(leaves)
        rewritten[data.draw(st.integers(0, first - 1))] = m.leaf_hash(b"forged")
        forged = m.MemoryTree(rewritten)
        assert not m.verify_consistency(first, n, old_root, forged.root(), forged.consistency_proof(first))


def test_all_small_trees_exhaustively():
    for n in range(1, 65):
        leaves = _leaves(n)
        tree = m.MemoryTree(leaves)
        root = tree.root()
        for index in range(n):
            assert m.verify_inclusion(index, n, leaves[index], tree.inclusion_path(index), root)
        for first in range(1, n + 1):
            assert m.verify_consistency(first, n, tree.root(first), root, tree.consistency_proof(first))


PURE = ["merkle.py", "canonical.py", "note.py", "audit.py"]


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_import_no_django(name):
    path = Path(m.__file__).with_name(name)
    tree = ast.parse(path.read_text())
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add("." * node.level + (node.module or ""))
    allowed_roots = {"hashlib", "collections", "__future__", "json", "datetime", "uuid", "decimal", "base64",
                     "dataclasses", "typing", "cryptography", "itertools", "operator", ".merkle", ".canonical"}
    for module in modules:
        root = module if module.startswith(".") else module.split(".")[0]
        assert root in allowed_roots, f"{name} imports {module}"
