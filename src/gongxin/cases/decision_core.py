"""The decision meeting's arithmetic (R15), pure: quorum and pass rule. No Django.

Quorum: present ≥ quorum × members (exactly 2/3 present is a quorum). A candidate passes with
agree > pass × base, where base is every member who should attend (应到会成员), so exactly half
agreeing fails. Recused members do not vote and are listed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction


def parse_fraction(text) -> Fraction:
    if isinstance(text, Fraction):
        return text
    if isinstance(text, (int, float)):
        return Fraction(text).limit_denominator(1000)
    text = str(text).strip()
    if text.endswith("%"):
        return Fraction(text[:-1]) / 100
    return Fraction(text)


def quorum_met(members: int, present: int, quorum="2/3") -> bool:
    q = parse_fraction(quorum)
    return members > 0 and present * q.denominator >= q.numerator * members


def needed_to_pass(base: int, threshold="1/2") -> int:
    """The smallest agree count strictly above threshold × base."""
    t = parse_fraction(threshold)
    return (t.numerator * base) // t.denominator + 1


@dataclass
class CandidateTally:
    candidate: int
    agree: int = 0
    disagree: int = 0
    defer: int = 0
    not_voted: int = 0
    recused: list = field(default_factory=list)
    base: int = 0
    needed: int = 0
    passed: bool = False

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class DecisionTally:
    members: int
    present: int
    quorum: str
    quorum_met: bool
    candidates: list[CandidateTally]

    def as_dict(self) -> dict:
        return {"members": self.members, "present": self.present, "quorum": self.quorum,
                "quorum_met": self.quorum_met, "candidates": [c.as_dict() for c in self.candidates]}


def tally(*, members: Iterable, present: Iterable, candidates: Iterable,
          votes: Mapping | None = None, secret_counts: Mapping | None = None,
          recused: Mapping | None = None, quorum="2/3", threshold="1/2", pass_base="expected") -> DecisionTally:
    """``votes``: {candidate: {member: "agree"|"disagree"|"defer"}} (open mode), or
    ``secret_counts``: {candidate: (agree, disagree, defer)}. ``recused``: {candidate: set(members)}.
    ``pass_base``: "expected" (all members) or "expected_minus_recused"."""
    members = list(members)
    member_set = set(members)
    present_set = set(present) & member_set
    recused = recused or {}
    met = quorum_met(len(members), len(present_set), quorum)
    out = []
    for cand in candidates:
        rec = set(recused.get(cand, ())) & member_set
        voters = present_set - rec
        t = CandidateTally(candidate=cand, recused=sorted(rec, key=str))
        if secret_counts is not None:
            t.agree, t.disagree, t.defer = (int(x) for x in secret_counts.get(cand, (0, 0, 0)))
            t.not_voted = max(0, len(voters) - t.agree - t.disagree - t.defer)
        else:
            stances = (votes or {}).get(cand, {})
            for m in voters:
                choice = stances.get(m)
                if choice in ("agree", "disagree", "defer"):
                    setattr(t, choice, getattr(t, choice) + 1)
                else:
                    t.not_voted += 1
        t.base = len(members) - (len(rec) if pass_base == "expected_minus_recused" else 0)
        t.needed = needed_to_pass(t.base, threshold)
        t.passed = met and t.agree >= t.needed
        out.append(t)
    return DecisionTally(len(members), len(present_set), str(quorum), met, out)


def fill_places(passed: Iterable[CandidateTally], places: Mapping, post_of: Mapping) -> set:
    """No more people than posts. ``passed``: the tallies of the candidates who passed the vote
    and the re-check; ``places``: {post: places}, in the case's order; ``post_of``: {candidate:
    post or None}. The most agree votes first (ties: the lower candidate number, the earlier
    nomination) take their post's places; a candidate without a post takes the first place
    left. Returns the candidates selected. The product decides with it and the offline
    verifier replays with it (gongxin.replay.decisions)."""
    places = dict(places)
    total = sum(places.values())
    selected = set()
    for t in sorted(passed, key=lambda t: (-t.agree, int(t.candidate))):
        post = post_of.get(t.candidate)
        if post is not None and places.get(post, 0) > 0 and total > 0:
            places[post] -= 1
            total -= 1
            selected.add(t.candidate)
        elif post is None and total > 0:
            free = next((p for p, n in places.items() if n > 0), None)
            if free is not None:
                places[free] -= 1
                total -= 1
                selected.add(t.candidate)
    return selected
