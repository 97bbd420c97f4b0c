"""The inspection app's figures on the statistics dashboard (``dashboard_figures`` hook):
inspections and their outcomes, joint-review answers (failed = a problem found), problem files."""

from django.db.models import Case, CharField, Count, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongxin.cases.models import CandidateStatus
from gongxin.workbench.figures import Bar, Cell, FigureSpec, Records, Scope, cadre_cell, labelled

from .models import (
    Inspection,
    InspectionStatus,
    ProblemFile,
    ProblemStatus,
    ReviewAnswer,
    ReviewRequest,
)

# ---- inspections and outcomes ------------------------------------------------------------------

OUTCOMES = [
    ("open", gettext_lazy("考察中")),
    ("signed", gettext_lazy("报告已签发，待决定")),
    ("appointed", gettext_lazy("考察后任用")),
    ("not_passed", gettext_lazy("考察后未通过或退出")),
    ("no_case", gettext_lazy("不属于选任案件（跟踪考察等）")),
]
STOPPED = [CandidateStatus.NOT_PASSED, CandidateStatus.DISQUALIFIED, CandidateStatus.WITHDRAWN]


def inspections(scope: Scope):
    outcome = Case(
        When(status=InspectionStatus.OPEN, then=Value("open")),
        When(candidate__status=CandidateStatus.APPOINTED, then=Value("appointed")),
        When(candidate__status__in=STOPPED, then=Value("not_passed")),
        When(candidate__isnull=True, then=Value("no_case")),
        default=Value("signed"), output_field=CharField())
    return (Inspection.objects.filter(scope.units("cadre__org_unit"), opened_on__gte=scope.start,
                                      opened_on__lte=scope.end).annotate(outcome=outcome))


def _inspections(scope: Scope) -> list[Bar]:
    counts = dict(inspections(scope).order_by().values_list("outcome").annotate(n=Count("pk")))
    return [Bar(str(label), counts.get(key, 0), key) for key, label in OUTCOMES]


def _inspection_row(i: Inspection) -> list[Cell]:
    return [cadre_cell(i.cadre), Cell(i.get_kind_display(), reverse("inspection:inspection_detail", args=[i.pk])),
            Cell(i.opened_on.isoformat()), Cell(i.get_status_display()), Cell(str(dict(OUTCOMES)[i.outcome]))]


def _inspection_records(scope: Scope, part: str) -> Records:
    qs = inspections(scope).select_related("cadre").order_by("opened_on", "pk")
    if part:
        qs = qs.filter(outcome=part)
    return Records([gettext_lazy("考察对象"), gettext_lazy("考察类型"), gettext_lazy("开始日期"), gettext_lazy("状态"),
                    gettext_lazy("结果")], qs, _inspection_row)


# ---- joint review ------------------------------------------------------------------------------

def reviews(scope: Scope):
    return ReviewRequest.objects.filter(scope.units("candidate__cadre__org_unit"), sent_at__date__gte=scope.start,
                                        sent_at__date__lte=scope.end)


def _reviews(scope: Scope) -> list[Bar]:
    return labelled(dict(reviews(scope).order_by().values_list("answer").annotate(n=Count("pk"))), ReviewAnswer)


def _review_row(r: ReviewRequest) -> list[Cell]:
    return [cadre_cell(r.candidate.cadre), Cell(r.department.name),
            Cell(r.candidate.case.title, reverse("inspection:review_candidate", args=[r.candidate_id])),
            Cell(r.deadline.isoformat()), Cell(r.get_answer_display())]


def _review_records(scope: Scope, part: str) -> Records:
    qs = reviews(scope).select_related("candidate__cadre", "candidate__case", "department").order_by("sent_at", "pk")
    if part:
        qs = qs.filter(answer=part)
    return Records([gettext_lazy("人选"), gettext_lazy("联审单位"), gettext_lazy("选任案件"), gettext_lazy("答复期限"),
                    gettext_lazy("答复")], qs, _review_row)


# ---- problem files -----------------------------------------------------------------------------

def problems(scope: Scope):
    return ProblemFile.objects.filter(scope.units("cadre__org_unit"), received_at__date__gte=scope.start,
                                      received_at__date__lte=scope.end)


def _problems(scope: Scope) -> list[Bar]:
    rows = problems(scope).order_by().values_list("status", "finding").annotate(n=Count("pk"))
    counts: dict[str, int] = {}
    for status, finding, n in rows:
        key = f"closed_{finding or 'none'}" if status == ProblemStatus.CLOSED else status
        counts[key] = counts.get(key, 0) + n
    bars = [Bar(str(label), counts.get(value, 0), value) for value, label in ProblemStatus.choices
            if value != ProblemStatus.CLOSED]
    bars += [Bar(_("已办结：属实"), counts.get("closed_substantiated", 0), "closed_substantiated"),
             Bar(_("已办结：不属实"), counts.get("closed_unsubstantiated", 0), "closed_unsubstantiated")]
    if counts.get("closed_none"):
        bars.append(Bar(_("已办结：未作结论"), counts["closed_none"], "closed_none"))
    return bars


def _problem_row(p: ProblemFile) -> list[Cell]:
    return [cadre_cell(p.cadre), Cell(p.get_channel_display()), Cell(p.headline, reverse("inspection:problem_detail", args=[p.pk])),
            Cell(p.received_at.date().isoformat()), Cell(p.get_status_display()), Cell(p.get_finding_display() or "—")]


def _problem_records(scope: Scope, part: str) -> Records:
    qs = problems(scope).select_related("cadre").order_by("received_at", "pk")
    if part.startswith("closed_"):
        finding = part.removeprefix("closed_")
        qs = qs.filter(status=ProblemStatus.CLOSED, finding="" if finding == "none" else finding)
    elif part:
        qs = qs.filter(status=part)
    return Records([gettext_lazy("被反映干部"), gettext_lazy("来源"), gettext_lazy("反映内容"), gettext_lazy("受理日期"),
                    gettext_lazy("状态"), gettext_lazy("核查结论")], qs, _problem_row)


def figures() -> list[FigureSpec]:
    return [
        FigureSpec("inspections", _("考察及结果"), _inspections, _inspection_records, order=60,
                   note=_("本年度开始的考察，按其结果。")),
        FigureSpec("joint_reviews", _("联审答复（“发现问题”即联审未通过）"), _reviews, _review_records, unit=_("件"), order=70,
                   note=_("本年度发出的联审请求，按联审单位的答复。")),
        FigureSpec("problem_files", _("问题档案（按办理状态和结论）"), _problems, _problem_records, unit=_("件"), order=80,
                   note=_("本年度受理的信访举报和反映问题。")),
    ]
