"""Add evaluation's rule row (R30/evaluation: the 不认同 share past which a newly promoted cadre is
looked into) to every rule set that lacks it. A new code only: no rule a case froze changes."""

from django.db import migrations

from gongxin.evaluation.rule_defaults import DEFAULT_RULES


def seed(apps, schema_editor):
    RuleSet = apps.get_model("cases", "RuleSet")
    Rule = apps.get_model("cases", "Rule")
    for rule_set in RuleSet.objects.all():
        for i, row in enumerate(DEFAULT_RULES):
            Rule.objects.get_or_create(rule_set=rule_set, code=row["code"], variant=row["variant"],
                                       defaults={**{k: v for k, v in row.items() if k not in ("code", "variant")},
                                                 "sort_order": 300 + i})


def unseed(apps, schema_editor):
    Rule = apps.get_model("cases", "Rule")
    for row in DEFAULT_RULES:
        Rule.objects.filter(code=row["code"], variant=row["variant"], rule_set__cases__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial"), ("cases", "0002_default_rules")]
    operations = [migrations.RunPython(seed, unseed)]
