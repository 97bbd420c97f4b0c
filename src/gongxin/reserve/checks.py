"""The Django side of the reserve's rules: R24 read from the rule set in force, a cadre's
facts from the eligibility engine's builder (with every registered provider: problem files,
sanctions...), and the check the cases app calls for ``reserve_direct`` nominations."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.cases.eligibility import RuleSpec, add_months
from gongxin.cases.facts import build_facts, build_facts_bulk, rule_specs
from gongxin.cases.rules import get_rule, rule_set_in_force
from gongxin.core.errors import DomainError

from . import entry_rules, workflow
from .models import ReserveCadre, ReserveStatus, Trainee, TraineeStatus

DIRECT_CHANNEL = "reserve_direct"


def _spec(rule_set, code, variant=None) -> RuleSpec:
    rule = get_rule(rule_set, code, variant)
    return RuleSpec(params=dict(rule.parameters), name=rule.name, source=f"{rule.regulation}{rule.article}")


def r24_params(*, on: dt.date | None = None, rule_set=None) -> dict:
    rule_set = rule_set or rule_set_in_force(on=on)
    return dict(get_rule(rule_set, "R24").parameters)


def training_params(*, on: dt.date | None = None, rule_set=None) -> dict:
    rule_set = rule_set or rule_set_in_force(on=on)
    try:
        return dict(get_rule(rule_set, "R24", "training").parameters)
    except DomainError:
        if rule_set is not None and on is None:
            return training_params(on=timezone.localdate())
        raise


def entry_results(cadre, *, on: dt.date):
    """R24 at entry, through the eligibility engine."""
    rule_set = rule_set_in_force(on=on)
    rules = {k: v for k, v in rule_specs(rule_set).items() if k in ("R8", "R13", "R25")}
    rules["R24"] = _spec(rule_set, "R24")
    return entry_rules.check_entry(build_facts(cadre, on=on), rules, on=on)


def direct_nomination_check(case, cadre, channel: str, evidence: dict) -> list[str]:
    """Registered with cases.guards.register_nomination_check: through ``reserve_direct`` only a
    tier-1 reserve cadre who graduated from the cited class within R24/training's validity."""
    if channel != DIRECT_CHANNEL:
        return []
    on = timezone.localdate()
    try:
        params = training_params(rule_set=case.rule_set)
    except DomainError:
        params = training_params(on=on)
    months = int(params.get("valid_months", 24))
    reserve = ReserveCadre.objects.filter(cadre=cadre, status=ReserveStatus.ACTIVE).first()
    graduations = [(t.training_class_id, t.training_class.name, t.graduated_on) for t in
                   Trainee.objects.filter(cadre=cadre, status=TraineeStatus.GRADUATED).select_related("training_class")]
    cited = (evidence or {}).get("training_class")
    try:
        cited = int(cited) if cited not in (None, "") else None
    except (TypeError, ValueError):
        return [_("提名依据中的中青班编号无效。")]
    return workflow.direct_nomination_blockers(
        name=cadre.name, tier=reserve.tier if reserve else None, direct_tier=int(params.get("direct_tier", 1)),
        graduations=graduations, cited=cited, on=on,
        valid_until=lambda d: add_months(d, months) - dt.timedelta(days=1))


def review_pool(reserves, *, on: dt.date, batch_size: int = 1000):
    """The pool's review (复核): each active reserve cadre's R24 bars today (the R8 grades,
    problem files, sanctions; not the age limit, which holds at entry), read in batches with a
    fixed number of queries each. Yields (reserve cadre, failed results) for those who fail."""
    rule_set = rule_set_in_force(on=on)
    rules = {k: v for k, v in rule_specs(rule_set).items() if k in ("R8", "R13", "R25")}
    rules["R24"] = _spec(rule_set, "R24")
    qs = reserves.filter(status=ReserveStatus.ACTIVE).select_related("cadre__org_unit", "target_rank").order_by("pk")
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last)[:batch_size])
        if not batch:
            return
        facts = build_facts_bulk([r.cadre for r in batch], on=on)
        for reserve in batch:
            failed = [r for r in entry_rules.check_entry(facts[reserve.cadre_id], rules, on=on)
                      if r.outcome == "fail" and r.item != "R24.age"]
            if failed:
                yield reserve, failed
        last = batch[-1].pk
