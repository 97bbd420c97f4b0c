"""The exams app's figures on the statistics dashboard (``dashboard_figures`` hook): people
appointed in the year through an exam channel, each through its case (the candidate's post
held from a day in the year); and recruitment's admissions (录用) in the year, graduates and
veterans, each a registration admitted with the cadre record it made."""

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongxin.cases.dashboard import candidate_records
from gongxin.cases.models import Candidate
from gongxin.workbench.figures import Bar, Cell, FigureSpec, Records, Scope, cadre_cell, labelled

from .models import ExamChannel, Registration


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


def admitted(scope: Scope):
    """Registrations admitted (录用) from a day in the year, in the chosen units (where the
    admitted went)."""
    return Registration.objects.filter(scope.units("admitted_cadre__org_unit"), admitted_on__gte=scope.start,
                                       admitted_on__lte=scope.end, admitted_cadre__isnull=False)


ADMITTED_PARTS = (("graduate", gettext_lazy("高校毕业生")), ("veteran", gettext_lazy("退役士兵")))


def _admitted_bars(scope: Scope) -> list[Bar]:
    row = admitted(scope).aggregate(graduate=Count("pk", filter=Q(is_graduate=True)),
                                    veteran=Count("pk", filter=Q(is_veteran=True)))
    return [Bar(str(label), row[part] or 0, part) for part, label in ADMITTED_PARTS]


def _admitted_row(r) -> list[Cell]:
    return [cadre_cell(r.admitted_cadre), Cell(r.admitted_cadre.org_unit.name), Cell(r.exam.title),
            Cell(f"{r.exam_post.code} {r.exam_post.title}"), Cell(str(r.final_rank or "")), Cell(str(r.admitted_on))]


def _admitted_records(scope: Scope, part: str) -> Records:
    qs = admitted(scope).select_related("admitted_cadre__org_unit", "exam", "exam_post").order_by(
        "admitted_on", "exam_id", "exam_post__code", "final_rank", "pk")
    if part == "graduate":
        qs = qs.filter(is_graduate=True)
    elif part == "veteran":
        qs = qs.filter(is_veteran=True)
    return Records([gettext_lazy("姓名"), gettext_lazy("所在单位"), gettext_lazy("考试"), gettext_lazy("职位"),
                    gettext_lazy("综合名次"), gettext_lazy("录用日期")], qs, _admitted_row)


def figures() -> list[FigureSpec]:
    return [FigureSpec("recruits_admitted", _("经公开招录录用人数"), _admitted_bars, _admitted_records, order=16,
                       note=_("本年度经公开招录考试、按综合成绩排名录用的高校毕业生和退役士兵（录用即建立干部档案）。")),
            FigureSpec("exam_appointments", _("经考试渠道任职人数（按渠道）"), _bars, _records, order=15,
                       note=_("本年度经公开选拔、考试录用、竞争上岗、村干部考录等考试渠道产生人选，并经选任案件任职的人数。"))]
