"""The matching app's part of a cadre's page (people's ``cadre_sections`` hook): the two-way
selections the cadre took part in, with the committee's assignment or standby decision. Shown
to those who run two-way selections (the page itself is already fetched with data scope) and to
the cadre on their own page."""

from django.template.loader import render_to_string

from .models import RoundStaff
from .permissions import can_manage_matching


def cadre_sections(request, cadre) -> list[str]:
    user = request.user
    if not (can_manage_matching(user) or (user.is_authenticated and user.cadre_id == cadre.pk)):
        return []
    entries = list(RoundStaff.objects.filter(cadre=cadre).select_related("round", "round__org_unit", "section__section")
                   .order_by("-round__created_at"))
    if not entries:
        return []
    return [render_to_string("matching/_cadre_section.html", {"entries": entries}, request=request)]
