"""Hooks other apps plug into (register in their AppConfig.ready()).

- ``register_guard(target_stage, fn)``: ``fn(case) -> list[str]`` returns Chinese blockers for
  moving the case INTO ``target_stage`` (e.g. inspection registers for "decision": "联审尚有 2 个
  单位未答复"; publicity for "appointment": "公示期未满，还剩 3 个工作日").
- ``register_on_enter(stage, fn)``: ``fn(case, acting_user)`` runs inside the transition's
  transaction right after the case entered ``stage`` (e.g. publicity opens its notice).
- ``register_candidate_blockers(fn, many=None)``: ``fn(candidate) -> list[str]`` per-candidate
  blockers, checked for every active candidate when the case moves into decision or later;
  ``many(candidates) -> {candidate id: [str]}`` gives the same for a whole list in a fixed number
  of queries (the case page and the stage guard ask for all its candidates at once).
- ``register_dossier_subjects(fn)``: ``fn(case) -> list[(subject_type, subject_id)]``: ledger
  subjects of other apps that belong in the case's dossier (an inspection, a notice...).
- ``register_nomination_check(fn)``: ``fn(case, cadre, channel: str, evidence: dict) -> list[str]``
  Chinese blockers to adding ``cadre`` through ``channel``; ``add_candidate`` refuses with
  ``candidate.not_allowed`` listing them (e.g. reserve: only tier-1 graduates of a class).
- ``register_on_candidate_appointed(fn)``: ``fn(candidate, acting_user)`` runs inside
  ``appoint_candidate``'s transaction once the cadre holds the post, the new ``PostHolding`` on
  ``candidate.holding`` (e.g. reserve exits them; publicity writes the appointment record).
- ``register_candidate_notes(fn)``: ``fn(candidates) -> {candidate id: [str]}``: short Chinese
  notes shown beside candidates in lists (not blockers), computed for the whole list at once
  (e.g. assessment: "艰苦地区 6.2 年（优先使用）").

A blocker may be a ``Blocker``: the same words with ``url``, the page where it is removed (the
case page shows it as a link). Plain strings still work."""

from collections import defaultdict
from collections.abc import Callable

_guards: dict[str, list[Callable]] = defaultdict(list)
_on_enter: dict[str, list[Callable]] = defaultdict(list)
_candidate_blockers: list[Callable] = []
_candidate_blockers_many: dict[tuple, Callable] = {}
_dossier_subjects: list[Callable] = []
_nomination_checks: list[Callable] = []
_on_appointed: list[Callable] = []
_candidate_notes: list[Callable] = []
_connections: list[Callable] = []


class Blocker(str):
    """A blocker's words, carrying the address of the page that removes it."""

    url: str = ""

    def __new__(cls, text, url: str = ""):
        obj = super().__new__(cls, str(text))
        obj.url = url or ""
        return obj


def blocker(text, url_name: str = "", *args) -> "Blocker":
    """``blocker(_("…"), "inspection:review_candidate", candidate.pk)``; a page that cannot
    be reversed leaves the words without a link."""
    from django.urls import NoReverseMatch, reverse

    url = ""
    if url_name:
        try:
            url = reverse(url_name, args=args)
        except NoReverseMatch:
            url = ""
    return Blocker(text, url)


def keep(b) -> str:
    """A blocker as text, keeping its link when it has one (``str(b)`` would drop it)."""
    return b if isinstance(b, Blocker) else str(b)


def _add(registry: list, fn: Callable) -> Callable:
    # Registering twice (e.g. ready() run again in tests) must not double the blockers.
    key = (getattr(fn, "__module__", None), getattr(fn, "__qualname__", None))
    if not any((getattr(f, "__module__", None), getattr(f, "__qualname__", None)) == key for f in registry):
        registry.append(fn)
    return fn


def register_guard(target_stage: str, fn: Callable) -> Callable:
    return _add(_guards[str(target_stage)], fn)


def register_on_enter(stage: str, fn: Callable) -> Callable:
    return _add(_on_enter[str(stage)], fn)


def register_candidate_blockers(fn: Callable, many: Callable | None = None) -> Callable:
    if many is not None:
        _candidate_blockers_many[(getattr(fn, "__module__", None), getattr(fn, "__qualname__", None))] = many
    return _add(_candidate_blockers, fn)


def register_dossier_subjects(fn: Callable) -> Callable:
    return _add(_dossier_subjects, fn)


def register_nomination_check(fn: Callable) -> Callable:
    return _add(_nomination_checks, fn)


def register_on_candidate_appointed(fn: Callable) -> Callable:
    return _add(_on_appointed, fn)


def register_candidate_notes(fn: Callable) -> Callable:
    return _add(_candidate_notes, fn)


def candidate_notes(candidates) -> dict[int, list[str]]:
    """Every registered app's notes for ``candidates`` (a list), merged per candidate id."""
    out: dict[int, list[str]] = defaultdict(list)
    if not candidates:
        return out
    for fn in _candidate_notes:
        for pk, notes in fn(candidates).items():
            out[pk].extend(notes)
    return out


def unregister(fn: Callable) -> None:
    """For tests: remove ``fn`` from every registry."""
    for registry in [*_guards.values(), *_on_enter.values(), _candidate_blockers, _dossier_subjects,
                     _nomination_checks, _on_appointed, _candidate_notes, _connections]:
        while fn in registry:
            registry.remove(fn)


def guards_for(stage: str) -> list[Callable]:
    return list(_guards.get(str(stage), []))


def on_enter_for(stage: str) -> list[Callable]:
    return list(_on_enter.get(str(stage), []))


def candidate_blocker_fns() -> list[Callable]:
    return list(_candidate_blockers)


def candidate_blockers_many(fn: Callable) -> Callable | None:
    """The list form registered beside ``fn``, if any."""
    return _candidate_blockers_many.get((getattr(fn, "__module__", None), getattr(fn, "__qualname__", None)))


def dossier_subject_fns() -> list[Callable]:
    return list(_dossier_subjects)


def nomination_check_fns() -> list[Callable]:
    return list(_nomination_checks)


def on_candidate_appointed_fns() -> list[Callable]:
    return list(_on_appointed)


def register_connections(fn: Callable) -> Callable:
    """``fn(case, candidate=None) -> list[Connection]``: the records of another app that belong
    to a case (or, given ``candidate``, to that candidate), shown on its page as 关联记录."""
    return _add(_connections, fn)


def connection_fns() -> list[Callable]:
    return list(_connections)


class Connection(dict):
    """One kind of related record: ``label``, ``count``, ``states`` (words with counts), ``url``
    (the list or the one record), ``items`` [(label, url)] for a few records by name."""

    def __init__(self, label, count: int, url: str = "", states: str = "", items=(), order: int = 50):
        super().__init__(label=str(label), count=count, url=url, states=states, items=list(items), order=order)


def states_of(values, labels: dict) -> str:
    """"2 已签发 · 1 进行中" from a list of status codes and their labels."""
    from collections import Counter

    counts = Counter(values)
    return " · ".join(f"{n} {labels.get(code, code)}" for code, n in counts.most_common())


def connections(case, candidate=None) -> list[dict]:
    out = []
    for fn in connection_fns():
        try:
            out.extend(fn(case, candidate) or [])
        except Exception:  # noqa: BLE001 - one app's broken hook must not take the case page down
            import logging

            logging.getLogger(__name__).exception("connections hook %s failed", fn)
    return sorted(out, key=lambda c: c["order"])
