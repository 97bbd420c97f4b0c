"""The EXM rule rows in force (falling back to the defaults, marked so, when a rule set
predates them)."""

from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError

from .rule_defaults import DEFAULT_RULES


def exam_rule(variant: str = "", *, rule_set=None) -> tuple[dict, str, str]:
    """(parameters, name, source) of EXM/``variant``."""
    from gongxin.cases.rules import get_rule, rule_set_in_force

    try:
        rule_set = rule_set or rule_set_in_force()
        row = get_rule(rule_set, "EXM", variant)
        if row.variant != variant:
            raise DomainError("rules.missing", "")
        return dict(row.parameters), row.name, f"{row.regulation}{row.article}"
    except DomainError:
        row = next(r for r in DEFAULT_RULES if r["variant"] == variant)
        return dict(row["parameters"]), row["name"], _("默认：%(reg)s") % {"reg": row["regulation"]}
