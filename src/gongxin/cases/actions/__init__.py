"""Every write on cases: atomic, keyword-only, ``acting_user`` first, one ledger event per state
change in the same transaction (STYLE.md). A package by sub-domain; ``from gongxin.cases.actions
import X`` (and ``actions.X``) works for every action, as before."""

from .candidates import (
    add_candidate,
    appoint_candidate,
    check_eligibility,
    disqualify_candidate,
    nomination_blockers,
    record_exception,
    resume_candidate,
    suspend_candidate,
    withdraw_candidate,
)
from .common import STAGES_OPEN_FOR_CANDIDATES
from .decisions import (
    _voting_candidates,
    close_decision_meeting,
    compute_tally,
    create_decision_meeting,
    member_of,
    open_voting,
    record_attendance,
    record_own_stance,
    record_secret_counts,
    record_votes,
    recused_members,
)
from .lifecycle import (
    add_attachment,
    advance_case,
    headcount_overruns,
    open_attachment,
    open_case,
    resume_case,
    suspend_case,
    withdraw_case,
)
from .notices import (
    accept_application,
    apply_to_notice,
    close_vacancy_notice,
    preview_application,
    publish_vacancy_notice,
    reject_application,
)
from .rule_edits import edit_rule

__all__ = [
    "accept_application", "add_attachment", "add_candidate", "advance_case", "apply_to_notice", "appoint_candidate",
    "check_eligibility", "close_decision_meeting", "close_vacancy_notice", "compute_tally",
    "create_decision_meeting", "disqualify_candidate", "edit_rule", "headcount_overruns", "member_of",
    "nomination_blockers", "open_attachment", "open_case", "open_voting", "preview_application",
    "publish_vacancy_notice", "record_attendance", "record_exception", "record_own_stance", "record_secret_counts",
    "record_votes", "recused_members", "reject_application", "resume_candidate", "resume_case",
    "STAGES_OPEN_FOR_CANDIDATES", "suspend_candidate", "suspend_case", "_voting_candidates", "withdraw_candidate",
    "withdraw_case",
]
