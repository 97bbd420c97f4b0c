"""Every write of the exam pipeline: atomic, keyword-only ``acting_user``, one ledger event
per state change in the same transaction (STYLE.md). A package by step of the pipeline:
``announcement``, ``registration`` (with screening and appeals), ``scores`` (tickets and
scores), ``rankings`` (and corrections), ``publication`` (and the case), ``admission``
(recruitment's admission of the top of each post). The ranking itself is ranking.py; screening
is screening.py; the score sheet is importing.py. Every name is re-exported here, so
``from gongxin.exams import actions; actions.rank_final(...)`` keeps working."""

from .. import ranking, screening, workflow
from ..models import (  # the names the single module exposed
    AppealStatus,
    Exam,
    ExamChannel,
    ExamPost,
    ExamStatus,
    Outcome,
    Registration,
    RegistrationStatus,
)
from .admission import admission_plan, admit_recruits
from .announcement import announce_exam, publish_exam
from .common import COMPONENTS, ROOM_SIZE, _counts, _locked, _move, clean_weights, refused
from .publication import publish_results, send_to_case
from .rankings import (
    _cut_json,
    _note,
    _rank_final,
    _tie_columns,
    correct_score,
    rank_final,
    rank_written,
)
from .registration import (
    _create_registration,
    _open_for_registration,
    _screen,
    appeal_screening,
    close_registration,
    decide_appeal,
    import_registrations,
    register_cadre,
    register_public,
)
from .scores import (
    UPDATE_BATCH,
    CheckedRows,
    HeldChanged,
    _score_field,
    _write_scores,
    issue_admission_tickets,
    record_checked_scores,
    record_scores,
    scorable,
    scorable_columns,
    scorable_held,
    scores_digest,
    scores_digest_columns,
)

__all__ = [
    "AppealStatus", "Exam", "ExamChannel", "ExamPost", "ExamStatus", "Outcome", "Registration", "RegistrationStatus",
    "COMPONENTS", "ROOM_SIZE", "UPDATE_BATCH", "_counts", "_create_registration", "_cut_json", "_locked", "_move",
    "_note", "_open_for_registration", "_rank_final", "_score_field", "_screen", "_tie_columns", "_write_scores",
    "admission_plan", "admit_recruits", "announce_exam", "appeal_screening", "clean_weights", "close_registration",
    "CheckedRows", "HeldChanged", "correct_score", "decide_appeal", "import_registrations", "issue_admission_tickets",
    "publish_exam", "publish_results", "rank_final", "rank_written", "ranking", "record_checked_scores", "record_scores",
    "refused", "register_cadre", "register_public", "scorable", "scorable_columns", "scorable_held",
    "scores_digest", "scores_digest_columns", "screening", "send_to_case", "workflow",
]
