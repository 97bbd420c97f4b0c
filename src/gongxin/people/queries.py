"""Reads that matter: the cadre list with search, filters, sorting; scoped to the user."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Collate
from django.utils import timezone

from gongxin.accounts.scope import cadre_q, unit_q

from .models import Cadre, CadreStatus, OrgUnit, Post

SORTS = {
    "name": ("name_pinyin", "id"),
    "age": ("birth_date", "id"),          # oldest first
    "unit": ("org_unit__path", "name_pinyin", "id"),
    "rank": ("-rank__level", "name_pinyin", "id"),
    "work": ("work_started", "id"),
}
_PINYIN = re.compile(r"^[a-z]+$")


@dataclass
class CadreFilters:
    q: str = ""
    unit: int | None = None
    rank: str = ""
    age_min: int | None = None
    age_max: int | None = None
    sex: str = ""
    status: str = CadreStatus.ACTIVE
    sort: str = "name"

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in vars(self).items() if v not in ("", None)]
        return "&".join(parts)


def _successor(prefix: str) -> str | None:
    """The smallest lower-case a–z string greater than every string starting with ``prefix``
    ("zw" → "zx", "az" → "b"); None when there is none ("zz")."""
    stripped = prefix.rstrip("z")
    return stripped[:-1] + chr(ord(stripped[-1]) + 1) if stripped else None


def _pinyin_prefix_q(field: str, prefix: str) -> Q:
    """A range on a pinyin key (lower-case letters only, so the order is the same under any
    collation): served by the plain index on SQLite, whose LIKE ignores case and skips it, and
    on PostgreSQL."""
    upper = _successor(prefix)
    q = Q(**{f"{field}__gte": prefix})
    return q & Q(**{f"{field}__lt": upper}) if upper else q


def search_q(text: str) -> Q:
    """The start of the name in Chinese ("张", "张三"), or of its pinyin, full ("zhangsan",
    "zhang") or initials ("zs"). Every form is served by an index, so it stays fast at 200,000."""
    text = text.strip()
    if not text:
        return Q()
    lowered = text.lower().replace(" ", "")
    if _PINYIN.match(lowered):
        return _pinyin_prefix_q("name_initials", lowered) | _pinyin_prefix_q("name_pinyin", lowered)
    if connection.vendor == "sqlite":  # BINARY collation: a code-point range
        return Q(name__gte=text, name__lt=text + "\U0010ffff")
    return Q(name__startswith=text)  # PostgreSQL: LIKE, served by Django's varchar_pattern_ops index


def _birth_bounds(age_min: int | None, age_max: int | None, today: dt.date) -> Q:
    q = Q()
    if age_min is not None:  # at least age_min years old: born on or before today minus age_min years
        q &= Q(birth_date__lte=_years_before(today, age_min))
    if age_max is not None:  # at most age_max: born after today minus (age_max + 1) years
        q &= Q(birth_date__gt=_years_before(today, age_max + 1))
    return q


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def cadres_for_user(user, filters: CadreFilters | None = None) -> QuerySet[Cadre]:
    f = filters or CadreFilters()
    qs = Cadre.objects.filter(cadre_q(user)).select_related("org_unit", "rank")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.q:
        qs = qs.filter(search_q(f.q))
    if f.unit:
        unit = OrgUnit.objects.filter(pk=f.unit).only("path").first()
        qs = qs.filter(org_unit__in=unit.subtree().values("pk")) if unit else qs.none()
    if f.rank:
        qs = qs.filter(rank__code=f.rank)
    if f.sex:
        qs = qs.filter(sex=f.sex)
    if f.age_min is not None or f.age_max is not None:
        qs = qs.filter(_birth_bounds(f.age_min, f.age_max, timezone.localdate()))
    key = f.sort.lstrip("-")
    order = SORTS.get(key, SORTS["name"])
    if f.sort.startswith("-"):
        order = tuple(o[1:] if o.startswith("-") else f"-{o}" for o in order)
    if f.q and connection.vendor == "postgresql":
        # A search matches few rows, but PostgreSQL would walk the whole name_pinyin index in
        # order hoping to meet 50 of them early (1.2 s at 200,000 when they sort last). Ordering
        # by the "C" collation, which that index cannot serve, makes it fetch the matches and
        # sort them (2 ms). Pinyin keys are plain letters: the order is the same.
        order = tuple(_collate_c(o) for o in order)
    return qs.order_by(*order)


def _collate_c(field: str):
    if field.lstrip("-") not in {"name_pinyin", "name_initials"}:
        return field
    expression = Collate(F(field.lstrip("-")), "C")
    return expression.desc() if field.startswith("-") else expression.asc()


def cadre_detail(cadre: Cadre) -> Cadre:
    """The cadre with everything the appointment form shows, in a fixed number of queries."""
    return (
        Cadre.objects.select_related("org_unit", "rank")
        .prefetch_related("resume_entries", "relations__related_cadre", "post_holdings__post__org_unit",
                          "annual_grades")
        .get(pk=cadre.pk)
    )


def unit_tree_for_user(user) -> list[OrgUnit]:
    """Units in scope in tree order, each with its active cadre count (one query)."""
    return list(
        OrgUnit.objects.filter(unit_q(user, "self"))
        .annotate(cadre_count=Count("cadres", filter=Q(cadres__status=CadreStatus.ACTIVE)))
        .order_by("path")
    )


def _in_case_places():
    """Places of a post taken by selection cases still running (issue 11 defect 10): the cases
    app's CasePost rows, reached by their relation name so people imports nothing from it."""
    from django.apps import apps
    from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    CasePost = apps.get_model("cases", "CasePost")
    running = CasePost.objects.filter(post=OuterRef("pk"), case__status__in=["active", "suspended"]).exclude(
        case__stage="closed")
    places = Subquery(running.order_by().values("post").annotate(n=Sum("count")).values("n"),
                      output_field=IntegerField())
    first = Subquery(running.order_by("-case__created_at").values("case_id")[:1], output_field=IntegerField())
    return Coalesce(places, Value(0)), first


def posts_for_user(user, *, unit: int | None = None, vacant_only: bool = False) -> QuerySet[Post]:
    """Posts in scope with ``filled`` (holders now), ``in_case`` (places a running case is
    filling, and ``case_id`` of the newest such case) and ``vacancies`` (neither)."""
    in_case, case_id = _in_case_places()
    qs = (
        Post.objects.filter(unit_q(user, "org_unit"), is_active=True)
        .select_related("org_unit", "rank")
        .annotate(filled=Count("holdings", filter=Q(holdings__end__isnull=True)))
        .annotate(in_case=in_case, case_id=case_id)
        .annotate(vacancies=F("headcount") - F("filled") - F("in_case"))
    )
    if unit:
        parent = OrgUnit.objects.filter(pk=unit).only("path").first()
        qs = qs.filter(org_unit__path__startswith=parent.path) if parent else qs.none()
    if vacant_only:
        qs = qs.filter(vacancies__gt=0)
    return qs.order_by("org_unit__path", "-rank__level", "title")
