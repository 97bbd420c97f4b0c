"""Recusal on real data (R19–R20): loads the relations graph around two cadres and the direct
superior–subordinate pairs, then asks the pure core. Used by decision voters here and by the
inspection, joint-review and meeting apps through ``recusals`` / ``must_recuse``."""

from django.db.models import Q
from django.utils.translation import gettext as _

from gongxin.people.models import Cadre, OrgUnitKind, PostHolding, PostKind, Relation

from .recusal_core import KIND_LABEL, Edge, Reason, RelationGraph

__all__ = ["Reason", "recusals", "must_recuse", "reason_text", "load_graph"]


def _edges_touching(ids: set[int]) -> list[Edge]:
    rows = (Relation.objects.filter(related_cadre__isnull=False)
            .filter(Q(cadre_id__in=ids) | Q(related_cadre_id__in=ids))
            .values_list("cadre_id", "related_cadre_id", "kind"))
    return [Edge(a, b, kind) for a, b, kind in rows]


def _superior_pairs(ids: set[int]) -> set[tuple[int, int]]:
    """(superior, subordinate) among ``ids``: the superior holds a current leadership post in the
    subordinate's own unit (or, for someone in an internal section, in the unit the section
    belongs to) at a higher level. Leaders of a parent unit are not *direct* superiors."""
    cadres = {c.pk: c for c in Cadre.objects.filter(pk__in=ids).select_related("org_unit", "rank")}
    holdings = (PostHolding.objects.filter(cadre_id__in=ids, end__isnull=True, post__kind=PostKind.LEADERSHIP)
                .select_related("post__rank"))
    pairs = set()
    for h in holdings:
        for sub in cadres.values():
            if sub.pk == h.cadre_id:
                continue
            units = {sub.org_unit_id}
            if sub.org_unit.kind == OrgUnitKind.SECTION and sub.org_unit.parent_id:
                units.add(sub.org_unit.parent_id)  # a section's people answer to their unit's leaders
            sub_level = sub.rank.level if sub.rank_id else 0
            if h.post.org_unit_id in units and h.post.rank.level > sub_level:
                pairs.add((h.cadre_id, sub.pk))
    return pairs


def load_graph(cadre_ids) -> RelationGraph:
    """Every edge within two hops of the given cadres (paths of up to three edges between them)."""
    ids = set(cadre_ids)
    seen, frontier, edges = set(ids), set(ids), {}
    for _round in range(2):
        found = _edges_touching(frontier)
        for e in found:
            edges[(e.a, e.b, e.kind)] = e
        frontier = {x for e in found for x in (e.a, e.b)} - seen
        seen |= frontier
        if not frontier:
            break
    return RelationGraph(edges.values(), _superior_pairs(ids))


def recusal_options(rule_set=None) -> dict:
    if rule_set is None:
        return {}
    from .rules import params_in

    r19 = params_in(rule_set, "R19")
    r20 = params_in(rule_set, "R20")
    return {"degrees": r19.get("degrees", ["spouse", "lineal", "collateral3", "in_law"]),
            "superior_subordinate": bool(r20.get("superior_subordinate", True))}


def recusals(actor_cadre, candidate_cadre, *, rule_set=None, graph: RelationGraph | None = None) -> list[Reason]:
    """Why ``actor_cadre`` must step aside when acting on ``candidate_cadre`` (empty: need not)."""
    if actor_cadre is None or candidate_cadre is None:
        return []
    a, c = getattr(actor_cadre, "pk", actor_cadre), getattr(candidate_cadre, "pk", candidate_cadre)
    graph = graph or load_graph({a, c})
    return graph.recusals(a, c, **recusal_options(rule_set))


def reason_text(reason: Reason) -> str:
    path = " → ".join(_(KIND_LABEL.get(k, k)) for k in reason.path)
    return _(reason.message) % {"path": path} if "%(path)s" in reason.message else _(reason.message)


def must_recuse(person_cadre, candidate_cadre, *, rule_set=None) -> str | None:
    """The Chinese reason ``person_cadre`` must step aside, or None."""
    reasons = recusals(person_cadre, candidate_cadre, rule_set=rule_set)
    return "；".join(reason_text(r) for r in reasons) or None
