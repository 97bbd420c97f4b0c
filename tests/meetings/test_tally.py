"""The pure tally and dispersion rule (no database): hypothesis against a naive oracle."""

import ast
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongxin.meetings import tally as t

POSTS = [t.PostSpec("1", "党委书记", 2), t.PostSpec("2", "镇长", 1)]
CANDS = [str(i) for i in range(1, 8)]


def naive_tally(posts, ballots, allowed=None):
    """The oracle: decode each ballot, dedupe each part, void parts over k (or naming anyone
    outside ``allowed``), Counter the rest."""
    out = []
    for i, post in enumerate(posts):
        votes, valid, invalid, blank = Counter(), 0, 0, 0
        for text in ballots:
            part = set(t.decode_ballot(text, len(posts))[i])
            if len(part) > post.k or (allowed is not None and not part <= allowed[post.key]):
                invalid += 1
                continue
            valid += 1
            if not part:
                blank += 1
            votes.update(part)
        out.append((valid, invalid, blank, dict(votes)))
    return out


part_st = st.lists(st.sampled_from(CANDS), min_size=0, max_size=4)  # up to 4: over-votes for k=1, 2
ballot_st = st.tuples(part_st, part_st).map(lambda parts: t.encode_ballot(parts))


@given(st.lists(ballot_st, max_size=60))
def test_tally_equals_naive_counter(ballots):
    result = t.tally(POSTS, ballots)
    assert result.ballots == len(ballots)
    for pt, (valid, invalid, blank, votes) in zip(result.posts, naive_tally(POSTS, ballots), strict=True):
        assert (pt.valid, pt.invalid, pt.blank, pt.votes) == (valid, invalid, blank, votes)
        assert pt.valid + pt.invalid == len(ballots)


def test_over_vote_voids_only_that_posts_part():
    ballots = ["1,2,3|4", "1|4,5", "|", "1,1|"]
    result = t.tally(POSTS, ballots)
    secretary, head = result.posts
    assert (secretary.valid, secretary.invalid, secretary.blank) == (3, 1, 1)
    assert secretary.votes == {"1": 2}  # "1,1" counts once
    assert (head.valid, head.invalid, head.blank) == (3, 1, 2)
    assert head.votes == {"4": 1}


def test_allowed_list_voids_unknown_names():
    result = t.tally([t.PostSpec("1", "x", 2)], ["1,2", "1,9"], allowed={"1": {"1", "2"}})
    assert result.posts[0].invalid == 1 and result.posts[0].votes == {"1": 1, "2": 1}


def test_wrong_number_of_parts_is_an_error():
    with pytest.raises(ValueError):
        t.tally(POSTS, ["1"])


# ---- turnout: exact fractions -------------------------------------------------------------

@pytest.mark.parametrize("expected,present,ok", [(3, 2, True), (300, 200, True), (300, 199, False), (0, 0, False),
                                                 (7, 5, True), (9, 6, True), (9, 5, False)])
def test_turnout_two_thirds_inclusive(expected, present, ok):
    assert t.turnout(expected, present, t.Rules()).valid is ok


def test_turnout_exactly_two_thirds_strict_rule_fails():
    rules = t.Rules.from_dict({"turnout_inclusive": False})
    assert t.turnout(300, 200, rules).valid is False
    assert t.turnout(300, 201, rules).valid is True


@given(st.integers(1, 10_000), st.data())
def test_turnout_matches_integer_arithmetic(expected, data):
    present = data.draw(st.integers(0, expected))
    assert t.turnout(expected, present, t.Rules()).valid is (3 * present >= 2 * expected)


def test_rules_refuse_floats_and_round_trip():
    with pytest.raises(ValueError):
        t.Rules.from_dict({"turnout": 0.6667})
    rules = t.Rules.from_dict({"turnout": "0.5", "slate_ratio": "3", "margin": "1/20"})
    assert rules.turnout == Fraction(1, 2)
    assert t.Rules.from_dict(rules.to_dict()) == rules


# ---- accounting -----------------------------------------------------------------------------

def test_accounting_equation():
    a = t.accounting(present=30, issued=30, returned=27, spoiled=1)
    assert a.balanced and a.unreturned == 2
    assert t.accounting(present=30, issued=31, returned=30, spoiled=0).problems == ("present_ne_issued",)
    assert "more_returned_than_issued" in t.accounting(present=3, issued=3, returned=3, spoiled=1).problems


# ---- the dispersion rule ------------------------------------------------------------------

SEED = "0123456789abcdef0123456789abcdef"


def post_tally(votes, valid, k=1):
    return t.PostTally(key="1", k=k, valid=valid, votes=dict(votes))


def test_consensus_gives_uncontested_slate():
    slate = t.nominate(post_tally({"a": 51, "b": 30, "c": 19}, 100), t.Rules(), SEED)
    assert (slate.competitive, slate.reason, slate.nominees) == (False, "consensus", ["a"])


def test_exactly_half_is_not_more_than_half():
    slate = t.nominate(post_tally({"a": 50, "b": 30, "c": 20}, 100), t.Rules(), SEED)
    assert slate.reason == "dispersed" and slate.competitive
    assert slate.nominees == ["a", "b"]  # posts × 2


def test_exactly_the_threshold_passes_when_not_strict():
    rules = t.Rules.from_dict({"threshold_strict": False})
    slate = t.nominate(post_tally({"a": 50, "b": 30, "c": 20}, 100), rules, SEED)
    assert slate.reason == "consensus" and slate.nominees == ["a"]


def test_closeness_margin_makes_it_competitive():
    rules = t.Rules.from_dict({"margin": "1/10"})
    slate = t.nominate(post_tally({"a": 56, "b": 46}, 100), rules, SEED)
    assert slate.reason == "close" and slate.nominees == ["a", "b"]
    slate = t.nominate(post_tally({"a": 60, "b": 40}, 100), rules, SEED)  # gap 20% > 10%
    assert slate.reason == "consensus"


def test_ties_are_broken_by_the_seed_and_reported():
    pt = post_tally({"a": 10, "b": 10, "c": 10, "d": 5}, 40)
    slate = t.nominate(pt, t.Rules(), SEED)
    assert len(slate.nominees) == 2
    assert slate.ties_broken == [sorted(["a", "b", "c"], key=lambda c: t.tiebreak_rank(SEED, "1", c))]
    other = t.nominate(pt, t.Rules(), "another seed, sixteen+")
    assert t.nominate(pt, t.Rules(), SEED).nominees == slate.nominees  # deterministic
    assert set(other.nominees) <= {"a", "b", "c"}


def test_min_share_and_slate_ratio():
    rules = t.Rules.from_dict({"slate_ratio": "3", "min_share": "1/10"})
    slate = t.nominate(post_tally({"a": 30, "b": 20, "c": 15, "d": 9, "e": 8}, 100, k=2), rules, SEED)
    assert slate.nominees == ["a", "b", "c"]  # 6 allowed, only three reach 10%


def test_no_valid_ballots():
    assert t.nominate(post_tally({}, 0), t.Rules(), SEED).nominees == []


@settings(max_examples=200)
@given(st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 30), max_size=8), st.integers(1, 3),
       st.sampled_from(["1/2", "1/3", "2/3"]), st.booleans(), st.sampled_from(["0", "1/20", "1/5"]))
def test_slate_properties(votes, k, threshold, strict, margin):
    valid = max([sum(votes.values()) // k, *votes.values(), 0])
    rules = t.Rules.from_dict({"threshold": threshold, "threshold_strict": strict, "margin": margin})
    slate = t.nominate(post_tally(votes, valid, k), rules, SEED)
    ordered = sorted((c for c in votes if votes[c] > 0), key=lambda c: -votes[c])
    # the slate is a prefix of the candidates by votes; nobody outside has more votes than anyone inside
    assert all(votes[n] > 0 for n in slate.nominees)
    outside = [c for c in ordered if c not in slate.nominees]
    if slate.nominees and outside:
        assert min(votes[n] for n in slate.nominees) >= max(votes[c] for c in outside)
    if slate.reason == "consensus":
        share = Fraction(threshold)
        assert len(slate.nominees) == k
        for n in slate.nominees:
            assert (Fraction(votes[n], valid) > share) if strict else (Fraction(votes[n], valid) >= share)
    else:
        assert len(slate.nominees) <= 2 * k


def test_seed_commitment():
    h = t.seed_hash(SEED)
    assert t.check_seed(SEED, h) and not t.check_seed(SEED + "x", h)


def test_result_with_and_without_seed():
    ballots = ["1,2|3", "1|3", "2|4", "1,2,5|"]
    res = t.result(posts=POSTS, ballots=ballots, rules=t.Rules(), expected=6, present=4)
    assert "slate" not in res["posts"][0] and res["valid"] is True
    res = t.result(posts=POSTS, ballots=ballots, rules=t.Rules(), expected=6, present=4, seed=SEED)
    assert res["posts"][0]["votes"] == {"1": 2, "2": 2}
    assert res["posts"][0]["shares"]["1"] == "2/3"
    # head: "3" has 2 of 4 valid ballots (the fourth is blank there): exactly half, so competitive
    assert res["posts"][1]["valid"] == 4
    assert res["posts"][1]["slate"]["nominees"] == ["3", "4"] and res["posts"][1]["slate"]["competitive"]


def test_pure_modules_import_no_django():
    src = Path(__file__).resolve().parents[2] / "src" / "gongxin"
    for path in [src / "meetings" / "tally.py", src / "meetings" / "codes.py", src / "recount.py",
                 src / "meetings" / "sealing.py"]:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith("django"), f"{path.name} imports {name}"
                assert name.split(".")[0] in {"__future__", "argparse", "hashlib", "json", "math", "sys", "pathlib", "gc",
                                              "operator", "itertools", "array", "contextlib",
                                              "collections", "dataclasses", "fractions", "secrets", "gongxin",
                                              "hmac", "struct", "cryptography"}, name
                if name.startswith("gongxin"):
                    assert name == "gongxin.meetings", name


# raw texts, as a hand-made ballot file might hold them: empty marks ("1,,2", ",3", "4,"),
# repeats, unknown names; one and two posts; chunks small enough that each path is taken
raw_part_st = st.lists(st.sampled_from([*CANDS, "", "99"]), max_size=5).map(",".join)
ONE_POST = [t.PostSpec("1", "党委书记", 3)]


@settings(max_examples=300)
@given(st.sampled_from([POSTS, ONE_POST]), st.data(), st.booleans())
def test_raw_texts_agree_with_the_oracle(posts, data, use_allowed):
    ballots = data.draw(st.lists(st.tuples(*[raw_part_st] * len(posts)).map("|".join), max_size=80))
    allowed = {p.key: set(CANDS[:5]) for p in posts} if use_allowed else None
    result = t.tally(posts, iter(ballots), allowed)  # a stream, not a list
    assert result.ballots == len(ballots)
    for pt, (valid, invalid, blank, votes) in zip(result.posts, naive_tally(posts, ballots, allowed), strict=True):
        assert (pt.valid, pt.invalid, pt.blank, pt.votes) == (valid, invalid, blank, votes)


def test_wrong_number_of_parts_anywhere_is_an_error():
    with pytest.raises(ValueError, match="3 parts"):
        t.tally(POSTS, ["1|2"] * 100_000 + ["1|2|3"])
    with pytest.raises(ValueError, match="2 parts"):
        t.tally(ONE_POST, ["1,2"] * 10 + ["1|2"])


@given(st.lists(st.tuples(ballot_st, st.integers(1, 5)), max_size=40))
def test_counted_pairs_equal_the_ballots_they_stand_for(pairs):
    """``tally_counted`` over (text, n) pairs — a text may come in several pairs, as when
    batches are counted apart — equals ``tally`` over the ballots written out."""
    ballots = [text for text, many in pairs for _ in range(many)]
    counted = t.tally_counted(POSTS, pairs)
    assert counted.as_dict() == t.tally(POSTS, ballots).as_dict()
    for pt, (valid, invalid, blank, votes) in zip(counted.posts, naive_tally(POSTS, ballots), strict=True):
        assert (pt.valid, pt.invalid, pt.blank, pt.votes) == (valid, invalid, blank, votes)


def test_a_pair_counted_less_than_once_is_an_error():
    with pytest.raises(ValueError, match="counted 0 times"):
        t.tally_counted(POSTS, [("1|2", 3), ("1|", 0)])


def test_result_from_counts_equals_result_from_the_list():
    ballots = ["1,2|3", "1,2|3", "|", "1,2,3|3", "4|5"]
    kwargs = {"posts": POSTS, "ballots": ballots, "rules": t.Rules(), "expected": 6, "present": 5, "seed": "s"}
    assert t.result(**kwargs, counted=Counter(ballots)) == t.result(**kwargs)
    with pytest.raises(ValueError, match="4 ballots counted, 5 listed"):
        t.result(**kwargs, counted=Counter(ballots[1:]))
