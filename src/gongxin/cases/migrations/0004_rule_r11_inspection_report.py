"""R11 (考察报告: which signed inspection report a candidate needs before the decision) joins
every rule set that lacks it, with the default of rule_defaults (issue 11 defect 4)."""

from django.db import migrations

from gongxin.cases.rule_defaults import DEFAULT_RULES


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("cases", "RuleSet")
    Rule = apps.get_model("cases", "Rule")
    row = next(r for r in DEFAULT_RULES if r["code"] == "R11")
    order = [r["code"] for r in DEFAULT_RULES].index("R11")
    for rule_set in RuleSet.objects.all():
        if not Rule.objects.filter(rule_set=rule_set, code="R11").exists():
            Rule.objects.create(rule_set=rule_set, sort_order=order,
                                **{k: v for k, v in row.items()})


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_decision_not_held_and_voting")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
