"""Eligibility facts from assessment (``gongxin.cases.facts.register_facts_provider``): each
decided accountability with the bar it carries (R25), and each open one, which blocks
promotion until it is decided."""

from django.utils.translation import gettext as _

from gongxin.cases.eligibility import Sanction

from .models import Accountability, AccountabilityStatus


def accountability_facts(cadre, on=None) -> dict:
    sanctions = []
    for a in Accountability.objects.filter(cadre=cadre).exclude(status=AccountabilityStatus.DISMISSED):
        if on is not None and a.opened_on > on:
            continue
        if a.status == AccountabilityStatus.OPEN:
            sanctions.append(Sanction(kind="accountability", imposed_on=a.opened_on, label=_("问责"), pending=True))
        elif a.decided_on and a.bar_months:
            sanctions.append(Sanction(kind=a.kind, imposed_on=a.decided_on, label=a.get_kind_display(),
                                      months=a.bar_months))
    return {"sanctions": tuple(sanctions)} if sanctions else {}
