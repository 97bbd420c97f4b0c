"""The TWS rule row (which stable matching a two-way selection uses) in rule sets made before it
existed; databases made afresh get it from cases 0002, which reads the same DEFAULT_RULES."""

from django.db import migrations

from gongxin.cases.rule_defaults import DEFAULT_RULES


def add_rule(apps, schema_editor):
    RuleSet = apps.get_model("cases", "RuleSet")
    Rule = apps.get_model("cases", "Rule")
    row = next(r for r in DEFAULT_RULES if r["code"] == "TWS")
    for rule_set in RuleSet.objects.all():
        if not Rule.objects.filter(rule_set=rule_set, code="TWS").exists():
            Rule.objects.create(rule_set=rule_set, sort_order=len(DEFAULT_RULES),
                                **{k: v for k, v in row.items()})


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial"), ("cases", "0002_default_rules")]
    operations = [migrations.RunPython(add_rule, migrations.RunPython.noop)]
