"""Reads that matter in assessment."""

import datetime as dt

from django.db.models import Q

from gongxin.people.models import Cadre, OrgUnit


def unit_leaders(unit: OrgUnit, *, on: dt.date) -> list[Cadre]:
    """Cadres holding a post in ``unit`` on ``on`` (the people graded with the unit)."""
    return list(Cadre.objects.filter(
        Q(post_holdings__end__isnull=True) | Q(post_holdings__end__gte=on),
        post_holdings__post__org_unit=unit, post_holdings__start__lte=on).distinct().order_by("id"))


def system_rows(year, system) -> tuple[list, list[dict], list[float]]:
    """The units scored with ``system`` in ``year``: (units, their values by code, coefficients)."""
    from .models import UnitResult, UnitScore

    scores = {s.org_unit_id: s for s in UnitScore.objects.filter(year=year, system=system).select_related("org_unit")}
    values: dict[int, dict] = {}
    for unit_id, code, value in (UnitResult.objects.filter(year=year, org_unit_id__in=scores)
                                 .values_list("org_unit_id", "indicator__code", "value")):
        values.setdefault(unit_id, {})[code] = value
    ordered = sorted(scores.values(), key=lambda s: (s.rank, s.org_unit_id))
    return ([s.org_unit for s in ordered], [values.get(s.org_unit_id, {}) for s in ordered],
            [s.coefficient for s in ordered])


def sensitivity_table(year, system) -> dict:
    """Each unit's base rank and, per scenario (each weight ±10 %, each indicator left out), its
    rank there; ``stable`` tells whether the unit's rank survives every scenario."""
    from . import scoring
    from .actions import core_indicators

    indicators = core_indicators(system)
    units, rows, coefficients = system_rows(year, system)
    if not units:
        return {"units": [], "scenarios": []}
    base = scoring.ranks([scoring.score(indicators, r, coefficient=c).adjusted
                          for r, c in zip(rows, coefficients, strict=True)])
    scenarios = scoring.sensitivity(indicators, rows, coefficients)
    names = {i.code: i.name for i in indicators}
    table = []
    for n, unit in enumerate(units):
        moved = [s for s in scenarios if s.ranks[n] != base[n]]
        table.append({"unit": unit, "rank": base[n], "ranks": [s.ranks[n] for s in scenarios], "stable": not moved})
    labels = [{"indicator": names[s.indicator], "kind": s.kind} for s in scenarios]
    return {"units": table, "scenarios": labels}
