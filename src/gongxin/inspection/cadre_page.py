"""The inspection app's part of a cadre's page (people's ``cadre_sections`` hook): the
cadre's inspections, performance records and problem files, for the users who may see them.
Not printed: the page prints as the appointment form."""

from django.template.loader import render_to_string

from .models import Inspection, PerformanceRecord, ProblemFile
from .permissions import can_manage_inspection, can_manage_problems


def cadre_sections(request, cadre) -> list[str]:
    user = request.user
    inspection, problems = can_manage_inspection(user), can_manage_problems(user)
    if not (inspection or problems):
        return []
    context = {
        "cadre": cadre,
        "inspections": (Inspection.objects.filter(cadre=cadre).order_by("-opened_on", "-id")
                        if inspection else None),
        "performance": (PerformanceRecord.objects.filter(cadre=cadre).select_related("project")
                        .order_by("-recorded_on", "-id") if inspection else None),
        "problems": ProblemFile.objects.filter(cadre=cadre).order_by("-received_at", "-id") if problems else None,
    }
    return [render_to_string("inspection/_cadre_section.html", context, request=request)]
