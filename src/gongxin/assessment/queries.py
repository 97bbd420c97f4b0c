"""Reads that matter in assessment."""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from gongxin.people.models import Cadre, OrgUnit


def unit_leaders(unit: OrgUnit, *, on: dt.date) -> list[Cadre]:
    """Cadres holding a post in ``unit`` on ``on`` (the people graded with the unit)."""
    return list(Cadre.objects.filter(
        Q(post_holdings__end__isnull=True) | Q(post_holdings__end__gte=on),
        post_holdings__post__org_unit=unit, post_holdings__start__lte=on).distinct().order_by("id"))


def system_rows(year, system) -> tuple[list, list[dict], list[float]]:
    """The units scored with ``system`` in ``year``: (units, their values by code, coefficients,
    public evaluations), in rank order."""
    from .models import UnitResult, UnitScore

    scores = {s.org_unit_id: s for s in UnitScore.objects.filter(year=year, system=system).select_related("org_unit")}
    values: dict[int, dict] = {}
    for unit_id, code, value in (UnitResult.objects.filter(year=year, org_unit_id__in=scores)
                                 .values_list("org_unit_id", "indicator__code", "value")):
        values.setdefault(unit_id, {})[code] = value
    ordered = sorted(scores.values(), key=lambda s: (s.rank, s.org_unit_id))
    return ([s.org_unit for s in ordered], [values.get(s.org_unit_id, {}) for s in ordered],
            [s.coefficient for s in ordered], [s.public_score for s in ordered])


def sensitivity_table(year, system) -> dict:
    """Each unit's base rank and, per scenario (each weight ±10 %, each indicator left out), its
    rank there; ``stable`` tells whether the unit's rank survives every scenario."""
    from . import scoring
    from .actions import core_indicators

    indicators = core_indicators(system)
    units, rows, coefficients, publics = system_rows(year, system)
    if not units:
        return {"units": [], "scenarios": []}
    weight = float(year.public_weight)
    base = scoring.ranks(scoring.totals(indicators, rows, coefficients, publics, public_weight=weight))
    scenarios = scoring.sensitivity(indicators, rows, coefficients, publics, public_weight=weight)
    names = {i.code: i.name for i in indicators}
    table = []
    for n, unit in enumerate(units):
        moved = [s for s in scenarios if s.ranks[n] != base[n]]
        ranks = [base[n], *(s.ranks[n] for s in scenarios)]
        table.append({"unit": unit, "rank": base[n], "ranks": [s.ranks[n] for s in scenarios], "stable": not moved,
                      "best": min(ranks), "worst": max(ranks),
                      "moved": [f"{names[s.indicator]}{KIND_LABEL[s.kind]}" for s in moved]})
    labels = [{"indicator": names[s.indicator], "kind": s.kind} for s in scenarios]
    return {"units": table, "scenarios": labels}


def unit_scenarios(table: dict, unit) -> list[dict]:
    """One unit's rank under each indicator's three scenarios: rows of (indicator, +10 %, −10 %, left out)."""
    row = next((r for r in table["units"] if r["unit"].pk == unit.pk), None)
    if row is None:
        return []
    out: dict[str, dict] = {}
    for label, rank in zip(table["scenarios"], row["ranks"], strict=True):
        out.setdefault(label["indicator"], {"indicator": label["indicator"]})[label["kind"]] = rank
    return list(out.values())


KIND_LABEL = {"up": " +10%", "down": " −10%", "drop": "（去掉）"}


def hard_paths() -> tuple[str, ...]:
    """The tree paths of units marked hard (偏远或困难地区): a post in such a unit or in any unit
    below it (a remote township's offices and villages) is a hard posting."""
    return tuple(OrgUnit.objects.filter(is_remote=True).values_list("path", flat=True))


def hard_days(holdings, *, on: dt.date, paths: tuple[str, ...], skip=None) -> int:
    """Days served before ``on`` in hard postings, from holdings given as dicts with start, end
    and the post's unit path (``path``); ``skip``: a holding id left out (the appointment itself)."""
    days = 0
    for h in holdings:
        if h["pk"] == skip or h["start"] >= on or not h["path"].startswith(paths):
            continue
        stop = min(h["end"] or on, on)
        if stop > h["start"]:
            days += (stop - h["start"]).days
    return days


def holdings_by_cadre(cadre_ids) -> dict[int, list[dict]]:
    from gongxin.people.models import PostHolding

    out: dict[int, list[dict]] = {}
    for h in PostHolding.objects.filter(cadre_id__in=list(cadre_ids)).values(
            "pk", "cadre_id", "start", "end", "post__org_unit__path", "post__org_unit__kind").order_by("start", "pk"):
        h["path"], h["kind"] = h.pop("post__org_unit__path"), h.pop("post__org_unit__kind")
        out.setdefault(h["cadre_id"], []).append(h)
    return out


def in_hard_posting(unit_path_field: str = "post__org_unit__path"):
    """A filter: the row's unit (``unit_path_field``, a unit's path) is marked hard or lies below
    one so marked, in one subquery."""
    from django.db.models import Exists, F, OuterRef
    from django.db.models.lookups import StartsWith

    return Exists(OrgUnit.objects.filter(StartsWith(OuterRef(unit_path_field), F("path")), is_remote=True))


def hard_posting_days(cadre_ids, *, on: dt.date) -> dict[int, int]:
    """Days each cadre served in hard postings (units marked 偏远或困难地区 and the units below
    them), from post holdings: one query."""
    from gongxin.people.models import PostHolding

    out: dict[int, int] = {}
    for cadre_id, start, end in (PostHolding.objects.filter(in_hard_posting(), cadre_id__in=list(cadre_ids),
                                                            start__lte=on)
                                 .values_list("cadre_id", "start", "end")):
        stop = min(end or on, on)
        if stop > start:
            out[cadre_id] = out.get(cadre_id, 0) + (stop - start).days
    return out


def hard_posting_years(cadre_ids, *, on: dt.date) -> dict[int, float]:
    return {k: round(v / 365.25, 1) for k, v in hard_posting_days(cadre_ids, on=on).items()}


def preferred_for_hard_service(cadre_ids, *, on: dt.date, case=None) -> dict[int, float]:
    """Cadres whose years in hard postings reach what R23 (difficulty) counts as long service
    (``hard_posting_years``, from the case's frozen rule set when given), with their years."""
    from gongxin.cases.rules import rule_params
    from gongxin.core.errors import DomainError

    try:
        threshold = rule_params("R23", variant="difficulty", case=case, on=on).get("hard_posting_years")
    except DomainError:  # a rule set frozen before the row existed sets no preference
        return {}
    if not threshold:
        return {}
    return {k: v for k, v in hard_posting_years(cadre_ids, on=on).items() if v >= float(threshold)}


def candidate_notes(candidates) -> dict[int, list[str]]:
    """The cases' candidate lists flag long service in hard postings (difficulty preference):
    one query for the holdings of the whole list, per case's rule set."""
    from django.utils import timezone

    today = timezone.localdate()
    out: dict[int, list[str]] = {}
    by_case: dict[int, list] = {}
    for c in candidates:
        by_case.setdefault(c.case_id, []).append(c)
    for group in by_case.values():
        years = preferred_for_hard_service({c.cadre_id for c in group}, on=today, case=group[0].case)
        for c in group:
            if c.cadre_id in years:
                out[c.pk] = [_("艰苦地区 %(n)s 年（优先使用）") % {"n": years[c.cadre_id]}]
    return out


def missing_daily_records(user, *, since: dt.date):
    """Cadres at deputy-section level and above in the user's scope with no daily record since
    ``since``: whose file has a gap."""
    from django.db.models import Exists, OuterRef

    from gongxin.accounts.scope import cadre_q

    from .models import DailyRecord

    recent = DailyRecord.objects.filter(cadre=OuterRef("pk"), recorded_on__gte=since)
    return (Cadre.objects.filter(cadre_q(user), rank__level__gte=20, rank__is_leadership=True)
            .exclude(Exists(recent)).select_related("org_unit", "rank").order_by("org_unit__path", "name_pinyin"))
