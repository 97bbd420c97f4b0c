"""Two-way selection as a stable matching (DOMAIN §3.6): the functional core, no Django.

Staff rank the sections they accept, sections rank the staff they accept, each section has a
headcount. ``staff_optimal`` runs staff-proposing deferred acceptance over mutually acceptable
pairs (strategy-proof for staff); ``section_optimal`` runs the section-proposing one. Both
return a ``Result``: the matching, its certificate (no blocking pair, no capacity exceeded,
every pair mutually acceptable: checked afresh from the inputs, not taken from the algorithm)
and, per staff member, a "why not" line for every section they ranked above their result.

``replay_round(inputs)`` recomputes a round from the inputs the ledger holds, and
``verify_round(inputs, outputs)`` lists what does not match: the offline verifier calls them
with the standard library alone.

Identifiers are strings (the ledger's JSON keys); rankings are lists, best first."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

STAFF_OPTIMAL = "staff_optimal"
SECTION_OPTIMAL = "section_optimal"
RULES = (STAFF_OPTIMAL, SECTION_OPTIMAL)

# why-not kinds
FULL = "full"                # the section filled with people it ranked above you
NOT_RANKED = "not_ranked"    # the section did not rank you


def N_(message: str) -> str:
    """Marks a msgid for extraction (makemessages --keyword=N_) without translating here."""
    return message


class InvalidRanking(ValueError):
    """Input refused. ``code`` is stable English; ``template`` the Chinese msgid and ``params``
    its values, so a caller with Django shows ``gettext(template) % params``."""

    def __init__(self, code: str, template: str, **params):
        self.code, self.template, self.params = code, template, params
        super().__init__(template % params if params else template)


def check_ranking(ranking, known, *, owner: str = "", kind: str = "section") -> list[str]:
    """The ranking as a list of strings, or InvalidRanking: a tie (the same entry twice, or
    an entry that is a list of several) or an entry not in ``known``."""
    out = []
    seen = set()
    for position, entry in enumerate(ranking, start=1):
        if isinstance(entry, (list, tuple, set, frozenset)):
            raise InvalidRanking("matching.ranking.tie", N_("第 %(position)d 位并列了多项：排序不能并列，请逐一排定先后。"),
                                 position=position)
        entry = str(entry)
        if entry in seen:
            raise InvalidRanking("matching.ranking.tie", N_("“%(entry)s”在排序中出现了两次（第 %(position)d 位）：排序不能并列，请删去重复的一项。"),
                                 entry=entry, position=position)
        if entry not in known:
            if kind == "section":
                raise InvalidRanking("matching.ranking.unknown_section",
                                     N_("排序中的“%(entry)s”不是本轮双向选择的科室，请从本轮科室中选择。"), entry=entry)
            raise InvalidRanking("matching.ranking.out_of_scope",
                                 N_("排序中的“%(entry)s”不是本轮双向选择的人员，请从本轮人员中选择。"), entry=entry)
        seen.add(entry)
        out.append(entry)
    return out


@dataclass
class Instance:
    staff: dict[str, list[str]]          # staff id -> sections, best first
    sections: dict[str, list[str]]       # section id -> staff, best first
    capacity: dict[str, int]             # section id -> headcount

    @classmethod
    def checked(cls, staff, sections, capacity) -> Instance:
        """Validate everything once (ties, unknown entries, headcounts)."""
        capacity = {str(k): int(v) for k, v in capacity.items()}
        for s, n in capacity.items():
            if n < 0:
                raise InvalidRanking("matching.headcount.negative", N_("科室“%(entry)s”的职数不能为负数。"), entry=s)
        if set(sections) - set(capacity):
            missing = sorted(set(sections) - set(capacity))[0]
            raise InvalidRanking("matching.ranking.unknown_section",
                                 N_("排序中的“%(entry)s”不是本轮双向选择的科室，请从本轮科室中选择。"), entry=missing)
        staff_ids = frozenset(str(k) for k in staff)
        section_ids = frozenset(capacity)
        fast = {}
        for p, ranking in staff.items():
            fast[str(p)] = _checked_fast(ranking, section_ids, "section")
        section_lists = {}
        for s in capacity:
            section_lists[s] = _checked_fast(sections.get(s, ()), staff_ids, "staff")
        return cls(fast, section_lists, capacity)

    def as_inputs(self, rule: str = STAFF_OPTIMAL) -> dict:
        return {"rule": rule, "staff": self.staff,
                "sections": {s: {"headcount": self.capacity[s], "ranking": self.sections.get(s, [])}
                             for s in self.capacity}}

    @classmethod
    def from_inputs(cls, inputs: dict) -> Instance:
        sections = inputs["sections"]
        return cls.checked(inputs["staff"], {s: v["ranking"] for s, v in sections.items()},
                           {s: v["headcount"] for s, v in sections.items()})


def _checked_fast(ranking, known: frozenset, kind):
    ranking = list(ranking)
    try:  # known holds strings only, so this also refuses non-strings; a list entry is unhashable
        if known.issuperset(ranking) and len(set(ranking)) == len(ranking):
            return ranking
    except TypeError:
        pass
    return check_ranking(ranking, known, kind=kind)  # slow path: raises with the first culprit


@dataclass
class Result:
    rule: str
    matching: dict[str, str | None]                  # every staff id -> section id or None
    held: dict[str, list[str]]                       # section id -> its staff, in its order
    certificate: dict = field(default_factory=dict)
    why_not: dict[str, list[tuple]] = field(default_factory=dict)  # staff -> [(section, kind, your_rank, cutoff)]

    @property
    def unmatched(self) -> list[str]:
        return [p for p, s in self.matching.items() if s is None]

    def outputs(self) -> dict:
        """JSON-ready: what the ledger stores beside the inputs."""
        return {"rule": self.rule, "matching": self.matching, "certificate": self.certificate,
                "why_not": {p: [list(line) for line in lines] for p, lines in self.why_not.items() if lines}}


def staff_optimal(inst: Instance, *, certify: bool = True) -> Result:
    """Staff-proposing deferred acceptance with headcounts."""
    section_rank = {s: {p: i for i, p in enumerate(lst)} for s, lst in inst.sections.items()}
    capacity = inst.capacity
    heaps: dict[str, list] = {s: [] for s in capacity}   # max-heap by rank: (-rank, staff)
    nxt = dict.fromkeys(inst.staff, 0)
    staff = inst.staff
    free = list(staff)
    pop, push, replace = free.pop, heapq.heappush, heapq.heapreplace
    while free:
        p = pop()
        prefs = staff[p]
        i = nxt[p]
        n = len(prefs)
        while i < n:
            s = prefs[i]
            i += 1
            r = section_rank[s].get(p)
            if r is None:
                continue
            h = heaps[s]
            if len(h) < capacity[s]:
                push(h, (-r, p))
                break
            if h and -h[0][0] > r:
                free.append(replace(h, (-r, p))[1])
                break
        nxt[p] = i
    matching = dict.fromkeys(staff)
    held = {}
    for s, h in heaps.items():
        ranks = section_rank[s]
        people = sorted((p for _r, p in h), key=ranks.__getitem__)
        held[s] = people
        for p in people:
            matching[p] = s
    result = Result(STAFF_OPTIMAL, matching, held)
    if certify:
        certify_result(inst, result, section_rank)
    return result


def section_optimal(inst: Instance, *, certify: bool = True) -> Result:
    """Section-proposing deferred acceptance: each section offers down its list until its
    headcount is held or its list is spent; each person keeps the best offer."""
    staff_rank = {p: {s: i for i, s in enumerate(lst)} for p, lst in inst.staff.items()}
    holding: dict[str, str] = {}
    nxt = dict.fromkeys(inst.capacity, 0)
    open_slots = dict(inst.capacity)
    queue = [s for s in inst.capacity if open_slots[s] > 0]
    sections = inst.sections
    while queue:
        s = queue.pop()
        lst = sections.get(s, ())
        i = nxt[s]
        while open_slots[s] > 0 and i < len(lst):
            p = lst[i]
            i += 1
            r = staff_rank[p].get(s)
            if r is None:
                continue
            cur = holding.get(p)
            if cur is None:
                holding[p] = s
                open_slots[s] -= 1
            elif staff_rank[p][cur] > r:
                holding[p] = s
                open_slots[s] -= 1
                open_slots[cur] += 1
                queue.append(cur)
        nxt[s] = i
    matching = dict.fromkeys(inst.staff)
    matching.update(holding)
    section_rank = {s: {p: i for i, p in enumerate(lst)} for s, lst in sections.items()}
    held = {s: [] for s in inst.capacity}
    for p, s in holding.items():
        held[s].append(p)
    for s in held:
        held[s].sort(key=section_rank[s].__getitem__)
    result = Result(SECTION_OPTIMAL, matching, held)
    if certify:
        certify_result(inst, result, section_rank)
    return result


def solve(inst: Instance, rule: str = STAFF_OPTIMAL) -> Result:
    if rule not in RULES:
        raise InvalidRanking("matching.rule.unknown", N_("未知的匹配规则“%(entry)s”。"), entry=rule)
    return staff_optimal(inst) if rule == STAFF_OPTIMAL else section_optimal(inst)


def certify_result(inst: Instance, result: Result, section_rank=None) -> dict:
    """Check the matching against the inputs alone and fill ``certificate`` and ``why_not``.

    For each person and each section ranked above their result: either the section did not
    rank them, or it is full of people it ranked above them (its cutoff, the rank of the last
    one it holds, is better than theirs). Anything else is a blocking pair."""
    if section_rank is None:
        section_rank = {s: {p: i for i, p in enumerate(lst)} for s, lst in inst.sections.items()}
    capacity = inst.capacity
    load = dict.fromkeys(capacity, 0)
    cutoff = {}
    unacceptable = []
    unknown = []
    matching = result.matching
    for p, s in matching.items():
        if s is None:
            continue
        if s not in capacity or p not in inst.staff:
            unknown.append([p, s])
            continue
        load[s] += 1
        r = section_rank.get(s, {}).get(p)
        if r is None or s not in inst.staff[p]:
            unacceptable.append([p, s])
            continue
        if r > cutoff.get(s, -1):
            cutoff[s] = r
    over = [[s, load[s], capacity[s]] for s in capacity if load[s] > capacity[s]]
    missing = [p for p in inst.staff if p not in matching]
    blocking = []
    why_not = {}
    for p, prefs in inst.staff.items():
        mine = matching.get(p)
        lines = []
        for s in prefs:
            if s == mine:
                break
            r = section_rank[s].get(p)
            if r is None:
                lines.append((s, NOT_RANKED, None, None))
            elif load[s] >= capacity[s] and cutoff.get(s, -1) < r:
                lines.append((s, FULL, r + 1, cutoff[s] + 1 if s in cutoff else 0))
            else:
                blocking.append([p, s])
        if lines:
            why_not[p] = lines
    result.why_not = why_not
    result.certificate = {
        "stable": not (blocking or over or unacceptable or unknown or missing),
        "blocking_pairs": blocking, "over_capacity": over, "not_mutually_acceptable": unacceptable,
        "unknown": unknown, "missing": missing,
        "matched": len(matching) - sum(1 for s in matching.values() if s is None), "staff": len(inst.staff),
        "headcount": sum(capacity.values()),
    }
    return result.certificate


def why_not_text(section_name: str, kind: str, your_rank, cutoff) -> tuple[str, dict]:
    """(msgid, params) of one why-not line, for ``gettext(msgid) % params``."""
    if kind == NOT_RANKED:
        return N_("科室 %(section)s 未将你列入排序"), {"section": section_name}
    if cutoff:
        return (N_("科室 %(section)s 已满，其排序中你位于第 %(rank)d，录取到第 %(cutoff)d"),
                {"section": section_name, "rank": your_rank, "cutoff": cutoff})
    return N_("科室 %(section)s 没有职数"), {"section": section_name}


def replay_round(inputs: dict) -> dict:
    """Recompute a round from its logged inputs ({"rule", "staff", "sections"}): the outputs
    the ledger should hold. Raises InvalidRanking on inputs the round should have refused."""
    inst = Instance.from_inputs(inputs)
    return solve(inst, inputs.get("rule", STAFF_OPTIMAL)).outputs()


def verify_round(inputs: dict, outputs: dict) -> list[str]:
    """What is wrong with logged outputs, in English for the verifier's report: [] when the
    recomputed matching equals the logged one and the logged matching is stable."""
    problems = []
    try:
        inst = Instance.from_inputs(inputs)
    except InvalidRanking as exc:
        return [f"inputs refused: {exc.code}"]
    expected = solve(inst, inputs.get("rule", STAFF_OPTIMAL))
    logged = {str(p): s for p, s in outputs.get("matching", {}).items()}
    if logged != expected.matching:
        differ = sorted(p for p in set(logged) | set(expected.matching) if logged.get(p) != expected.matching.get(p))
        problems.append(f"matching differs from the recomputation for {len(differ)} staff, e.g. {differ[:3]}")
    check = Result(outputs.get("rule", ""), logged, {})
    cert = certify_result(inst, check)
    if not cert["stable"]:
        problems.append("logged matching is not stable: " + ", ".join(
            f"{k}={len(cert[k])}" for k in ("blocking_pairs", "over_capacity", "not_mutually_acceptable",
                                             "unknown", "missing") if cert[k]))
    if outputs.get("certificate", {}).get("stable") is not True:
        problems.append("logged certificate does not say stable")
    return problems


def differences(a: Result, b: Result) -> list[tuple[str, str | None, str | None]]:
    """People placed differently by two matchings: (staff, in a, in b)."""
    return [(p, a.matching[p], b.matching.get(p)) for p in a.matching if a.matching[p] != b.matching.get(p)]
