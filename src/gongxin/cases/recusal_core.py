"""Recusal (R19–R20), pure: who must step aside when acting on a candidate, and why.

Input is a relations graph over cadre ids: each ``Edge(a, b, kind)`` says "a lists b as their
<kind>" (kind = people.models.RelationKind values), plus ``superiors``, the set of
(superior id, subordinate id) pairs in direct superior–subordinate posts. Relations compose
along paths of up to three edges, so a spouse's sibling or a father's brother's son is found
even when nobody recorded that relation directly. Imports nothing from Django."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


def N_(message: str) -> str:
    return message


# Blood kinds as (generations up to the common ancestor, generations down from it).
BLOOD = {
    "father": (1, 0), "mother": (1, 0), "son": (0, 1), "daughter": (0, 1),
    "brother": (1, 1), "sister": (1, 1), "grandparent": (2, 0), "grandchild": (0, 2),
    "uncle_aunt": (2, 1), "cousin": (2, 2), "nephew_niece": (1, 2),
}
IN_LAW_KINDS = {"parent_in_law", "sibling_in_law", "child_in_law", "sibling_spouse"}
KIND_LABEL = {
    "spouse": "配偶", "father": "父亲", "mother": "母亲", "son": "儿子", "daughter": "女儿", "brother": "兄弟",
    "sister": "姐妹", "grandparent": "祖父母/外祖父母", "grandchild": "孙子女/外孙子女", "uncle_aunt": "伯叔姑舅姨",
    "cousin": "堂/表兄弟姐妹", "nephew_niece": "侄子女/甥子女", "parent_in_law": "配偶父母",
    "sibling_in_law": "配偶的兄弟姐妹", "child_in_law": "子女配偶", "sibling_spouse": "兄弟姐妹的配偶",
}
DEGREE_MESSAGE = {
    "self": N_("本人即为该人选"),
    "spouse": N_("与该人选是夫妻关系"),
    "lineal": N_("与该人选有直系血亲关系（%(path)s）"),
    "collateral3": N_("与该人选有三代以内旁系血亲关系（%(path)s）"),
    "in_law": N_("与该人选有近姻亲关系（%(path)s）"),
    "superior": N_("是该人选的直接上级"),
    "subordinate": N_("是该人选的直接下级"),
}
ALL_DEGREES = ("spouse", "lineal", "collateral3", "in_law")
MAX_EDGES = 3


@dataclass(frozen=True)
class Edge:
    a: int
    b: int
    kind: str


@dataclass(frozen=True)
class Reason:
    code: str           # self, spouse, lineal, collateral3, in_law, superior, subordinate
    message: str        # Chinese msgid
    path: tuple = ()    # kinds along the path, as seen from the acting person

    @property
    def text(self) -> str:
        return self.message % {"path": " → ".join(KIND_LABEL.get(k, k) for k in self.path)}


def _step(kind: str, reverse: bool):
    """A relation kind as a state fragment, from a's side (or b's when reversed)."""
    if kind == "spouse":
        return ("spouse",)
    if kind in IN_LAW_KINDS:
        return ("in_law",)
    if kind in BLOOD:
        up, down = BLOOD[kind]
        return ("blood", down, up) if reverse else ("blood", up, down)
    return None


def _compose_blood(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    u1, d1 = a
    u2, d2 = b
    if d1 == 0:
        return u1 + u2, d2
    if u2 == 0:
        return u1, d1 + d2
    k = min(d1, u2)
    return u1 + u2 - k, d1 + d2 - k


def _extend(state, step):
    """The relation after following one more edge, or None when it is too distant to matter."""
    if state is None:
        return step
    s, t = state[0], step[0]
    if s == "blood" and t == "blood":
        return ("blood", *_compose_blood(state[1:], step[1:]))
    if s == "blood" and t == "spouse":
        return ("blood+spouse", *state[1:])
    if s == "spouse" and t == "blood":
        return ("spouse+blood", *step[1:])
    if s == "spouse+blood" and t == "blood":
        return ("spouse+blood", *_compose_blood(state[1:], step[1:]))
    if s == "spouse+blood" and t == "spouse" and state[1:] == (1, 1):
        return ("in_law",)  # spouse's sibling's spouse
    if s == "blood+spouse" and t == "blood" and state[1:] == (0, 1) and step[1:] == (1, 0):
        return ("in_law",)  # child's spouse's parent
    return None


def classify(state) -> str | None:
    if state is None:
        return None
    kind = state[0]
    if kind in ("spouse", "in_law"):
        return kind
    up, down = state[1], state[2]
    if kind == "blood":
        if up == down == 0:
            return None
        if up == 0 or down == 0:
            return "lineal"
        return "collateral3" if max(up, down) <= 2 else None
    if kind in ("spouse+blood", "blood+spouse"):
        # 近姻亲: a spouse's parents, children and close collaterals, and the spouses of one's
        # own children, parents and collaterals within three generations (both directions).
        if (up, down) in {(1, 0), (0, 1)} or (up > 0 and down > 0 and max(up, down) <= 2):
            return "in_law"
    return None


class RelationGraph:
    def __init__(self, edges: Iterable[Edge] = (), superiors: Iterable[tuple[int, int]] = ()):
        self.adj: dict[int, list[tuple[int, tuple, str]]] = defaultdict(list)
        for e in edges:
            if e.a == e.b:
                continue
            forward, backward = _step(e.kind, False), _step(e.kind, True)
            if forward is None:
                continue
            self.adj[e.a].append((e.b, forward, e.kind))
            self.adj[e.b].append((e.a, backward, _reverse_kind(e.kind)))
        self.superiors = set(superiors)

    def kinship(self, person: int, candidate: int) -> list[Reason]:
        found: dict[str, Reason] = {}
        stack = [(person, None, (), frozenset([person]))]
        while stack:
            node, state, path, seen = stack.pop()
            if len(path) >= MAX_EDGES:
                continue
            for nxt, step, kind in self.adj.get(node, ()):
                if nxt in seen:
                    continue
                new = _extend(state, step)
                if new is None:
                    continue
                new_path = (*path, kind)
                if nxt == candidate:
                    degree = classify(new)
                    if degree and (degree not in found or len(new_path) < len(found[degree].path)):
                        found[degree] = Reason(degree, DEGREE_MESSAGE[degree], new_path)
                    continue
                stack.append((nxt, new, new_path, seen | {nxt}))
        return [found[d] for d in ALL_DEGREES if d in found]

    def recusals(self, person: int, candidate: int, *, degrees: Iterable[str] = ALL_DEGREES,
                 superior_subordinate: bool = True) -> list[Reason]:
        if person == candidate:
            return [Reason("self", DEGREE_MESSAGE["self"])]
        wanted = set(degrees)
        reasons = [r for r in self.kinship(person, candidate) if r.code in wanted]
        if superior_subordinate:
            if (person, candidate) in self.superiors:
                reasons.append(Reason("superior", DEGREE_MESSAGE["superior"]))
            if (candidate, person) in self.superiors:
                reasons.append(Reason("subordinate", DEGREE_MESSAGE["subordinate"]))
        return reasons


_REVERSE = {"father": "son", "mother": "son", "son": "father", "daughter": "father", "grandparent": "grandchild",
            "grandchild": "grandparent", "uncle_aunt": "nephew_niece", "nephew_niece": "uncle_aunt",
            "parent_in_law": "child_in_law", "child_in_law": "parent_in_law", "sibling_in_law": "sibling_spouse",
            "sibling_spouse": "sibling_in_law"}


def _reverse_kind(kind: str) -> str:
    return _REVERSE.get(kind, kind)


def recusals(person: int, candidate: int, edges: Iterable[Edge], superiors: Iterable[tuple[int, int]] = (),
             **options) -> list[Reason]:
    return RelationGraph(edges, superiors).recusals(person, candidate, **options)


def who_must_recuse(people: Iterable[int], candidate: int, edges: Iterable[Edge],
                    superiors: Iterable[tuple[int, int]] = (), **options) -> dict[int, list[Reason]]:
    graph = RelationGraph(edges, superiors)
    out = {}
    for p in people:
        reasons = graph.recusals(p, candidate, **options)
        if reasons:
            out[p] = reasons
    return out
