"""The publicity app's figures on the statistics dashboard (``dashboard_figures`` hook):
promotions (任职) by the channel through which the person was nominated."""

from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongxin.cases.models import Candidate, Case, Channel
from gongxin.workbench.figures import Bar, Cell, FigureSpec, Records, Scope, cadre_cell, labelled

from .models import Appointment

DIRECT = "direct"  # appointments recorded without a case


def appointed(scope: Scope):
    """Appointments starting in the year in the chosen units, each with the channel of the
    candidacy it ended (none for appointments recorded outside a case)."""
    channel = Candidate.objects.filter(case_id=OuterRef("case_id"), cadre_id=OuterRef("cadre_id")).values("channel")[:1]
    return (Appointment.objects.filter(scope.units("org_unit"), start__gte=scope.start, start__lte=scope.end)
            .annotate(channel=Subquery(channel),
                      case_title=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("title")[:1])))


def _promotions(scope: Scope) -> list[Bar]:
    counts = dict(appointed(scope).order_by().values_list("channel").annotate(n=Count("pk")))
    bars = labelled(counts, Channel)
    if counts.get(None):
        bars.append(Bar(_("未经选任案件"), counts[None], DIRECT))
    return bars


def appointment_row(a: Appointment) -> list[Cell]:
    channel = dict(Channel.choices).get(a.channel, _("未经选任案件"))
    case = Cell(a.case_title or _("案件"), reverse("cases:case_detail", args=[a.case_id])) if a.case_id else Cell("—")
    return [cadre_cell(a.cadre), Cell(a.post.title + "（" + a.org_unit.name + "）", reverse("publicity:appointment", args=[a.pk])),
            Cell(str(channel)), case, Cell(a.start.isoformat()), Cell(a.get_probation_status_display())]


APPOINTMENT_COLUMNS = [gettext_lazy("姓名"), gettext_lazy("任职"), gettext_lazy("提名渠道"), gettext_lazy("选任案件"),
                       gettext_lazy("任职时间"), gettext_lazy("试用期")]


def _promotion_records(scope: Scope, part: str) -> Records:
    qs = appointed(scope).select_related("cadre", "post", "org_unit").order_by("start", "pk")
    if part == DIRECT:
        qs = qs.filter(channel__isnull=True)
    elif part:
        qs = qs.filter(channel=part)
    return Records(APPOINTMENT_COLUMNS, qs, appointment_row)


def figures() -> list[FigureSpec]:
    return [FigureSpec("promotions", _("任用人数（按提名渠道）"), _promotions, _promotion_records, order=20,
                       note=_("本年度任职的干部，按其被提名的渠道；“实绩备案提名”即通过重点工程实绩备案提拔。"))]
