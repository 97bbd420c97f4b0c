"""Short answers from the eligibility engine for other apps (e.g. meetings' write-ins)."""

from django.utils.translation import gettext as _

from . import eligibility as core
from .facts import evaluate_cadre
from .rules import rule_set_in_force


def translated_reason(result: dict | core.RuleResult) -> str:
    if isinstance(result, core.RuleResult):
        message, args = result.message, result.args
    else:
        message, args = result.get("message") or result.get("reason", ""), result.get("args") or {}
    text = _(message)
    return text % args if args else text


def basic_eligibility_problems(cadre, post, *, on=None) -> list[str]:
    """The failed checks (Chinese) for ``cadre`` on ``post`` under the rules in force."""
    results = evaluate_cadre(cadre, post, rule_set=rule_set_in_force(on=on), on=on)
    return [translated_reason(r) for r in results if r.outcome == core.FAIL]
