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

import contextlib
import functools
import gc
import heapq
import sys
from dataclasses import dataclass, field
from itertools import chain
from operator import eq

STAFF_OPTIMAL = "staff_optimal"
SECTION_OPTIMAL = "section_optimal"
RULES = (STAFF_OPTIMAL, SECTION_OPTIMAL)

# why-not kinds
FULL = "full"                # the section filled with people it ranked above you
NOT_RANKED = "not_ranked"    # the section did not rank you


def N_(message: str) -> str:
    """Marks a msgid for extraction (makemessages --keyword=N_) without translating here."""
    return message


@contextlib.contextmanager
def collector_paused():
    """The cyclic garbage collector paused: the matching allocates hundreds of thousands of
    small lists and tuples and no reference cycles, and the collector's repeated passes over
    them cost about a tenth of the run at 50,000 staff. Reference counting still frees
    everything; the collector is switched back on (if it was on) however the block ends. Held
    around several steps (the check and both matchings of a round), it also spares the pass the
    collector would make, once switched back on between them, over all the step before built."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _gc_paused(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with collector_paused():
            return fn(*args, **kwargs)
    return wrapper


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
    # section id -> {staff id: position in its list}: built by ``checked`` as it checks the
    # sections' lists (the same dicts tell a repeated entry), else on first use
    _ranks: dict | None = field(default=None, repr=False, compare=False)

    @property
    def section_ranks(self) -> dict[str, dict[str, int]]:
        if self._ranks is None:
            self._ranks = _section_ranks(self.sections)
        return self._ranks

    @classmethod
    @_gc_paused
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
        staff_lists = _checked_lists(staff, frozenset(capacity), "section")
        section_lists, ranks = _checked_lists({s: sections.get(s, ()) for s in capacity}, frozenset(staff_lists),
                                              "staff", with_ranks=True)
        return cls(staff_lists, section_lists, capacity, ranks)

    def as_inputs(self, rule: str = STAFF_OPTIMAL) -> dict:
        return {"rule": rule, "staff": self.staff,
                "sections": {s: {"headcount": self.capacity[s], "ranking": self.sections.get(s, [])}
                             for s in self.capacity}}

    @classmethod
    def from_inputs(cls, inputs: dict) -> Instance:
        sections = inputs["sections"]
        return cls.checked(inputs["staff"], {s: v["ranking"] for s, v in sections.items()},
                           {s: v["headcount"] for s, v in sections.items()})


def _checked_lists(lists: dict, known: frozenset, kind: str, *, with_ranks: bool = False):
    """Every ranking in ``lists`` (a staff member's sections, or a section's staff: ``known``
    holds the ids allowed in them) as a list of strings, checked at C speed in bulk: all
    entries known (``known`` holds strings only, so this also refuses non-strings) and no
    entry twice. Only when that fails is each ranking gone through to name the culprit.
    ``with_ranks``: also each list's {entry: position} (the dicts that tell a repeat), as
    ``(lists, ranks)``."""
    keys = list(map(str, lists))
    rankings = []
    values = map(list, lists.values())
    try:  # a list entry (several in one place) is unhashable: TypeError
        if with_ranks:   # list by list while its entries are in the cache; positions share ints
            positions, ranks = list(range(max(map(len, lists.values()), default=0))), []
            for r in values:
                rankings.append(r)
                d = dict(zip(r, positions, strict=False))
                if len(d) != len(r) or not known.issuperset(d):
                    break
                ranks.append(d)
            else:
                return dict(zip(keys, rankings, strict=True)), dict(zip(keys, ranks, strict=True))
        else:
            rankings = list(values)
            if known.issuperset(chain.from_iterable(rankings)) and all(map(eq, map(len, map(set, rankings)), map(len, rankings))):
                return dict(zip(keys, rankings, strict=True))
    except TypeError:
        pass
    rankings.extend(values)   # those not reached
    checked = {k: check_ranking(r, known, kind=kind) for k, r in zip(keys, rankings, strict=True)}
    return (checked, _section_ranks(checked)) if with_ranks else checked


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


def _section_ranks(sections) -> dict[str, dict[str, int]]:
    """section -> {staff: position in its list}, built at C speed."""
    return {s: dict(zip(lst, range(len(lst)), strict=True)) for s, lst in sections.items()}


@_gc_paused
def staff_optimal(inst: Instance, *, certify: bool = True) -> Result:
    """Staff-proposing deferred acceptance with headcounts, as rejection chains (McVitie and
    Wilson): each person in turn proposes down their list; a section holds the people it ranks
    best as a max-heap of their ranks (stored negated), pre-filled with ``headcount`` empty
    seats whose rank is the end of its list, so every proposal is one comparison with the
    worst held rank; the person displaced (if any) carries on down their own list. The
    staff-optimal matching does not depend on the order of proposals."""
    sections, section_rank = inst.sections, inst.section_ranks
    # an empty seat has rank len(list) (``empty``); no headcount: one unbeatable seat (rank -1).
    # Per section one tuple: heap, ranks' lookup, its list (rank -> person) and, by rank, each
    # held person's iterator over their own list (displaced, they resume where they stopped)
    seats = {}
    for s, cap in inst.capacity.items():
        lst = sections.get(s, ())
        seats[s] = ([-len(lst)] * cap if cap > 0 else [1], section_rank[s].get, lst, len(lst), [None] * len(lst))
    staff, replace, UNRANKED = inst.staff, heapq.heapreplace, sys.maxsize
    for p in staff:
        q = p
        it = iter(staff[p])
        while True:
            for s in it:
                h, rank_of, roster, empty, resume = seats[s]
                r = rank_of(q, UNRANKED)   # UNRANKED beats nobody
                if r < -h[0]:
                    resume[r] = it
                    x = -replace(h, -r)
                    break
            else:   # list spent: q stays unmatched
                break
            if x == empty:   # an empty seat was taken: nobody displaced
                break
            q = roster[x]
            it = resume[x]
    matching, held = dict.fromkeys(staff), {}
    for s, (h, _rank_of, roster, empty, _resume) in seats.items():
        people = [roster[-x] for x in sorted(h, reverse=True) if -x != empty] if h[0] <= 0 else []
        held[s] = people
        for p in people:
            matching[p] = s
    result = Result(STAFF_OPTIMAL, matching, held)
    if certify:
        certify_result(inst, result)
    return result


@_gc_paused
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
    section_rank = inst.section_ranks
    held = {s: [] for s in inst.capacity}
    for p, s in holding.items():
        held[s].append(p)
    for s in held:
        held[s].sort(key=section_rank[s].__getitem__)
    result = Result(SECTION_OPTIMAL, matching, held)
    if certify:
        certify_result(inst, result)
    return result


def solve(inst: Instance, rule: str = STAFF_OPTIMAL) -> Result:
    if rule not in RULES:
        raise InvalidRanking("matching.rule.unknown", N_("未知的匹配规则“%(entry)s”。"), entry=rule)
    return staff_optimal(inst) if rule == STAFF_OPTIMAL else section_optimal(inst)


@_gc_paused
def certify_result(inst: Instance, result: Result, section_rank=None) -> dict:
    """Check the matching against the inputs alone and fill ``certificate`` and ``why_not``.

    One pass over the matching gives each section's load and cutoff (the rank of the last one
    it holds); one pass over the staff lists then looks at every section a person ranked above
    their result: either it did not rank them, or it is full of people it ranked above them
    (its cutoff is better than their rank). Anything else is a blocking pair."""
    if section_rank is None:
        section_rank = inst.section_ranks
    capacity = inst.capacity
    staff = inst.staff
    load, cutoff = dict.fromkeys(capacity, 0), dict.fromkeys(capacity, -1)
    unacceptable, unknown = [], []
    matching = result.matching
    upto = {}   # a matched person -> the position of their section in their own list
    for p, s in matching.items():
        if s is None:
            continue
        if s not in capacity or p not in staff:
            unknown.append([p, s])
            continue
        load[s] += 1
        try:
            upto[p] = staff[p].index(s)
        except ValueError:   # they did not rank it
            unacceptable.append([p, s])
            continue
        r = section_rank[s].get(p) if s in section_rank else None
        if r is None:
            unacceptable.append([p, s])
        elif r > cutoff[s]:
            cutoff[s] = r
    over = [[s, load[s], capacity[s]] for s in capacity if load[s] > capacity[s]]
    missing = [p for p in staff if p not in matching]
    # a person ranked r by a full section is turned away iff r > its cutoff; a section with a
    # free seat turns away nobody it ranked (bar beyond every rank). Per section: its ranks, its
    # bar, its cutoff as shown, and its not-ranked line (one tuple shared by all it left out)
    beyond, empty = len(staff) + 1, {}
    judge = {s: (section_rank.get(s, empty).get, cutoff[s] if load[s] >= capacity[s] else beyond, cutoff[s] + 1,
                 (s, NOT_RANKED, None, None)) for s in capacity}
    blocking = []
    why_not = {}
    get_upto = upto.get
    for p, prefs in staff.items():
        k = get_upto(p)   # None: unmatched, or matched outside their list: every section counts
        if k == 0:
            continue
        lines = []
        add = lines.append
        for s in (prefs if k is None else prefs[:k]):
            rank_of, bar, cut, not_ranked = judge[s]
            r = rank_of(p)
            if r is None:
                add(not_ranked)
            elif r > bar:
                add((s, FULL, r + 1, cut))
            else:
                blocking.append([p, s])
        if lines:
            why_not[p] = lines
    result.why_not = why_not
    result.certificate = {
        "stable": not (blocking or over or unacceptable or unknown or missing),
        "blocking_pairs": blocking, "over_capacity": over, "not_mutually_acceptable": unacceptable,
        "unknown": unknown, "missing": missing,
        "matched": len(matching) - sum(1 for s in matching.values() if s is None), "staff": len(staff),
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
