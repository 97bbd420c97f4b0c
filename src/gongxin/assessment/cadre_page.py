"""The assessment app's part of a cadre's page (people's ``cadre_sections`` hook): annual grades
decided here, the daily assessment file, and accountability, for those who manage assessment."""

from django.template.loader import render_to_string
from django.utils import timezone

from . import forms, queries
from .models import Accountability, DailyRecord, GradeDecision
from .permissions import can_manage_assessment


def cadre_sections(request, cadre) -> list[str]:
    if not can_manage_assessment(request.user):
        return []
    context = {
        "cadre": cadre,
        "records": DailyRecord.objects.filter(cadre=cadre).select_related("recorded_by")[:50],
        "cases": Accountability.objects.filter(cadre=cadre),
        "grades": GradeDecision.objects.filter(cadre=cadre).exclude(decided="").select_related("year", "org_unit"),
        "hard_years": queries.hard_posting_years([cadre.pk], on=timezone.localdate()).get(cadre.pk),
        "record_form": forms.DailyRecordForm(), "open_form": forms.AccountabilityOpenForm(),
    }
    return [render_to_string("assessment/_cadre_section.html", context, request=request)]
