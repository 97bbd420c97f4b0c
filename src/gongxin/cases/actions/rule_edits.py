"""Editing a rule of the county's rule set (a new version, with its ledger event)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import Conflict, DomainError, full_clean_or_raise
from gongxin.ledger.recording import record_event

from ..models import (
    Rule,
    RuleSet,
)

# ---- rules --------------------------------------------------------------------------------------

@transaction.atomic
def edit_rule(*, acting_user, rule: Rule, parameters: dict, name: str | None = None, regulation: str | None = None,
              article: str | None = None, source_text: str | None = None, effective_from: dt.date | None = None,
              note: str = "") -> RuleSet:
    """A rule change makes a new rule-set version (cases keep the version they froze)."""
    from ..rule_schema import validate

    parameters = validate(rule.code, rule.variant, parameters)
    old_set = RuleSet.objects.select_for_update().get(pk=rule.rule_set_id)
    latest = RuleSet.objects.select_for_update().filter(jurisdiction=old_set.jurisdiction).order_by("-version").first()
    if latest.pk != old_set.pk:
        raise Conflict("rule.stale", _("该规则集已有更新的版本 v%(v)s，请在最新版本上修改。") % {"v": latest.version})
    effective_from = effective_from or timezone.localdate()
    if effective_from < old_set.effective_from:
        raise DomainError("rule.bad_date", _("生效日期不能早于上一版本的生效日期 %(d)s。") % {"d": old_set.effective_from})
    new_set = RuleSet.objects.create(jurisdiction=old_set.jurisdiction, version=old_set.version + 1,
                                     effective_from=effective_from, note=note, created_by=acting_user)
    before = {"parameters": rule.parameters, "name": rule.name, "regulation": rule.regulation, "article": rule.article,
              "source_text": rule.source_text}
    after = {"parameters": parameters, "name": name if name is not None else rule.name,
             "regulation": regulation if regulation is not None else rule.regulation,
             "article": article if article is not None else rule.article,
             "source_text": source_text if source_text is not None else rule.source_text}
    for r in old_set.rules.all():
        fields = dict(code=r.code, variant=r.variant, name=r.name, parameters=r.parameters, regulation=r.regulation,
                      article=r.article, source_text=r.source_text, sort_order=r.sort_order)
        if r.pk == rule.pk:
            fields.update(after)
        else:
            # A bad row carried over from an older version would make the new set unusable too.
            validate(r.code, r.variant, r.parameters)
        new_rule = Rule(rule_set=new_set, **fields)
        full_clean_or_raise(new_rule, exclude=["rule_set"])
        new_rule.save()
    changed = {k: v for k, v in after.items() if before[k] != v}
    record_event(kind="cases.rule_set.versioned", subject=new_set, actor=acting_user, public=True,
                 payload={"jurisdiction": new_set.jurisdiction, "version": new_set.version,
                          "previous": old_set.version, "effective_from": effective_from, "note": note,
                          "rule": rule.code, "variant": rule.variant,
                          "before": {k: before[k] for k in changed}, "after": changed})
    return new_set
