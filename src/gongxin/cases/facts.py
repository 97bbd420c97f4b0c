"""Facts builder (Django side of the eligibility engine): cadres' facts from the people models
plus any registered providers, and the rule specs from a rule set.

Facts are built in batches: ``build_facts_bulk(cadres, on=...)`` reads a batch of cadres with
a fixed number of queries (one per table, one or two per provider) whatever the batch size;
``build_facts(cadre)`` is the same code over a batch of one, so the two cannot disagree.

``register_facts_provider(fn, bulk=None)``: ``fn(cadre, on) -> dict`` of CadreFacts fields to
merge; ``bulk(batch, on) -> {cadre_id: dict}`` is its batch form, filtering its rows with
``batch.q("cadre_id")`` (a provider without one is called once per cadre). Tuples and lists are appended (``substantiated_problems``,
``sanctions``), dicts updated (``four_checks``, ``grades``), other values replace. Inspection
registers its substantiated problem files and four checks here so that eligibility fails on
them."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError
from gongxin.people.models import (
    EDUCATION_ORDER,
    AnnualGrade,
    Cadre,
    Post,
    PostHolding,
    PostKind,
    Relation,
    RelationKind,
    ResumeEntry,
)

from . import eligibility as core
from .models import Candidate, Case

_providers: list[Callable] = []
_bulk: dict[Callable, Callable] = {}


def _key(fn):
    return getattr(fn, "__module__", None), getattr(fn, "__qualname__", None)


def register_facts_provider(fn: Callable, bulk: Callable | None = None) -> Callable:
    if not any(_key(f) == _key(fn) for f in _providers):
        _providers.append(fn)
    if bulk is not None:
        _bulk[fn] = bulk
    return fn


def unregister_facts_provider(fn: Callable) -> None:
    while fn in _providers:
        _providers.remove(fn)
    _bulk.pop(fn, None)


def _union_days(intervals: list[tuple[dt.date, dt.date]]) -> int:
    total, current_start, current_end = 0, None, None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += (current_end - current_start).days
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += (current_end - current_start).days
    return total


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# The columns a cadre's facts are built from (a batch reads them with values_list, no model
# instances: the bulk path must stay within a small factor of plain queries).
CADRE_COLUMNS = ("pk", "name", "birth_date", "work_started", "rank__level", "rank__is_head", "rank_since",
                 "fulltime_education", "parttime_education", "party_joined")


def _cadre_row(cadre: Cadre) -> tuple:
    rank = cadre.rank if cadre.rank_id else None
    return (cadre.pk, cadre.name, cadre.birth_date, cadre.work_started, rank.level if rank else None,
            rank.is_head if rank else False, cadre.rank_since, cadre.fulltime_education,
            cadre.parttime_education, cadre.party_joined)


class Batch:
    """The cadres of one batch, as a filter for the related tables: a key range when the ids are
    dense (a whole county's cadres: no long IN list to send), else the ids themselves."""

    def __init__(self, ids: list[int]):
        self.ids = ids
        self.lo, self.hi = (min(ids), max(ids)) if ids else (0, -1)
        self.dense = len(ids) > 1 and self.hi - self.lo + 1 <= 2 * len(ids)

    def q(self, field: str) -> Q:
        if self.dense:
            return Q(**{f"{field}__gte": self.lo, f"{field}__lte": self.hi})
        return Q(**{f"{field}__in": self.ids})


def _grouped(rows: Iterable[tuple]) -> dict[int, list[tuple]]:
    """Rows whose first column is the cadre id, grouped by it (order within a cadre kept; the
    rows keep their cadre id in front)."""
    out: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        out[row[0]].append(row)
    return out


def _merge(data: dict, extra: dict) -> None:
    for key, value in extra.items():
        old = data.get(key)
        if isinstance(value, (list, tuple)):
            data[key] = tuple(old or ()) + tuple(value)
        elif isinstance(value, dict):
            data[key] = {**(old or {}), **value}
        else:
            data[key] = value


def provider_facts(batch: Batch, on: dt.date, cadres: dict | None = None) -> list[dict[int, dict]]:
    """Each registered provider's facts for the batch, in registration order: one call of its
    bulk form, or (a provider without one) one call per cadre."""
    out = []
    for provider in _providers:
        bulk = _bulk.get(provider)
        if bulk is not None:
            out.append(bulk(batch, on))
        else:
            cadres = cadres or Cadre.objects.in_bulk(batch.ids)
            out.append({pk: provider(cadres[pk], on) or {} for pk in batch.ids})
    return out


def build_facts_bulk(cadres, *, on: dt.date | None = None, evidence: dict | None = None) -> dict[int, core.CadreFacts]:
    """Facts for a batch of cadres: ``cadres`` is a queryset (read with values_list) or a list of
    Cadre instances. Five queries plus the providers' own, whatever the batch size. ``evidence``
    maps a cadre id to its evidence (recommendation date, lobbying)."""
    instances = None
    if isinstance(cadres, (list, tuple)):
        instances = {c.pk: c for c in cadres}
        rows = [_cadre_row(c) for c in cadres]
    else:
        rows = list(cadres.values_list(*CADRE_COLUMNS))
    return facts_from_rows(rows, on=on, evidence=evidence, instances=instances)


def facts_from_rows(rows: list[tuple], *, on: dt.date | None = None, evidence: dict | None = None,
                    instances: dict | None = None) -> dict[int, core.CadreFacts]:
    """``build_facts_bulk`` over cadre rows already read (``CADRE_COLUMNS``, in that order)."""
    on = on or timezone.localdate()
    evidence = evidence or {}
    ids = [r[0] for r in rows]
    if not ids:
        return {}
    batch = Batch(ids)
    of_batch = batch.q("cadre_id")
    resume = _grouped(ResumeEntry.objects.filter(of_batch).order_by()
                      .values_list("cadre_id", "start", "end", "is_grassroots", "org_unit__is_grassroots"))
    holdings = _grouped(PostHolding.objects.filter(of_batch).order_by()
                        .values_list("cadre_id", "start", "end", "post__org_unit__is_grassroots", "probation_end"))
    relations = _grouped(Relation.objects.filter(of_batch).order_by().values_list("cadre_id", "kind", "emigrated"))
    grades = _grouped(AnnualGrade.objects.filter(of_batch).order_by().values_list("cadre_id", "year", "grade"))
    extras = provider_facts(batch, on, instances)
    out = {}
    for row in rows:
        pk = row[0]
        data = _assemble(row, resume.get(pk, ()), holdings.get(pk, ()), relations.get(pk, ()), grades.get(pk, ()),
                         on=on, evidence=evidence.get(pk) or {})
        for extra in extras:
            more = extra.get(pk)
            if more:
                _merge(data, more)
        data["sanctions"] = tuple(s if isinstance(s, core.Sanction) else core.Sanction(**s)
                                  for s in data.get("sanctions", ()))
        data["substantiated_problems"] = tuple(data.get("substantiated_problems", ()))
        out[pk] = core.CadreFacts(**data)
    return out


SPOUSE = RelationKind.SPOUSE.value
CHILDREN = (RelationKind.SON.value, RelationKind.DAUGHTER.value)


def _assemble(row, resume, holdings, relations, grades, *, on: dt.date, evidence: dict) -> dict:
    pk, name, birth, work_started, rank_level, rank_is_head, rank_since, fulltime, parttime, party_joined = row
    intervals = [(start, min(end or on, on)) for _c, start, end, own, unit in resume if own or unit]
    intervals += [(start, min(end or on, on)) for _c, start, end, grassroots, _p in holdings if grassroots]
    current = [(start, probation) for _c, start, end, _g, probation in holdings if end is None or end >= on]
    educations = [e for e in (fulltime, parttime) if e]
    probation = [p for _s, p in current if p]
    spouses = [emigrated for _c, kind, emigrated in relations if kind == SPOUSE]
    children = [emigrated for _c, kind, emigrated in relations if kind in CHILDREN]
    return dict(
        cadre_id=pk, name=name, birth=birth, work_started=work_started,
        grassroots_days=_union_days([(s, e) for s, e in intervals if e > s]) if intervals else 0,
        rank_level=rank_level, rank_is_head=bool(rank_is_head), rank_since=rank_since,
        post_since=min((s for s, _p in current), default=None),
        education=max(educations, key=lambda e: EDUCATION_ORDER.get(e, -1)) if educations else "",
        party_joined=party_joined,
        grades={year: grade for _c, year, grade in grades},
        probation_end=max(probation) if probation else None,
        last_promotion=rank_since,
        married=bool(spouses) if relations else None,
        spouse_emigrated=any(spouses),
        children_all_emigrated=bool(children) and all(children),
        recommended_on=_date(evidence.get("recommended_on")),
        lobbying=bool(evidence.get("lobbying", False)),
    )


def build_facts(cadre: Cadre, *, on: dt.date | None = None, evidence: dict | None = None) -> core.CadreFacts:
    """One cadre's facts: the batch builder over a batch of one."""
    return build_facts_bulk([cadre], on=on, evidence={cadre.pk: evidence or {}})[cadre.pk]


def post_requirement(post: Post, extra: dict | None = None) -> core.PostRequirement:
    extra = extra or {}
    return core.PostRequirement(
        title=str(post), rank_level=post.rank.level, is_head=post.rank.is_head,
        is_party_post="书记" in post.title, is_leading=post.kind == PostKind.LEADERSHIP,
        min_education=extra.get("min_education") or None,
        max_age=extra.get("max_age"), min_work_years=extra.get("min_work_years"))


def rule_specs(rule_set) -> dict[str, core.RuleSpec]:
    cache = getattr(rule_set, "_rules_cache", None)
    if cache is None:
        cache = list(rule_set.rules.all())
        rule_set._rules_cache = cache
    return {(f"{r.code}/{r.variant}" if r.variant else r.code):
            core.RuleSpec(params=r.parameters, name=r.name, source=f"{r.regulation}{r.article}") for r in cache}


def evaluate_cadre(cadre: Cadre, post: Post, *, rule_set, on: dt.date | None = None, moment: str = "entry",
                   evidence: dict | None = None, exception: core.ExceptionRequest | None = None,
                   requirements: dict | None = None) -> list[core.RuleResult]:
    on = on or timezone.localdate()
    facts = build_facts(cadre, on=on, evidence=evidence)
    return core.evaluate(facts, post_requirement(post, requirements), rule_specs(rule_set), on=on,
                         moment=moment, exception=exception)


def current_holdings(cadre_ids) -> list[PostHolding]:
    return list(PostHolding.objects.filter(cadre_id__in=cadre_ids, end__isnull=True)
                .select_related("post__org_unit", "post__rank"))


# ---- a candidate's check under its case's frozen rule set --------------------------------------

def post_for(candidate_or_case, post=None):
    if post is not None:
        return post
    case = candidate_or_case if isinstance(candidate_or_case, Case) else candidate_or_case.case
    first = case.case_posts.select_related("post__rank", "post__org_unit").first()
    if first is None:
        raise DomainError("case.no_post", _("案件还没有拟选职位。"))
    return first.post


def exception_of(candidate: Candidate):
    if not (candidate.exception_reason or candidate.exception_approval):
        return None
    return core.ExceptionRequest(reason=candidate.exception_reason, approval=candidate.exception_approval,
                                 items=tuple(candidate.exception_rules or ()))


def run_eligibility(candidate: Candidate, *, moment: str = "entry", on: dt.date | None = None) -> list[core.RuleResult]:
    """Compute (without saving) the candidate's eligibility under the case's frozen rule set."""
    post = post_for(candidate, candidate.post)
    requirements = {}
    app = getattr(candidate, "application", None) if candidate.pk else None
    if app is not None:
        requirements = app.notice.requirements
    return evaluate_cadre(candidate.cadre, post, rule_set=candidate.case.rule_set, on=on, moment=moment,
                          evidence=candidate.evidence, exception=exception_of(candidate), requirements=requirements)
