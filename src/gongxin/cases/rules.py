"""Rules as data: which rule set is in force, and a rule's parameters.

``rule_params("R17")["working_days"] == 5``; ``rule_params("R1", variant="section")`` for the
county's 科级 numbers; ``rule_params("R15", case=case)`` reads the version the case froze."""

import datetime as dt
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError

from .models import DEFAULT_JURISDICTION, Rule, RuleSet


def rule_set_in_force(*, on: dt.date | None = None, jurisdiction: str = DEFAULT_JURISDICTION) -> RuleSet:
    """The newest version in effect on ``on`` whose every row meets its parameter schema: a
    version with a bad row (saved before rules were validated) is never the one in force."""
    from .rule_schema import problems

    on = on or timezone.localdate()
    rule_set = None
    for candidate in (RuleSet.objects.filter(jurisdiction=jurisdiction, effective_from__lte=on)
                      .order_by("-effective_from", "-version").prefetch_related("rules")[:20]):
        if not problems(candidate.rules.all()):
            rule_set = candidate
            break
    if rule_set is None:
        raise DomainError("rules.none_in_force", _("没有在 %(date)s 生效的规则集，请先在“规则管理”中设置。") % {"date": on})
    return rule_set


def _pick(rules: list[Rule], code: str, variant: str | None) -> Rule | None:
    matching = [r for r in rules if r.code == code]
    if variant is not None:
        matching = [r for r in matching if r.variant == variant] or matching[:0]
    if not matching:
        return None
    plain = [r for r in matching if r.variant == ""]
    return (plain or matching)[0]


def get_rule(rule_set: RuleSet, code: str, variant: str | None = None) -> Rule:
    cache = getattr(rule_set, "_rules_cache", None)
    if cache is None:
        cache = list(rule_set.rules.all())
        rule_set._rules_cache = cache
    rule = _pick(cache, code, variant)
    if rule is None:
        raise DomainError("rules.missing", _("规则集 %(set)s 中没有规则 %(code)s，请在“规则管理”中补充。") % {
            "set": rule_set, "code": code + (f"/{variant}" if variant else "")})
    return rule


def params_in(rule_set: RuleSet, code: str, variant: str | None = None) -> dict:
    return dict(get_rule(rule_set, code, variant).parameters)


def rule_params(code: str, *, on: dt.date | None = None, variant: str | None = None, case=None,
                jurisdiction: str = DEFAULT_JURISDICTION) -> dict:
    """Parameters of rule ``code`` in force on ``on`` (today by default), or frozen by ``case``."""
    rule_set = case.rule_set if case is not None else rule_set_in_force(on=on, jurisdiction=jurisdiction)
    return params_in(rule_set, code, variant)


def all_params(rule_set: RuleSet) -> dict[str, dict]:
    """{"R1/county": {...}, "R1/section": {...}, "R2": {...}}: what the eligibility engine reads."""
    out = {}
    for rule in rule_set.rules.all():
        out[f"{rule.code}/{rule.variant}" if rule.variant else rule.code] = dict(rule.parameters)
    return out


def sources(rule_set: RuleSet) -> dict[str, str]:
    return {(f"{r.code}/{r.variant}" if r.variant else r.code): f"{r.regulation}{r.article}"
            for r in rule_set.rules.all()}


def fraction(text) -> Fraction:
    """"2/3" → Fraction(2, 3); "25%" → 1/4; numbers as they are."""
    if isinstance(text, (int, float)):
        return Fraction(text).limit_denominator(1000)
    text = str(text).strip()
    if text.endswith("%"):
        return Fraction(text[:-1]) / 100
    return Fraction(text)
