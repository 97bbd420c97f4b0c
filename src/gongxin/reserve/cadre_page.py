"""The reserve's part of a cadre's page (people's ``cadre_sections`` hook: the reserve history
and classes) and of the appointment form (``cadre_form_lines``: the training line)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import queries
from .models import TraineeStatus
from .permissions import can_manage_reserve


def cadre_sections(request, cadre) -> list[str]:
    if not can_manage_reserve(request.user):
        return []
    stays = list(queries.history_for(cadre))
    trainings = list(queries.graduations_for(cadre))
    if not stays and not trainings:
        return []
    return [render_to_string("reserve/_cadre_section.html", {"stays": stays, "trainings": trainings}, request=request)]


def cadre_form_lines(request, cadre) -> list[tuple[str, str]]:
    """(label, text) rows for the appointment form: the classes the cadre graduated from."""
    done = [t for t in queries.graduations_for(cadre) if t.status == TraineeStatus.GRADUATED]
    if not done:
        return []
    text = "；".join(_("%(start)s—%(end)s 参加%(name)s，结业（%(grade)s）") % {
        "start": f"{t.training_class.starts_on:%Y.%m}", "end": f"{t.training_class.ends_on:%Y.%m}",
        "name": t.training_class.name, "grade": t.get_grade_display()} for t in done)
    return [(_("培训情况"), text)]
