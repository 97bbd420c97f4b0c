"""Add the exams app's rule rows (EXM, EXM/competitive_share, EXM/village) to every rule set
that lacks them. New codes only: no rule a case already froze changes meaning."""

from django.db import migrations

from gongxin.exams.rule_defaults import DEFAULT_RULES


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
    dependencies = [("exams", "0001_initial"), ("cases", "0004_rule_r11_inspection_report")]
    operations = [migrations.RunPython(seed, unseed)]
