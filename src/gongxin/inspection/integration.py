"""The seam with the cases app: rule parameters, recusal and candidate status changes.

Inspection calls the case workflow only through these functions, so the contract lives in
one place."""

from gongxin.cases import actions as case_actions
from gongxin.cases.recusal import must_recuse
from gongxin.cases.rules import rule_params
from gongxin.core.errors import DomainError

DEFAULT_MIN_MEMBERS = 2


def min_team_members(on=None) -> int:
    """R10: the minimum team size in force (default 2 when no rule set is in force yet)."""
    try:
        params = rule_params("R10", on=on)
    except DomainError:
        return DEFAULT_MIN_MEMBERS
    return int(params.get("min_members", DEFAULT_MIN_MEMBERS))


def recusal_reason(person_cadre, candidate_cadre) -> str | None:
    if person_cadre is None or candidate_cadre is None:
        return None
    return must_recuse(person_cadre, candidate_cadre)


def suspend_candidate(*, acting_user, candidate, reason: str):
    return case_actions.suspend_candidate(acting_user=acting_user, candidate=candidate, reason=reason)


def resume_candidate(*, acting_user, candidate, reason: str):
    return case_actions.resume_candidate(acting_user=acting_user, candidate=candidate, reason=reason)


def recheck_eligibility(*, acting_user, candidate):
    return case_actions.check_eligibility(acting_user=acting_user, candidate=candidate)


def add_candidate(**kwargs):
    return case_actions.add_candidate(**kwargs)
