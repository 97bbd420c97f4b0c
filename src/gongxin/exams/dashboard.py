"""The exams app's figure on the statistics dashboard (``dashboard_figures`` hook): people
appointed in the year through an exam channel, each through its case (the candidate's post
held from a day in the year)."""

from django.db.models import Count, F
from django.utils.translation import gettext as _

from gongxin.cases.dashboard import candidate_records
from gongxin.cases.models import Candidate
from gongxin.workbench.figures import FigureSpec, Records, Scope, labelled

from .models import ExamChannel


def appointed(scope: Scope):
    """Candidates of the exam channels appointed to their post from a day in the year, in
    cases of the chosen units."""
    return (Candidate.objects.filter(scope.units("case__org_unit"), status="appointed",
                                     channel__in=ExamChannel.values, cadre__post_holdings__post=F("post"),
                                     cadre__post_holdings__start__gte=scope.start,
                                     cadre__post_holdings__start__lte=scope.end)
            .distinct())


def _bars(scope: Scope):
    counts = dict(appointed(scope).order_by().values_list("channel").annotate(n=Count("pk", distinct=True)))
    return labelled(counts, ExamChannel)


def _records(scope: Scope, part: str) -> Records:
    return candidate_records(appointed(scope), part)


def figures() -> list[FigureSpec]:
    return [FigureSpec("exam_appointments", _("经考试渠道任职人数（按渠道）"), _bars, _records, order=15,
                       note=_("本年度经公开选拔、考试录用、竞争上岗、村干部考录等考试渠道产生人选，并经选任案件任职的人数。"))]
