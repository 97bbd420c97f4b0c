"""Facts builder (Django side of the eligibility engine): a cadre's facts from the people
models plus any registered providers, and the rule specs from a rule set.

``register_facts_provider(fn)``: ``fn(cadre, on) -> dict`` of CadreFacts fields to merge.
Tuples and lists are appended (``substantiated_problems``, ``sanctions``), dicts updated
(``four_checks``, ``grades``), other values replace. Inspection registers its substantiated
problem files and four checks here so that eligibility fails on them."""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError
from gongxin.people.models import EDUCATION_ORDER, Cadre, Post, PostHolding, RelationKind

from . import eligibility as core
from .models import Candidate, Case

_providers: list[Callable] = []


def register_facts_provider(fn: Callable) -> Callable:
    key = (getattr(fn, "__module__", None), getattr(fn, "__qualname__", None))
    if not any((getattr(f, "__module__", None), getattr(f, "__qualname__", None)) == key for f in _providers):
        _providers.append(fn)
    return fn


def unregister_facts_provider(fn: Callable) -> None:
    while fn in _providers:
        _providers.remove(fn)


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


def build_facts(cadre: Cadre, *, on: dt.date | None = None, evidence: dict | None = None) -> core.CadreFacts:
    on = on or timezone.localdate()
    evidence = evidence or {}
    intervals = []
    for entry in cadre.resume_entries.select_related("org_unit"):
        if entry.is_grassroots or (entry.org_unit_id and entry.org_unit.is_grassroots):
            intervals.append((entry.start, min(entry.end or on, on)))
    holdings = list(cadre.post_holdings.select_related("post__org_unit", "post__rank"))
    for h in holdings:
        if h.post.org_unit.is_grassroots:
            intervals.append((h.start, min(h.end or on, on)))
    current = [h for h in holdings if h.end is None or h.end >= on]
    educations = [e for e in (cadre.fulltime_education, cadre.parttime_education) if e]
    education = max(educations, key=lambda e: EDUCATION_ORDER.get(e, -1)) if educations else ""
    relations = list(cadre.relations.all())
    spouses = [r for r in relations if r.kind == RelationKind.SPOUSE]
    children = [r for r in relations if r.kind in (RelationKind.SON, RelationKind.DAUGHTER)]
    probation = [h.probation_end for h in current if h.probation_end]
    data = dict(
        cadre_id=cadre.pk, name=cadre.name, birth=cadre.birth_date, work_started=cadre.work_started,
        grassroots_days=_union_days([(s, e) for s, e in intervals if e > s]),
        rank_level=cadre.rank.level if cadre.rank_id else None,
        rank_is_head=bool(cadre.rank_id and cadre.rank.is_head),
        rank_since=cadre.rank_since,
        post_since=min((h.start for h in current), default=None),
        education=education, party_joined=cadre.party_joined,
        grades={g.year: g.grade for g in cadre.annual_grades.all()},
        probation_end=max(probation) if probation else None,
        last_promotion=cadre.rank_since,
        married=bool(spouses) if relations else None,
        spouse_emigrated=any(r.emigrated for r in spouses),
        children_all_emigrated=bool(children) and all(r.emigrated for r in children),
        recommended_on=_date(evidence.get("recommended_on")),
        lobbying=bool(evidence.get("lobbying", False)),
    )
    for provider in _providers:
        extra = provider(cadre, on) or {}
        for key, value in extra.items():
            old = data.get(key)
            if isinstance(value, (list, tuple)):
                data[key] = tuple(old or ()) + tuple(value)
            elif isinstance(value, dict):
                data[key] = {**(old or {}), **value}
            else:
                data[key] = value
    data["sanctions"] = tuple(s if isinstance(s, core.Sanction) else core.Sanction(**s)
                              for s in data.get("sanctions", ()))
    data["substantiated_problems"] = tuple(data.get("substantiated_problems", ()))
    return core.CadreFacts(**data)


def post_requirement(post: Post, extra: dict | None = None) -> core.PostRequirement:
    extra = extra or {}
    return core.PostRequirement(
        title=str(post), rank_level=post.rank.level, is_head=post.rank.is_head,
        is_party_post="书记" in post.title,
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
