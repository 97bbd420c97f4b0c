"""The cases app's figures on the statistics dashboard (``dashboard_figures`` hook)."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongxin.workbench.figures import Cell, FigureSpec, Records, Scope, cadre_cell, labelled

from .models import Candidate, Channel


def nominated(scope: Scope):
    """Candidates put forward in the year, in cases of the chosen units."""
    return Candidate.objects.filter(scope.units("case__org_unit"), added_at__date__gte=scope.start,
                                    added_at__date__lte=scope.end)


def _nominations(scope: Scope):
    counts = dict(nominated(scope).order_by().values_list("channel").annotate(n=Count("pk")))
    return labelled(counts, Channel)


def candidate_row(c: Candidate) -> list[Cell]:
    return [cadre_cell(c.cadre), Cell(c.cadre.org_unit.name if c.cadre.org_unit_id else ""),
            Cell(c.case.title, reverse("cases:case_detail", args=[c.case_id])),
            Cell(c.get_channel_display(), reverse("cases:candidate_detail", args=[c.pk])),
            Cell(c.get_status_display()), Cell(c.added_at.date().isoformat())]


CANDIDATE_COLUMNS = [gettext_lazy("姓名"), gettext_lazy("所在单位"), gettext_lazy("选任案件"), gettext_lazy("提名渠道"),
                     gettext_lazy("状态"), gettext_lazy("提名日期")]


def candidate_records(candidates, part: str) -> Records:
    """The candidates behind a bar of a by-channel figure (``part`` the channel; "" all)."""
    qs = candidates.select_related("cadre__org_unit", "case").order_by("added_at", "pk")
    if part:
        qs = qs.filter(channel=part)
    return Records(CANDIDATE_COLUMNS, qs, candidate_row)


def _nomination_records(scope: Scope, part: str) -> Records:
    return candidate_records(nominated(scope), part)


def figures() -> list[FigureSpec]:
    return [FigureSpec("nominations", _("提名人数（按提名渠道）"), _nominations, _nomination_records, order=10,
                       note=_("本年度各渠道提名的人选（含后来未通过的）。"))]
