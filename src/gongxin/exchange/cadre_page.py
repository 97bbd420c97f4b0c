"""The exchange app's part of a cadre's page (people's ``cadre_sections`` hook): download
the appointment form as .docx or PDF, or the cadre's LRMX file."""

from django.template.loader import render_to_string

from gongxin.people.permissions import can_view_cadres


def cadre_sections(request, cadre) -> list[str]:
    if not can_view_cadres(request.user):
        return []
    return [render_to_string("exchange/_cadre_section.html", {"cadre": cadre}, request=request)]
