"""The pure core: equal to the `matching` package's resident-optimal (and hospital-optimal)
solution on random instances; certificate, rural-hospitals and strategy-proofness properties;
bad input refused; replay and verify for the offline verifier; no Django import."""

import ast
import random
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongxin.matching import core
from gongxin.matching.core import Instance, InvalidRanking, section_optimal, staff_optimal

CORE = Path(core.__file__)


def random_instance(rng, n_staff, n_sections, max_list=6, accept=0.85):
    sections = [f"s{j}" for j in range(n_sections)]
    staff = {f"p{i}": rng.sample(sections, rng.randint(0, min(max_list, n_sections))) for i in range(n_staff)}
    applicants = {s: [] for s in sections}
    for p, lst in staff.items():
        for s in lst:
            applicants[s].append(p)
    # sections rank most of their applicants, and sometimes someone who did not apply
    prefs = {}
    for s, lst in applicants.items():
        rng.shuffle(lst)
        chosen = [p for p in lst if rng.random() < accept]
        if staff and rng.random() < 0.3:
            extra = rng.choice(list(staff))
            if extra not in chosen:
                chosen.insert(rng.randrange(len(chosen) + 1), extra)
        prefs[s] = chosen
    capacity = {s: rng.randint(0 if rng.random() < 0.1 else 1, 4) for s in sections}
    return staff, prefs, capacity


def oracle(staff, prefs, capacity, optimal):
    from matching.games import HospitalResident

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    # the package refuses empty lists and zero capacities: give it the same game over mutually
    # acceptable pairs only (which changes no stable matching), without empty lists
    mutual = {(p, s) for p, lst in staff.items() for s in lst if capacity[s] > 0 and p in prefs[s]}
    live_staff = {p: [s for s in lst if (p, s) in mutual] for p, lst in staff.items()}
    live_staff = {p: lst for p, lst in live_staff.items() if lst}
    live_prefs = {s: [p for p in lst if (p, s) in mutual] for s, lst in prefs.items()}
    live_prefs = {s: lst for s, lst in live_prefs.items() if lst}
    out = dict.fromkeys(staff)
    if not live_staff:
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(
            live_staff, live_prefs, {s: capacity[s] for s in live_prefs}, clean=True)
        solution = game.solve(optimal=optimal)
    for h, residents in solution.items():
        for r in residents:
            out[r.name] = h.name
    return out


@pytest.mark.parametrize("n_staff,n_sections,count", [(3, 2, 150), (12, 4, 120), (40, 8, 40), (150, 20, 8), (600, 40, 2)])
def test_equals_the_matching_package(n_staff, n_sections, count):
    rng = random.Random(n_staff * 7919 + n_sections)
    for _ in range(count):
        staff, prefs, capacity = random_instance(rng, n_staff, n_sections)
        inst = Instance.checked(staff, prefs, capacity)
        ours = staff_optimal(inst)
        assert ours.matching == oracle(staff, prefs, capacity, "resident")
        assert section_optimal(inst).matching == oracle(staff, prefs, capacity, "hospital")
        assert ours.certificate["stable"]


@st.composite
def instances(draw):
    n_staff = draw(st.integers(0, 9))
    n_sections = draw(st.integers(1, 4))
    sections = [f"s{j}" for j in range(n_sections)]
    people = [f"p{i}" for i in range(n_staff)]
    staff = {p: draw(st.permutations(sections).flatmap(lambda perm: st.integers(0, len(perm)).map(lambda k, perm=perm: perm[:k])))
             for p in people}
    prefs = {s: draw(st.permutations(people).flatmap(lambda perm: st.integers(0, len(perm)).map(lambda k, perm=perm: perm[:k])))
             for s in sections}
    capacity = {s: draw(st.integers(0, 3)) for s in sections}
    return Instance.checked(staff, prefs, capacity)


@settings(max_examples=300, deadline=None)
@given(instances())
def test_certificate_holds_and_both_matchings_agree_on_who_is_placed(inst):
    a, b = staff_optimal(inst), section_optimal(inst)
    for result in (a, b):
        cert = result.certificate
        assert cert["stable"] and not cert["blocking_pairs"] and not cert["over_capacity"]
        for p, s in result.matching.items():
            if s is not None:
                assert s in inst.staff[p] and p in inst.sections[s]
    # rural hospitals theorem: the same people placed, each section filled equally
    assert set(a.unmatched) == set(b.unmatched)
    assert {s: len(v) for s, v in a.held.items()} == {s: len(v) for s, v in b.held.items()}
    # every staff member weakly prefers the staff-optimal result
    for p, prefs in inst.staff.items():
        rank = {s: i for i, s in enumerate(prefs)}
        assert rank.get(a.matching[p], len(prefs)) <= rank.get(b.matching[p], len(prefs))


@settings(max_examples=300, deadline=None)
@given(instances(), st.data())
def test_truncating_a_list_never_helps(inst, data):
    if not inst.staff:
        return
    p = data.draw(st.sampled_from(sorted(inst.staff)))
    true = inst.staff[p]
    cut = data.draw(st.integers(0, len(true)))
    honest = staff_optimal(inst).matching[p]
    lied = staff_optimal(Instance({**inst.staff, p: true[:cut]}, inst.sections, inst.capacity)).matching[p]
    rank = {s: i for i, s in enumerate(true)}
    assert rank.get(lied, len(true)) >= rank.get(honest, len(true))


@settings(max_examples=200, deadline=None)
@given(instances())
def test_a_blocking_pair_is_caught(inst):
    """The certificate is checked from the inputs: moving someone who could be better off
    breaks it (the check can fail)."""
    result = staff_optimal(inst)
    for p, prefs in inst.staff.items():
        if prefs and result.matching[p] == prefs[0]:
            broken = core.Result("x", {**result.matching, p: None}, {})
            cert = core.certify_result(inst, broken)
            assert [p, prefs[0]] in cert["blocking_pairs"] or inst.capacity[prefs[0]] == 0
            assert not cert["stable"]
            return


def test_why_not_lines_say_rank_and_cutoff():
    inst = Instance.checked(
        {"a": ["X", "Y"], "b": ["X"], "c": ["X", "Y"], "d": ["X", "Y"]},
        {"X": ["b", "a", "d"], "Y": ["a", "d"]}, {"X": 1, "Y": 1})
    result = staff_optimal(inst)
    assert result.matching == {"a": "Y", "b": "X", "c": None, "d": None}
    assert result.why_not["a"] == [("X", core.FULL, 2, 1)]
    assert result.why_not["c"] == [("X", core.NOT_RANKED, None, None), ("Y", core.NOT_RANKED, None, None)]
    assert result.why_not["d"] == [("X", core.FULL, 3, 1), ("Y", core.FULL, 2, 1)]
    msgid, params = core.why_not_text("档案科", *result.why_not["d"][0][1:])
    assert msgid % params == "科室 档案科 已满，其排序中你位于第 3，录取到第 1"
    msgid, params = core.why_not_text("档案科", *result.why_not["c"][0][1:])
    assert msgid % params == "科室 档案科 未将你列入排序"


@pytest.mark.parametrize("ranking,code", [
    (["X", "X"], "matching.ranking.tie"),
    ([["X", "Y"]], "matching.ranking.tie"),
    (["Z"], "matching.ranking.unknown_section"),
])
def test_bad_staff_rankings_refused(ranking, code):
    with pytest.raises(InvalidRanking) as exc:
        Instance.checked({"a": ranking}, {"X": ["a"], "Y": []}, {"X": 1, "Y": 1})
    assert exc.value.code == code
    assert "排序" in str(exc.value)


def test_section_ranking_a_stranger_is_refused():
    with pytest.raises(InvalidRanking) as exc:
        Instance.checked({"a": ["X"]}, {"X": ["a", "zz"]}, {"X": 1})
    assert exc.value.code == "matching.ranking.out_of_scope"


@pytest.mark.parametrize("sections,code,entry", [
    ({"X": ["a", "zz"], "Y": ["b"], "Z": ["a", "b"]}, "matching.ranking.out_of_scope", "zz"),
    ({"X": ["a"], "Y": ["b", "a", "b"], "Z": ["b"]}, "matching.ranking.tie", "b"),
])
def test_a_bad_section_list_among_others_is_named(sections, code, entry):
    """The sections' lists are checked one by one; the first bad one stops the fast path and
    every list (those after it too) goes through the naming check."""
    with pytest.raises(InvalidRanking) as exc:
        Instance.checked({"a": ["X", "Z"], "b": ["Y", "Z"]}, sections, {"X": 1, "Y": 1, "Z": 1})
    assert (exc.value.code, exc.value.params["entry"]) == (code, entry)


def test_numeric_ids_in_a_section_list_are_read_as_strings_and_the_lists_after_it_kept():
    """A list that leaves the fast path (here: ids given as numbers) sends every list through
    the naming check, those after it too: the instance is the all-string one."""
    got = Instance.checked({"5": ["X", "Y"], "a": ["Y"]}, {"X": [5], "Y": ["a", 5]}, {"X": 1, "Y": 1})
    want = Instance.checked({"5": ["X", "Y"], "a": ["Y"]}, {"X": ["5"], "Y": ["a", "5"]}, {"X": 1, "Y": 1})
    assert (got.sections, got.section_ranks) == (want.sections, want.section_ranks) == (
        {"X": ["5"], "Y": ["a", "5"]}, {"X": {"5": 0}, "Y": {"a": 0, "5": 1}})


@pytest.mark.parametrize("ranking,code", [
    (["a", "b", "a"], "matching.ranking.tie"),
    ([["a", "b"]], "matching.ranking.tie"),
])
def test_bad_section_rankings_refused(ranking, code):
    """The sections' lists are checked through the position tables built for the matching:
    a repeat or several people in one place is still refused by name."""
    with pytest.raises(InvalidRanking) as exc:
        Instance.checked({"a": ["X"], "b": ["X"]}, {"X": ranking}, {"X": 1})
    assert exc.value.code == code


def test_a_hand_built_instance_gets_the_same_positions():
    """``checked`` keeps the positions it built; an Instance made directly builds them on
    first use: both match the same way."""
    rng = random.Random(11)
    staff, prefs, capacity = random_instance(rng, 30, 6)
    checked = Instance.checked(staff, prefs, capacity)
    direct = Instance(checked.staff, checked.sections, checked.capacity)
    assert direct.section_ranks == checked.section_ranks
    assert staff_optimal(direct).matching == staff_optimal(checked).matching
    assert staff_optimal(direct).why_not == staff_optimal(checked).why_not


def test_replay_and_verify():
    rng = random.Random(5)
    staff, prefs, capacity = random_instance(rng, 60, 6)
    inputs = Instance.checked(staff, prefs, capacity).as_inputs()
    outputs = core.replay_round(inputs)
    assert core.verify_round(inputs, outputs) == []
    # a tampered result is caught: move one matched person to nowhere
    moved = next(p for p, s in outputs["matching"].items() if s)
    tampered = {**outputs, "matching": {**outputs["matching"], moved: None}}
    problems = core.verify_round(inputs, tampered)
    assert any("differs" in p for p in problems) and any("not stable" in p for p in problems)
    # section-optimal rounds replay with their rule
    inputs_b = {**inputs, "rule": core.SECTION_OPTIMAL}
    assert core.verify_round(inputs_b, core.replay_round(inputs_b)) == []


def test_core_imports_no_django():
    tree = ast.parse(CORE.read_text())
    for node in ast.walk(tree):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        for n in names:
            assert not n.startswith(("django", "gongxin", "ninja")), n


def test_the_offline_replayer_recomputes_a_round_and_names_a_tampered_one():
    """The ledger's matching.round.closed event through the offline verifier's replay engine:
    an honest round replays equal; one person moved to nowhere is named as differing."""
    from gongxin.ledger.canonical import canonical_json
    from gongxin.replay import DIFFERS, EQUAL, Replayer

    staff, prefs, capacity = random_instance(random.Random(11), 80, 8)
    inputs = Instance.checked(staff, prefs, capacity).as_inputs()
    outputs = core.replay_round(inputs)
    moved = next(p for p, s in outputs["matching"].items() if s)
    tampered = {**outputs, "matching": {**outputs["matching"], moved: None}}
    for out, status in ((outputs, EQUAL), (tampered, DIFFERS)):
        rep = Replayer()
        rep.feed(7, canonical_json({"seq": 7, "kind": "matching.round.closed", "subject": {"type": "matching.round", "id": "4"},
                                    "actor": None, "time": "2026-01-01T00:00:00+00:00",
                                    "payload": {"inputs": inputs, "outputs": out}}))
        [result] = rep.finish()
        assert (result.what, result.status) == ("matching", status)
        assert ("differs from the recomputation" in result.detail) == (status == DIFFERS)


def test_the_collector_is_left_as_it_was_found():
    import gc

    inst = Instance.checked({"a": ["X"]}, {"X": ["a"]}, {"X": 1})
    for was_on in (True, False):
        gc.enable() if was_on else gc.disable()
        try:
            staff_optimal(inst)
            with pytest.raises(InvalidRanking):
                Instance.checked({"a": ["X", "X"]}, {"X": ["a"]}, {"X": 1})
            assert gc.isenabled() is was_on
        finally:
            gc.enable()
