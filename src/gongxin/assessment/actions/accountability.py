"""Accountability (问责) and its bar on promotion (R25)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.cases.rules import rule_params
from gongxin.core.errors import Conflict, DomainError
from gongxin.ledger.recording import record_event
from gongxin.people.models import Cadre

from ..models import (
    Accountability,
    AccountabilityKind,
    AccountabilityStatus,
)
from .common import recheck


@transaction.atomic
def open_accountability(*, acting_user, cadre: Cadre, facts: str, opened_on: dt.date | None = None) -> Accountability:
    """Open an accountability case: while it is open the cadre cannot be promoted."""
    facts = (facts or "").strip()
    if not facts:
        raise DomainError("accountability.facts_required", _("请写明问责事实。"))
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise DomainError("accountability.future", _("立案日期不能晚于今天。"))
    case = Accountability.objects.create(cadre=cadre, facts=facts[:4000], opened_on=opened_on)
    record_event(kind="assessment.accountability.opened", subject=case, actor=acting_user,
                 payload={"cadre": cadre.pk, "opened_on": opened_on, "facts": case.facts})
    recheck(acting_user, cadre)
    return case


def _open_case(case: Accountability) -> Accountability:
    case = Accountability.objects.select_for_update().select_related("cadre").get(pk=case.pk)
    if case.status != AccountabilityStatus.OPEN:
        raise Conflict("accountability.closed", _("该问责已%(status)s，不能再改。") % {"status": case.get_status_display()})
    return case


@transaction.atomic
def decide_accountability(*, acting_user, case: Accountability, kind: str, decision: str,
                          decided_on: dt.date | None = None) -> Accountability:
    """Record the decision: the kind sets the months during which promotion is barred, read
    from R25 as in force on the decision date and kept with the case."""
    case = _open_case(case)
    if kind not in AccountabilityKind.values:
        raise DomainError("accountability.kind", _("请选择问责方式。"))
    if not (decision or "").strip():
        raise DomainError("accountability.decision_required", _("请填写决定内容。"))
    decided_on = decided_on or timezone.localdate()
    if decided_on < case.opened_on or decided_on > timezone.localdate():
        raise DomainError("accountability.decided_on", _("决定日期须在立案日期与今天之间。"))
    params = rule_params("R25", variant="accountability", on=decided_on)
    bars = params.get("bar_months", {})
    if kind not in bars:
        raise DomainError("accountability.no_rule", _("规则 R25 中没有“%(kind)s”的影响期，请在规则管理中补充。") % {
            "kind": AccountabilityKind(kind).label})
    case.kind, case.decision, case.decided_on = kind, decision.strip()[:4000], decided_on
    case.bar_months = int(bars[kind])
    case.rule_source = "R25"
    case.status = AccountabilityStatus.DECIDED
    case.save(update_fields=["kind", "decision", "decided_on", "bar_months", "rule_source", "status"])
    record_event(kind="assessment.accountability.decided", subject=case, actor=acting_user,
                 payload={"kind": kind, "decided_on": decided_on, "bar_months": case.bar_months,
                          "decision": case.decision})
    recheck(acting_user, case.cadre)
    return case


@transaction.atomic
def dismiss_accountability(*, acting_user, case: Accountability, reason: str) -> Accountability:
    case = _open_case(case)
    if not (reason or "").strip():
        raise DomainError("reason.required", _("请填写原因。"))
    case.status, case.decision, case.decided_on = AccountabilityStatus.DISMISSED, reason.strip()[:4000], timezone.localdate()
    case.save(update_fields=["status", "decision", "decided_on"])
    record_event(kind="assessment.accountability.dismissed", subject=case, actor=acting_user,
                 payload={"reason": case.decision})
    recheck(acting_user, case.cadre)
    return case
