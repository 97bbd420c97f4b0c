"""Pure checks for inspection and joint review: no Django, no database.

Each check returns a list of problems as ``(code, params)`` pairs; the Django shell turns
them into translated sentences (``messages.py``). Keeping the rules here lets them be
tested with hypothesis and reused by command-line tools."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

Problem = tuple[str, dict]

GRADES = ("excellent", "competent", "basically_competent", "incompetent")
CIRCLES = ("work", "life", "social")
FOUR_CHECKS = ("file", "personal_matters_report", "discipline_opinion", "complaints")


# ---- certification and teams -------------------------------------------------------------


@dataclass(frozen=True)
class Cert:
    issued: dt.date
    expires: dt.date
    revoked: bool = False


@dataclass(frozen=True)
class MemberFacts:
    name: str
    is_inspector: bool
    certificates: tuple[Cert, ...] = ()
    recusal: str | None = None  # a Chinese reason from the recusal engine, or None


def certificate_state(certs: tuple[Cert, ...], on: dt.date) -> tuple[str, dt.date | None]:
    """"valid" (with its expiry), "expired" (with the last expiry), "revoked" or "none"."""
    valid = [c for c in certs if not c.revoked and c.issued <= on <= c.expires]
    if valid:
        return "valid", max(c.expires for c in valid)
    lapsed = [c for c in certs if not c.revoked and c.expires < on]
    if lapsed:
        return "expired", max(c.expires for c in lapsed)
    if any(c.revoked for c in certs):
        return "revoked", None
    return "none", None


def member_problems(member: MemberFacts, on: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    if not member.is_inspector:
        problems.append(("team.not_inspector", {"name": member.name}))
    state, expiry = certificate_state(member.certificates, on)
    if state == "none":
        problems.append(("team.uncertified", {"name": member.name}))
    elif state == "expired":
        problems.append(("team.certificate_expired", {"name": member.name, "date": expiry}))
    elif state == "revoked":
        problems.append(("team.certificate_revoked", {"name": member.name}))
    if member.recusal:
        problems.append(("team.recused", {"name": member.name, "reason": member.recusal}))
    return problems


def team_problems(members: list[MemberFacts], leaders: int, min_members: int, on: dt.date) -> list[Problem]:
    """Everything that stops these people forming a team (R10, certification, recusal)."""
    problems: list[Problem] = []
    names = [m.name for m in members]
    if len(set(names)) < len(names):
        problems.append(("team.duplicate_member", {}))
    if len(members) < min_members:
        problems.append(("team.too_small", {"n": len(members), "min": min_members}))
    if leaders != 1:
        problems.append(("team.leader_count", {"n": leaders}))
    for member in members:
        problems.extend(member_problems(member, on))
    return problems


def can_certify(attended_sessions: int, best_score, pass_mark) -> list[Problem]:
    problems: list[Problem] = []
    if attended_sessions < 1:
        problems.append(("certificate.no_training", {}))
    if best_score is None:
        problems.append(("certificate.no_exam", {}))
    elif best_score < pass_mark:
        problems.append(("certificate.exam_failed", {"score": best_score, "pass_mark": pass_mark}))
    return problems


# ---- figures ---------------------------------------------------------------------------


def coverage(visited: int, total: int) -> tuple[int, int, int]:
    """Source tracing coverage: (visited, total, whole percent rounded down)."""
    if visited < 0 or total < 0 or visited > total:
        raise ValueError("visited must be between 0 and total")
    percent = 0 if total == 0 else (100 * visited) // total
    return visited, total, percent


def vote_shares(counts: dict[str, int]) -> dict[str, Fraction]:
    """Each grade's share of the votes cast, exact; all zero when nobody voted."""
    total = sum(counts.get(g, 0) for g in GRADES)
    if total == 0:
        return {g: Fraction(0) for g in GRADES}
    return {g: Fraction(counts.get(g, 0), total) for g in GRADES}


def percent_text(share: Fraction) -> str:
    """One decimal place, half up: Fraction(1, 3) → "33.3%"."""
    tenths = (share * 1000 + Fraction(1, 2)).__floor__()
    return f"{tenths // 10}.{tenths % 10}%"


def leaning_summary(leanings: list[str]) -> dict[str, int]:
    out = {"positive": 0, "neutral": 0, "negative": 0}
    for leaning in leanings:
        out[leaning] += 1
    return out


# ---- joint review ----------------------------------------------------------------------


@dataclass(frozen=True)
class RequestFacts:
    department: str          # display name
    answer: str              # pending / clear / problem / needs_verification
    finding: str = ""        # the linked problem file's finding, "" while open
    overdue: bool = False


def request_is_clear(r: RequestFacts) -> bool:
    return r.answer == "clear" or (r.answer == "problem" and r.finding == "unsubstantiated")


def review_problems(requests: list[RequestFacts], departments: list[str]) -> list[Problem]:
    """Why a candidate may not go on to the decision: not sent, silent departments, open or
    substantiated problems, items awaiting verification."""
    problems: list[Problem] = []
    if not requests:
        return [("review.not_sent", {})]
    asked = {r.department for r in requests}
    for name in departments:
        if name not in asked:
            problems.append(("review.not_asked", {"department": name}))
    for r in requests:
        if request_is_clear(r):
            continue
        if r.answer == "pending":
            problems.append(("review.silent_overdue" if r.overdue else "review.silent", {"department": r.department}))
        elif r.answer == "needs_verification":
            problems.append(("review.needs_verification", {"department": r.department}))
        elif r.finding == "substantiated":
            problems.append(("review.problem_substantiated", {"department": r.department}))
        else:
            problems.append(("review.problem_open", {"department": r.department}))
    return problems


def missing_checks(done: set[str]) -> list[str]:
    return [c for c in FOUR_CHECKS if c not in done]
