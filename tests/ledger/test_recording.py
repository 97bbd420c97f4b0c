"""record_event, the stored subtree hashes and the tree built from them."""

import pytest
from django.db import transaction

from gongxin.ledger import merkle, tree
from gongxin.ledger.models import Event, LedgerHead
from gongxin.ledger.recording import LedgerUsageError, record_event


def _record(n, start=0, public=False):
    for i in range(start, start + n):
        with transaction.atomic():
            record_event(kind="tests.thing.done", subject=("tests.thing", i), actor=None, payload={"i": i},
                         public=public)


def _leaves():
    return [bytes(h) for h in Event.objects.order_by("seq").values_list("leaf_hash", flat=True)]


@pytest.mark.django_db
def test_events_are_numbered_from_zero_and_hash_their_envelope():
    _record(1)  # an empty ledger's first event is the declaration of its key
    assert list(Event.objects.values_list("kind", flat=True)) == ["ledger.key.declared", "tests.thing.done"]
    base = LedgerHead.objects.get(id=1).size
    _record(3)
    events = list(Event.objects.filter(seq__gte=base).order_by("seq"))
    assert [e.seq for e in events] == [base, base + 1, base + 2]
    e = events[1]
    assert bytes(e.leaf_hash) == merkle.leaf_hash(bytes(e.data))
    assert b'"seq":%d' % e.seq in bytes(e.data)
    assert b'"kind":"tests.thing.done"' in bytes(e.data)
    assert b'"subject":{"id":"1","type":"tests.thing"}' in bytes(e.data)


@pytest.mark.django_db(transaction=True)
def test_record_event_refuses_outside_a_transaction_and_bad_kinds():
    with pytest.raises(LedgerUsageError):
        record_event(kind="tests.thing.done", subject=("t", 1), actor=None, payload={})
    assert tree.current_size() == 0
    with transaction.atomic(), pytest.raises(LedgerUsageError):
        record_event(kind="Done", subject=("t", 1), actor=None, payload={})


@pytest.mark.django_db
def test_a_rolled_back_action_leaves_no_event_and_no_gap():
    _record(1)
    size = tree.current_size()
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(kind="tests.thing.done", subject=("t", 1), actor=None, payload={})
        raise RuntimeError("the action failed")
    assert tree.current_size() == size
    _record(1)
    assert list(Event.objects.values_list("seq", flat=True)) == list(range(size + 1))


@pytest.mark.django_db
def test_roots_and_proofs_from_stored_nodes_match_the_reference(django_assert_max_num_queries):
    _record(37)
    leaves = _leaves()
    n = len(leaves)
    reference = merkle.MemoryTree(leaves)
    assert tree.current_root() == (n, merkle.mth(leaves))
    for size in (1, 2, 5, 16, 31, n):
        with django_assert_max_num_queries(2):
            assert tree.root_at(size) == merkle.mth(leaves[:size])
    for seq, size in ((0, n), (n - 1, n), (13, 20), (16, 17)):
        with django_assert_max_num_queries(2):
            proof = tree.inclusion_proof(seq, size)
        assert proof == reference.inclusion_path(seq, size)
        assert merkle.verify_inclusion(seq, size, leaves[seq], proof, merkle.mth(leaves[:size]))
    for first, second in ((1, n), (7, 20), (16, 32), (20, 20)):
        proof = tree.consistency_proof(first, second)
        assert proof == reference.consistency_proof(first, second)
        assert merkle.verify_consistency(first, second, merkle.mth(leaves[:first]), merkle.mth(leaves[:second]), proof)


@pytest.mark.django_db
def test_actions_of_other_apps_land_in_the_ledger(county):
    kinds = list(Event.objects.values_list("kind", flat=True))
    assert kinds and all("." in k for k in kinds)
    assert tree.current_size() == len(kinds)
