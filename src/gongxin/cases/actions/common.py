"""What every cases action shares: locking a case, the reason text, storing an eligibility
result on a candidate, the checkpoint after commit."""

from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError

from .. import eligibility as core
from ..models import Candidate, Case, CaseStage

STAGES_OPEN_FOR_CANDIDATES = {CaseStage.MOTION, CaseStage.NOMINATION, CaseStage.CANDIDATES}


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason.required", _("请填写原因。"))
    return reason


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("rule_set").get(pk=case.pk)


def _store(candidate: Candidate, results: list[core.RuleResult]) -> dict:
    candidate.eligibility = [r.as_dict() for r in results]
    candidate.eligibility_passed = core.passed(results)
    candidate.eligibility_checked_at = timezone.now()
    return {"passed": candidate.eligibility_passed,
            "failed": [r.item for r in results if r.outcome == core.FAIL],
            "pending": [r.item for r in results if r.outcome == core.PENDING],
            "exception": [r.item for r in results if r.outcome == core.EXCEPTION]}


def _checkpoint_after_commit(reason: str) -> None:
    try:
        from gongxin.ledger.checkpoints import checkpoint_after_commit
    except ImportError:
        return
    checkpoint_after_commit(reason)
