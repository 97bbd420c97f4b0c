"""The reserve's figures on the statistics dashboard (``dashboard_figures`` hook): the pool by
tier at the year's end, and trained → nominated → appointed for the year's training classes."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongxin.cases.models import Candidate, CandidateStatus
from gongxin.workbench.figures import Bar, Cell, FigureSpec, Records, Scope, cadre_cell, labelled

from .models import ReserveCadre, Tier, Trainee, TraineeStatus


def in_pool(scope: Scope):
    """Stays in the pool on the year's last day (or today, for the current year)."""
    from django.utils import timezone

    on = min(scope.end, timezone.localdate())
    return ReserveCadre.objects.filter(scope.units("cadre__org_unit"), entered_on__lte=on).filter(
        Q(exited_on__isnull=True) | Q(exited_on__gt=on))


def _pool(scope: Scope) -> list[Bar]:
    counts = dict(in_pool(scope).order_by().values_list("tier").annotate(n=Count("pk")))
    return labelled(counts, Tier)


def _pool_row(r: ReserveCadre) -> list[Cell]:
    return [cadre_cell(r.cadre), Cell(r.cadre.org_unit.name if r.cadre.org_unit_id else ""),
            Cell(r.get_tier_display(), reverse("reserve:detail", args=[r.pk])), Cell(r.target_rank.name),
            Cell(r.get_source_display()), Cell(r.entered_on.isoformat())]


def _pool_records(scope: Scope, part: str) -> Records:
    qs = in_pool(scope).select_related("cadre__org_unit", "target_rank").order_by("tier", "entered_on", "pk")
    if part:
        qs = qs.filter(tier=int(part)) if part.isdigit() else qs.none()
    return Records([gettext_lazy("姓名"), gettext_lazy("所在单位"), gettext_lazy("层次"), gettext_lazy("拟培养职级"),
                    gettext_lazy("推荐来源"), gettext_lazy("入库日期")], qs, _pool_row)


TRAINED, NOMINATED, APPOINTED = "trained", "nominated", "appointed"


def trained(scope: Scope):
    """Trainees of classes that started in the year, nominated (a candidacy added after they
    enrolled) and appointed (such a candidacy ended in appointment)."""
    later = Candidate.objects.filter(cadre_id=OuterRef("cadre_id"), added_at__date__gte=OuterRef("enrolled_on"))
    return (Trainee.objects.filter(scope.units("cadre__org_unit"), training_class__starts_on__gte=scope.start,
                                   training_class__starts_on__lte=scope.end)
            .exclude(status=TraineeStatus.WITHDRAWN)
            .annotate(nominated=Exists(later), appointed=Exists(later.filter(status=CandidateStatus.APPOINTED))))


def _funnel(scope: Scope) -> list[Bar]:
    figures = trained(scope).order_by().aggregate(
        n=Count("pk"), nominated_n=Count("pk", filter=Q(nominated=True)), appointed_n=Count("pk", filter=Q(appointed=True)))
    return [Bar(_("参加中青班"), figures["n"], TRAINED), Bar(_("其后被提名"), figures["nominated_n"], NOMINATED),
            Bar(_("其后被任用"), figures["appointed_n"], APPOINTED)]


def _trainee_row(t: Trainee) -> list[Cell]:
    return [cadre_cell(t.cadre), Cell(t.training_class.name, reverse("reserve:trainee_detail", args=[t.pk])),
            Cell(t.get_status_display()), Cell(_("是") if t.nominated else _("否")), Cell(_("是") if t.appointed else _("否"))]


def _trainee_records(scope: Scope, part: str) -> Records:
    qs = trained(scope).select_related("cadre", "training_class").order_by("training_class__starts_on", "pk")
    if part == NOMINATED:
        qs = qs.filter(nominated=True)
    elif part == APPOINTED:
        qs = qs.filter(appointed=True)
    return Records([gettext_lazy("姓名"), gettext_lazy("班次"), gettext_lazy("学习状态"), gettext_lazy("其后被提名"),
                    gettext_lazy("其后被任用")], qs, _trainee_row)


def figures() -> list[FigureSpec]:
    return [
        FigureSpec("reserve_pool", _("后备干部（按层次）"), _pool, _pool_records, order=40,
                   note=_("年末（本年度为今天）在库的后备干部。")),
        FigureSpec("trained_nominated", _("中青班学员：培训 → 提名 → 任用"), _funnel, _trainee_records, order=50,
                   chart="funnel", note=_("本年度开班的中青班学员中，其后被提名、被任用的人数。")),
    ]
