"""The ballot tally and the dispersion rule of a recommendation meeting (DOMAIN §3.1, R7).

Pure and standard-library only: the standalone recount tool (``python -m gongxin.recount``)
imports this module, so it must never import Django or anything outside the standard library.

A ballot is a text: one part per post, in the meeting's post order, separated by ``|``; each
part lists the candidate keys marked for that post, separated by ``,``. ``"12,5|"`` is a
ballot with two names for the first post and a blank second post. A part naming more than k
distinct candidates is void (that post only); a blank part is a valid ballot with no votes; a
name repeated within a part counts once.

Every ratio (turnout, threshold, margin, slate ratio) is an exact ``Fraction``, so "exactly
two thirds" and "exactly half" are decided exactly.
"""

from __future__ import annotations

import gc
import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction

POST_SEPARATOR = "|"
MARK_SEPARATOR = ","


# ---- rules ----------------------------------------------------------------------------------

def as_fraction(value) -> Fraction:
    """"2/3", "0.05", 2, Fraction(1, 2) → Fraction; floats are refused (inexact)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(f"use a string such as '2/3', not {value!r}")
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(str(value).strip())


def fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value.numerator)


@dataclass(frozen=True)
class Rules:
    """The rules a meeting freezes when it opens. Defaults are DOMAIN §3.1 / R7."""

    turnout: Fraction = Fraction(2, 3)        # present / expected must reach this
    turnout_inclusive: bool = True            # "≥ 2/3" (False: "more than 2/3")
    threshold: Fraction = Fraction(1, 2)      # a candidate needs this share of valid ballots
    threshold_strict: bool = True             # "more than half" (False: "at least half")
    margin: Fraction = Fraction(0)            # last winner vs first runner-up within this share → close
    slate_ratio: Fraction = Fraction(2)       # competitive slate size = ceil(k × ratio)
    min_share: Fraction = Fraction(0)         # a slate member needs at least this share (0: any votes)

    @classmethod
    def from_dict(cls, data: Mapping | None) -> Rules:
        data = dict(data or {})
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown rules: {sorted(unknown)}")
        values = {}
        for name, value in data.items():
            if name in ("turnout_inclusive", "threshold_strict"):
                if not isinstance(value, bool):
                    raise ValueError(f"{name} must be true or false")
                values[name] = value
            else:
                values[name] = as_fraction(value)
        rules = cls(**values)
        rules.check()
        return rules

    def check(self) -> None:
        if not (0 <= self.turnout <= 1):
            raise ValueError("turnout must be between 0 and 1")
        if not (0 <= self.threshold <= 1):
            raise ValueError("threshold must be between 0 and 1")
        if not (0 <= self.margin <= 1):
            raise ValueError("margin must be between 0 and 1")
        if not (0 <= self.min_share <= 1):
            raise ValueError("min_share must be between 0 and 1")
        if self.slate_ratio < 1:
            raise ValueError("slate_ratio must be at least 1")

    def to_dict(self) -> dict:
        return {
            "turnout": fraction_text(self.turnout),
            "turnout_inclusive": self.turnout_inclusive,
            "threshold": fraction_text(self.threshold),
            "threshold_strict": self.threshold_strict,
            "margin": fraction_text(self.margin),
            "slate_ratio": fraction_text(self.slate_ratio),
            "min_share": fraction_text(self.min_share),
        }


@dataclass(frozen=True)
class PostSpec:
    key: str
    title: str
    k: int  # how many names a voter may give for this post (= seats)

    def __post_init__(self):
        if self.k < 1:
            raise ValueError("k must be at least 1")


# ---- ballots --------------------------------------------------------------------------------

def encode_ballot(parts: Sequence[Iterable]) -> str:
    """[[12, 5], []] → "12,5|" (keys as given, in order)."""
    return POST_SEPARATOR.join(MARK_SEPARATOR.join(str(m) for m in part) for part in parts)


def decode_ballot(text: str, n_posts: int) -> list[list[str]]:
    parts = text.split(POST_SEPARATOR)
    if len(parts) != n_posts:
        raise ValueError(f"ballot has {len(parts)} parts, the meeting has {n_posts} posts: {text!r}")
    return [[m for m in part.split(MARK_SEPARATOR) if m] if part else [] for part in parts]


def normalise_ballot(parts: Sequence[Iterable]) -> str:
    """Canonical text: each part's keys distinct and sorted (as text). Used when storing."""
    return encode_ballot([sorted({str(m) for m in part}) for part in parts])


# ---- tally ----------------------------------------------------------------------------------

@dataclass
class PostTally:
    key: str
    k: int
    valid: int = 0      # ballots whose part for this post is valid (blank included)
    invalid: int = 0    # ballots whose part names more than k (or an unknown) candidate
    blank: int = 0      # valid parts with no name
    votes: dict[str, int] = field(default_factory=dict)

    def share(self, candidate: str) -> Fraction:
        return Fraction(self.votes.get(candidate, 0), self.valid) if self.valid else Fraction(0)

    def as_dict(self) -> dict:
        return {"key": self.key, "k": self.k, "valid": self.valid, "invalid": self.invalid, "blank": self.blank,
                "votes": dict(sorted(self.votes.items(), key=lambda kv: (-kv[1], kv[0])))}


@dataclass
class Tally:
    ballots: int
    posts: list[PostTally]

    def as_dict(self) -> dict:
        return {"ballots": self.ballots, "posts": [p.as_dict() for p in self.posts]}


@contextmanager
def paused_gc() -> Iterator[None]:
    """Counting makes a set per ballot and no reference cycles: the cyclic garbage collector
    would only walk the heap over and over (a fifth of the tally's time at a million ballots)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def tally(posts: Sequence[PostSpec], ballots: Iterable[str],
          allowed: Mapping[str, set[str]] | None = None) -> Tally:
    """Count ballots (texts). ``allowed`` (post key → candidate keys) voids a part that names
    anyone else, as a candidate-list ballot would; without it any key counts (write-ins).

    Identical ballots are counted together (``Counter``, at C speed), then each distinct
    ballot once by ``tally_counted``: a meeting of a few hundred electors and a dozen nominees
    has a few dozen distinct ballots. ``ballots`` may be a stream; memory grows with the
    number of distinct ballots, not with the number of ballots."""
    return tally_counted(posts, Counter(ballots).items(), allowed)


def tally_counted(posts: Sequence[PostSpec], counted: Iterable[tuple[str, int]],
                  allowed: Mapping[str, set[str]] | None = None) -> Tally:
    """Count (ballot text, how many such ballots) pairs; the same text may come in several
    pairs.

    Per post, a part's names are its distinct non-empty marks: none is a blank (valid); more
    than k, or any outside ``allowed``, voids the part (that post only); otherwise each name
    gets one vote per ballot."""
    n = len(posts)
    ks = [p.k for p in posts]
    votes: list[dict[str, int]] = [{} for _ in range(n)]
    invalid = [0] * n
    blank = [0] * n
    allowed_sets = [allowed.get(p.key) for p in posts] if allowed else [None] * n
    columns = range(n)
    total = 0
    with paused_gc():
        for text, many in counted:
            if many < 1:
                raise ValueError(f"a ballot counted {many!r} times: {text!r}")
            total += many
            parts = text.split(POST_SEPARATOR)
            if len(parts) != n:
                raise ValueError(f"ballot has {len(parts)} parts, the meeting has {n} posts: {text!r}")
            for i in columns:
                marks = set(parts[i].split(MARK_SEPARATOR))
                marks.discard("")
                if not marks:
                    blank[i] += many
                elif len(marks) > ks[i] or (allowed_sets[i] is not None and not allowed_sets[i].issuperset(marks)):
                    invalid[i] += many
                else:
                    post_votes = votes[i]
                    get = post_votes.get
                    for mark in marks:
                        post_votes[mark] = get(mark, 0) + many
    return Tally(ballots=total, posts=[
        PostTally(key=post.key, k=post.k, valid=total - invalid[i], invalid=invalid[i], blank=blank[i], votes=votes[i])
        for i, post in enumerate(posts)])


# ---- turnout and the accounting equation ----------------------------------------------------

@dataclass(frozen=True)
class Turnout:
    expected: int
    present: int
    ratio: Fraction
    required: Fraction
    inclusive: bool
    valid: bool

    def as_dict(self) -> dict:
        return {"expected": self.expected, "present": self.present, "ratio": fraction_text(self.ratio),
                "required": fraction_text(self.required), "inclusive": self.inclusive, "valid": self.valid}


def turnout(expected: int, present: int, rules: Rules) -> Turnout:
    if expected <= 0:
        return Turnout(expected, present, Fraction(0), rules.turnout, rules.turnout_inclusive, False)
    ratio = Fraction(present, expected)
    ok = ratio >= rules.turnout if rules.turnout_inclusive else ratio > rules.turnout
    return Turnout(expected, present, ratio, rules.turnout, rules.turnout_inclusive, ok)


@dataclass(frozen=True)
class Accounting:
    """present = issued = returned + spoiled + unreturned."""

    present: int
    issued: int
    returned: int
    spoiled: int
    unreturned: int
    problems: tuple[str, ...]

    @property
    def balanced(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"present": self.present, "issued": self.issued, "returned": self.returned,
                "spoiled": self.spoiled, "unreturned": self.unreturned, "balanced": self.balanced,
                "problems": list(self.problems)}


def accounting(*, present: int, issued: int, returned: int, spoiled: int) -> Accounting:
    """Problems are stable codes; the Django shell translates them for the clerk."""
    problems = []
    unreturned = issued - returned - spoiled
    if present != issued:
        problems.append("present_ne_issued")
    if unreturned < 0:
        problems.append("more_returned_than_issued")
    return Accounting(present, issued, returned, spoiled, unreturned, tuple(problems))


# ---- the tie-break seed ---------------------------------------------------------------------

def seed_hash(seed: str) -> str:
    """The commitment published before voting: SHA-256 of the seed's UTF-8 text, hex."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def check_seed(seed: str, committed_hash: str) -> bool:
    return seed_hash(seed) == committed_hash.lower()


def tiebreak_rank(seed: str, post_key: str, candidate: str) -> str:
    """Lower ranks first among equal votes: SHA-256(seed ‖ 0x00 ‖ post ‖ 0x00 ‖ candidate)."""
    data = b"\x00".join(s.encode("utf-8") for s in (seed, post_key, candidate))
    return hashlib.sha256(data).hexdigest()


# ---- the dispersion rule --------------------------------------------------------------------

@dataclass
class Slate:
    key: str
    k: int
    competitive: bool
    reason: str                 # "consensus" | "dispersed" | "close" | "no_valid_ballots"
    nominees: list[str]         # in order: votes desc, then tie-break rank
    order: list[str]            # every candidate with votes, same order
    ties_broken: list[list[str]]  # groups of equal votes cut by the slate boundary, by seed

    def as_dict(self) -> dict:
        return {"key": self.key, "k": self.k, "competitive": self.competitive, "reason": self.reason,
                "nominees": list(self.nominees), "ties_broken": [list(g) for g in self.ties_broken]}


def _reaches(votes: int, valid: int, share: Fraction, strict: bool) -> bool:
    # votes / valid > share, exactly: votes × den > num × valid
    lhs, rhs = votes * share.denominator, share.numerator * valid
    return lhs > rhs if strict else lhs >= rhs


def nominate(post: PostTally, rules: Rules, seed: str) -> Slate:
    """The slate for one post.

    Uncontested (as many as posts) when each of the top k has more than the threshold share of
    valid ballots AND the k-th leads the (k+1)-th by more than the margin; otherwise a
    competitive slate of ceil(k × slate_ratio) candidates, each with votes and at least
    ``min_share``. Equal votes are ordered by the revealed seed."""
    k, valid = post.k, post.valid
    order = sorted(post.votes, key=lambda c: (-post.votes[c], tiebreak_rank(seed, post.key, c)))
    order = [c for c in order if post.votes[c] > 0]
    if valid == 0 or not order:
        return Slate(post.key, k, False, "no_valid_ballots", [], order, [])
    top = order[:k]
    consensus = len(top) == k and all(
        _reaches(post.votes[c], valid, rules.threshold, rules.threshold_strict) for c in top)
    reason = "consensus"
    if consensus and len(order) > k:
        gap = post.votes[order[k - 1]] - post.votes[order[k]]
        # close when the gap is within the margin (a tie is always close)
        if gap == 0 or Fraction(gap, valid) <= rules.margin:
            consensus, reason = False, "close"
    elif not consensus:
        reason = "dispersed"
    if consensus:
        size = k
        pool = order
    else:
        size = math.ceil(k * rules.slate_ratio)
        pool = [c for c in order if _reaches(post.votes[c], valid, rules.min_share, False)]
    nominees = pool[:size]
    ties = []
    if len(pool) > size and nominees:
        last = post.votes[nominees[-1]]
        if post.votes[pool[size]] == last:
            ties.append([c for c in pool if post.votes[c] == last])
    return Slate(post.key, k, len(nominees) > k, reason, nominees, order, ties)


# ---- the whole result -----------------------------------------------------------------------

def ballot_list_text(ballots: Sequence[str]) -> bytes:
    """The published ballot list as bytes: one ballot per line, UTF-8, final newline."""
    return ("\n".join(ballots) + "\n").encode("utf-8") if ballots else b""


def ballot_list_sha256(ballots: Sequence[str]) -> str:
    return hashlib.sha256(ballot_list_text(ballots)).hexdigest()


def result(*, posts: Sequence[PostSpec], ballots: Sequence[str], rules: Rules, expected: int, present: int,
           seed: str | None = None, allowed: Mapping[str, set[str]] | None = None,
           counted: Mapping[str, int] | None = None) -> dict:
    """Everything the notice shows, as plain JSON-able data (fractions as "a/b" text).
    Without a seed (before it is revealed) the slates are left out. ``counted``: how many of
    each distinct ballot ``ballots`` holds, when the caller has counted them already."""
    if counted is not None and sum(counted.values()) != len(ballots):
        raise ValueError(f"{sum(counted.values())} ballots counted, {len(ballots)} listed")
    t = tally(posts, ballots, allowed) if counted is None else tally_counted(posts, counted.items(), allowed)
    turn = turnout(expected, present, rules)
    out = {
        "rules": rules.to_dict(),
        "turnout": turn.as_dict(),
        "ballots": t.ballots,
        "ballots_sha256": ballot_list_sha256(ballots),
        "posts": [],
    }
    for spec, pt in zip(posts, t.posts, strict=True):
        entry = pt.as_dict()
        entry["title"] = spec.title
        entry["shares"] = {c: fraction_text(pt.share(c)) for c in entry["votes"]}
        if seed is not None:
            entry["slate"] = nominate(pt, rules, seed).as_dict() if turn.valid else None
        out["posts"].append(entry)
    out["valid"] = turn.valid
    return out


def percent(share_text: str) -> str:
    """ "3/8" → "37.50%" for display."""
    f = as_fraction(share_text)
    return f"{float(f) * 100:.2f}%"
