"""The replay shared by `gongxin ledger verify` and the offline verifier: the fast chunked path
agrees with the row-by-row path, on clean ledgers and on any single tampered byte."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongxin.ledger import merkle
from gongxin.ledger.audit import AuditFailure, embedded_seq, replay, replay_chunks
from gongxin.ledger.canonical import canonical_json


def _ledger(n):
    rows = []
    frontier = merkle.Frontier()
    for seq in range(n):
        data = canonical_json({"seq": seq, "kind": "t.x.done", "subject": {"type": "t", "id": str(seq)},
                               "actor": None, "time": "2026-01-01T00:00:00+00:00",
                               "payload": {"seq": 999, "subject": "decoy", "i": seq}})
        leaf = merkle.leaf_hash(data)
        nodes = b"".join(h for *_x, h in frontier.append(leaf))
        rows.append([data, leaf, nodes])
    return rows, frontier


def _chunks(rows, size):
    return [[tuple(r) for r in rows[i:i + size]] for i in range(0, len(rows), size)]


def _outcome(fn):
    try:
        frontier, roots = fn()
        return ("ok", frontier.size, frontier.root(), roots)
    except AuditFailure as exc:
        return ("failed", exc.seq)


def test_embedded_seq_is_the_envelopes_not_the_payloads():
    rows, _f = _ledger(3)
    assert [embedded_seq(r[0]) for r in rows] == [0, 1, 2]


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 140), st.sampled_from([2, 8, 32]), st.data())
def test_fast_path_agrees_with_row_by_row(n, chunk, data):
    rows, frontier = _ledger(n)
    sizes = set(data.draw(st.lists(st.integers(0, n), max_size=4)))
    slow = _outcome(lambda: replay(((i, *r) for i, r in enumerate(rows)), snapshot_sizes=sizes))
    fast = _outcome(lambda: replay_chunks(_chunks(rows, chunk), chunk_size=chunk, snapshot_sizes=sizes))
    assert slow == fast
    assert slow[:3] == ("ok", n, frontier.root())
    leaves = [r[1] for r in rows]
    assert all(slow[3][s] == merkle.mth(leaves[:s]) for s in sizes)
    # one byte changed in one column of one row
    seq = data.draw(st.integers(0, n - 1))
    column = data.draw(st.integers(0, 2))
    if column == 2 and not rows[seq][2]:
        column = 1
    value = rows[seq][column]
    pos = data.draw(st.integers(0, len(value) - 1))
    rows[seq][column] = value[:pos] + bytes([value[pos] ^ 0x40]) + value[pos + 1:]
    slow = _outcome(lambda: replay(((i, *r) for i, r in enumerate(rows))))
    fast = _outcome(lambda: replay_chunks(_chunks(rows, chunk), chunk_size=chunk))
    assert slow == fast == ("failed", seq)


def test_row_by_row_reads_the_sequence_number_inside_the_hashed_bytes():
    rows, _f = _ledger(4)
    data = rows[2][0].replace(b',"seq":2,', b',"seq":7,')
    rows[2] = [data, merkle.leaf_hash(data), rows[2][2]]
    with pytest.raises(AuditFailure) as exc:
        replay((i, *r) for i, r in enumerate(rows))
    assert exc.value.seq == 2 and "another sequence number" in str(exc.value)


def test_fast_path_refuses_misaligned_chunks():
    rows, _f = _ledger(10)
    with pytest.raises(ValueError):
        replay_chunks([[tuple(r) for r in rows[:3]], [tuple(r) for r in rows[3:]]], chunk_size=4)


def test_row_by_row_names_a_gap():
    rows, _f = _ledger(5)
    with pytest.raises(AuditFailure) as exc:
        replay([(0, *rows[0]), (1, *rows[1]), (3, *rows[3])])
    assert exc.value.seq == 2
