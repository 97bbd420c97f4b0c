"""Reads that matter: the pool list with its filters, the composition table, a cadre's reserve
history, the class roster with attendance, the type-ahead search."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, Q, When
from django.utils import timezone

from gongxin.accounts.scope import cadre_q
from gongxin.people.models import (
    EDUCATION_ORDER,
    Cadre,
    CadreStatus,
    OrgUnit,
    OrgUnitKind,
    PoliticalStatus,
)

from . import composition
from .models import (
    Attendance,
    CompositionTarget,
    ReserveCadre,
    ReserveStatus,
    TraineeStatus,
    TrainingClass,
)
from .permissions import reserve_cadres_for_user

DEGREE_EDUCATIONS = [e for e, i in EDUCATION_ORDER.items() if i >= EDUCATION_ORDER["bachelor"]]
PARTY = [PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY]


def years_ago(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


@dataclass
class PoolFilters:
    tier: int | None = None
    unit: int | None = None
    target_rank: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    sex: str = ""
    education: str = ""
    q: str = ""
    status: str = ReserveStatus.ACTIVE


def pool_for_user(user, filters: PoolFilters | None = None, *, on: dt.date | None = None):
    f = filters or PoolFilters()
    on = on or timezone.localdate()
    qs = reserve_cadres_for_user(user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.tier:
        qs = qs.filter(tier=f.tier)
    if f.unit:
        unit = OrgUnit.objects.filter(pk=f.unit).first()
        qs = qs.filter(cadre__org_unit__in=OrgUnit.objects.filter(path__startswith=unit.path).values("pk")) if unit \
            else qs.none()
    if f.target_rank:
        qs = qs.filter(target_rank_id=f.target_rank)
    if f.age_min is not None:  # at least age_min: born on or before this day
        qs = qs.filter(cadre__birth_date__lte=years_ago(on, f.age_min))
    if f.age_max is not None:  # at most age_max: born after this day
        qs = qs.filter(cadre__birth_date__gt=years_ago(on, f.age_max + 1))
    if f.sex:
        qs = qs.filter(cadre__sex=f.sex)
    if f.education:
        floor = EDUCATION_ORDER.get(f.education, 0)
        qs = qs.filter(cadre__fulltime_education__in=[e for e, i in EDUCATION_ORDER.items() if i >= floor])
    if f.q:
        q = f.q.strip()
        qs = qs.filter(Q(cadre__name__contains=q) | Q(cadre__name_initials__startswith=q.lower())
                       | Q(cadre__name_pinyin__startswith=q.lower()))
    # (tier, id): an index walk, so a page costs the same with 200,000 in the pool; the list
    # is in order of entry within each tier.
    return qs.select_related("cadre__org_unit", "target_rank").order_by("tier", "id")


def unit_category():
    """A cadre's unit category: its unit's kind, or the parent's for an internal section."""
    return Case(When(cadre__org_unit__kind=OrgUnitKind.SECTION, then=F("cadre__org_unit__parent__kind")),
                default=F("cadre__org_unit__kind"), output_field=CharField())


def composition_counts(user=None, *, on: dt.date | None = None):
    """One GROUP BY (tier, unit category) with a conditional count per measure."""
    on = on or timezone.localdate()
    qs = reserve_cadres_for_user(user) if user is not None else ReserveCadre.objects.all()
    return list(qs.filter(status=ReserveStatus.ACTIVE).annotate(unit_kind=unit_category())
                .values("tier", "unit_kind").order_by("tier", "unit_kind").annotate(
                    total=Count("id"),
                    women=Count("id", filter=Q(cadre__sex="F")),
                    non_party=Count("id", filter=~Q(cadre__political_status__in=PARTY)),
                    under_40=Count("id", filter=Q(cadre__birth_date__gt=years_ago(on, 40))),
                    under_35=Count("id", filter=Q(cadre__birth_date__gt=years_ago(on, 35))),
                    fulltime_degree=Count("id", filter=Q(cadre__fulltime_education__in=DEGREE_EDUCATIONS)),
                    ready_soon=Count("id", filter=Q(ready_soon=True))))


def targets() -> dict:
    return {(t.tier, t.unit_kind, t.measure): composition.share(t.min_share) for t in CompositionTarget.objects.all()}


def composition_table(user=None, *, on: dt.date | None = None) -> list[composition.Row]:
    groups = [{**g, "unit_kind": g["unit_kind"] or ""} for g in composition_counts(user, on=on)]
    return composition.table(groups, targets())


def history_for(cadre):
    return (ReserveCadre.objects.filter(cadre=cadre).select_related("target_rank", "source_meeting")
            .prefetch_related("changes").order_by("-entered_on", "-id"))


def graduations_for(cadre):
    from .models import Trainee

    return (Trainee.objects.filter(cadre=cadre).exclude(status=TraineeStatus.WITHDRAWN)
            .select_related("training_class").order_by("training_class__starts_on"))


def class_choices() -> list[tuple[int, str]]:
    """Graduated classes, for the nomination form's evidence (a handful, not hundreds)."""
    return [(c.pk, f"{c.name}（{c.graduated_on:%Y-%m-%d} 结业）")
            for c in TrainingClass.objects.filter(graduated_on__isnull=False).order_by("-graduated_on")]


def roster(user, training_class):
    from .permissions import trainees_for_user

    trainees = list(trainees_for_user(user, training_class).select_related("cadre__org_unit", "reserve")
                    .annotate(n_assignments=Count("assignments")))
    sessions = list(training_class.sessions.all())
    marks = {(a.session_id, a.trainee_id): a.present for a in
             Attendance.objects.filter(session__training_class=training_class)}
    for t in trainees:
        t.marks = [marks.get((s.pk, t.pk)) for s in sessions]
        t.attended = sum(1 for m in t.marks if m)
    return trainees, sessions


def search_cadres(user, q: str, *, limit: int = 12):
    """Type-ahead: active cadres in scope whose name, pinyin or initials start with ``q``."""
    q = (q or "").strip()
    if not q:
        return []
    low = q.lower()
    return list(Cadre.objects.filter(cadre_q(user), status=CadreStatus.ACTIVE)
                .filter(Q(name__startswith=q) | Q(name_initials__startswith=low) | Q(name_pinyin__startswith=low))
                .select_related("org_unit").order_by("name_pinyin", "id")[:limit])
