"""Load DOMAIN §5's defaults as rule set version 1 (effective from 2019-03-17, the 条例's date)."""

import datetime as dt

from django.db import migrations

from gongxin.cases.rule_defaults import DEFAULT_RULES


def seed(apps, schema_editor):
    RuleSet = apps.get_model("cases", "RuleSet")
    Rule = apps.get_model("cases", "Rule")
    rule_set, _ = RuleSet.objects.get_or_create(
        jurisdiction="county", version=1,
        defaults={"effective_from": dt.date(2019, 3, 17), "note": "DOMAIN §5 默认规则"})
    for i, row in enumerate(DEFAULT_RULES):
        Rule.objects.update_or_create(rule_set=rule_set, code=row["code"], variant=row["variant"],
                                      defaults={**{k: v for k, v in row.items() if k not in ("code", "variant")},
                                                "sort_order": i})


def unseed(apps, schema_editor):
    apps.get_model("cases", "RuleSet").objects.filter(jurisdiction="county", version=1, cases__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
