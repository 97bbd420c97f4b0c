"""Eligibility facts from assessment (``gongxin.cases.facts.register_facts_provider``): each
decided accountability with the bar it carries (R25), and each open one, which blocks
promotion until it is decided. ``accountability_facts_bulk`` reads a batch of cadres in one
query; the per-cadre form is the batch form over one cadre."""

from django.utils.translation import gettext as _

from gongxin.cases.eligibility import Sanction
from gongxin.cases.facts import Batch

from .models import Accountability, AccountabilityKind, AccountabilityStatus

KINDS = dict(AccountabilityKind.choices)


def accountability_facts(cadre, on=None) -> dict:
    return accountability_facts_bulk(Batch([cadre.pk]), on).get(cadre.pk, {})


def accountability_facts_bulk(batch: Batch, on=None) -> dict[int, dict]:
    sanctions: dict[int, list] = {}
    rows = (Accountability.objects.filter(batch.q("cadre_id")).exclude(status=AccountabilityStatus.DISMISSED)
            .order_by("cadre_id", "-opened_on", "-id")
            .values_list("cadre_id", "status", "opened_on", "decided_on", "kind", "bar_months"))
    for cadre_id, status, opened_on, decided_on, kind, bar_months in rows:
        if on is not None and opened_on > on:
            continue
        if status == AccountabilityStatus.OPEN:
            sanction = Sanction(kind="accountability", imposed_on=opened_on, label=_("问责"), pending=True)
        elif decided_on and bar_months:
            sanction = Sanction(kind=kind, imposed_on=decided_on, label=str(KINDS.get(kind, kind)), months=bar_months)
        else:
            continue
        sanctions.setdefault(cadre_id, []).append(sanction)
    return {cadre_id: {"sanctions": tuple(items)} for cadre_id, items in sanctions.items()}
