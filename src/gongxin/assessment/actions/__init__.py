"""Every write in assessment, by sub-domain. Each action is atomic, keyword-only with the acting
user, and records one ledger event per state change. ``from gongxin.assessment.actions import X``
works for every action, as before the package."""

from .accountability import decide_accountability, dismiss_accountability, open_accountability
from .common import SCORED_CATEGORIES, core_indicators, lock_open_year, recheck, refuse, system_for
from .daily import add_daily_record
from .grades import decide_grades, excellent_cap, propose_grades
from .scores import (
    compute_scores,
    difficulty_coefficient,
    import_unit_results,
    record_public_scores,
    record_unit_results,
)
from .systems import ahp_weights, create_indicator_system
from .years import close_year, open_year

__all__ = [
    "SCORED_CATEGORIES", "add_daily_record", "ahp_weights", "close_year", "compute_scores", "core_indicators",
    "create_indicator_system", "decide_accountability", "decide_grades", "difficulty_coefficient",
    "dismiss_accountability", "excellent_cap", "import_unit_results", "lock_open_year", "open_accountability",
    "open_year", "propose_grades", "recheck", "record_public_scores", "record_unit_results", "refuse", "system_for",
]
