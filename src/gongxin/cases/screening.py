"""Bulk eligibility: screen a queryset of cadres against one post (a reserve-pool review, "who is
eligible for this post", an exam's screening) with a fixed number of queries per batch.

``run_eligibility_bulk`` reads the cadres in primary-key batches (keyset, no OFFSET), builds
each batch's facts with ``facts.facts_from_rows`` (five queries plus one or two per provider,
whatever the batch size), decides each cadre with ``decide.decide`` (no explanation objects) and
yields a ``Decision`` whose ``explain()`` builds the engine's full results on demand, for the
cadres actually shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from . import eligibility as core
from .decide import decide
from .facts import CADRE_COLUMNS, facts_from_rows, post_requirement, rule_specs

BATCH_SIZE = 2000


@dataclass(slots=True)
class Decision:
    cadre_id: int
    name: str
    eligible: bool
    facts: core.CadreFacts
    evaluator: core.Evaluator

    def explain(self) -> list[core.RuleResult]:
        """The engine's results for this cadre, each with its reason (built now, not before)."""
        return self.evaluator(self.facts)


def evaluator_for(post, *, rule_set, on: dt.date, moment: str = "entry", requirements: dict | None = None):
    return core.Evaluator(post_requirement(post, requirements), rule_specs(rule_set), on=on, moment=moment)


def run_eligibility_bulk(cadres: QuerySet, post, *, rule_set, on: dt.date | None = None, moment: str = "entry",
                         requirements: dict | None = None, after: int = 0,
                         batch_size: int = BATCH_SIZE) -> Iterator[Decision]:
    """Every cadre of ``cadres`` with primary key above ``after``, in key order, decided against
    ``post`` under ``rule_set`` (no 破格: a request for one is per candidate)."""
    on = on or timezone.localdate()
    evaluator = evaluator_for(post, rule_set=rule_set, on=on, moment=moment, requirements=requirements)
    qs = cadres.order_by("pk")
    last = after
    while True:
        rows = list(qs.filter(pk__gt=last).values_list(*CADRE_COLUMNS)[:batch_size])
        if not rows:
            return
        facts = facts_from_rows(rows, on=on)
        for row in rows:
            f = facts[row[0]]
            yield Decision(row[0], row[1], decide(evaluator, f), f, evaluator)
        last = rows[-1][0]
        if len(rows) < batch_size:
            return


def could_step_to(post, prefix: str = "") -> Q:
    """Cadres whose rank is at most one level below the post's: R1 fails any other step (越级)
    before anything else is read, so a search may leave them out in SQL."""
    floor = post.rank.level - core.LEVEL_STEP
    q = Q(**{f"{prefix}rank__level__gte": floor})
    if core.DEFAULT_RANK_LEVEL >= floor:
        q |= Q(**{f"{prefix}rank__isnull": True})
    return q


def eligible_page(cadres: QuerySet, post, *, rule_set, on: dt.date | None = None, after: int = 0, size: int = 20,
                  batch_size: int = 500) -> tuple[list[Decision], int | None]:
    """The next ``size`` eligible cadres after key ``after``, and the key to continue from (None
    at the end). Screens only as many batches as it takes to fill the page."""
    page: list[Decision] = []
    for d in run_eligibility_bulk(cadres, post, rule_set=rule_set, on=on, after=after, batch_size=batch_size):
        if d.eligible:
            if len(page) == size:
                return page, page[-1].cadre_id
            page.append(d)
    return page, None
