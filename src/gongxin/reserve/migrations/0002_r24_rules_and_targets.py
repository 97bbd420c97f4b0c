"""R24's reserve rows in rule sets made before the reserve app (new databases get them from
cases.rule_defaults), and the default composition targets (every tier, every unit category)
from R24's shares; an admin edits both."""

from django.db import migrations

from gongxin.cases.rule_defaults import DEFAULT_RULES

MEASURES = {"women": "women_min_share", "non_party": "non_party_min_share", "under_40": "under_40_min_share",
            "under_35": "under_35_min_share", "fulltime_degree": "fulltime_degree_min_share",
            "ready_soon": "ready_soon_min_share"}


def seed(apps, schema_editor):
    RuleSet = apps.get_model("cases", "RuleSet")
    Rule = apps.get_model("cases", "Rule")
    Target = apps.get_model("reserve", "CompositionTarget")
    rows = {(r["code"], r["variant"]): r for r in DEFAULT_RULES if r["code"] == "R24"}
    for rule_set in RuleSet.objects.all():
        for (code, variant), row in rows.items():
            rule = Rule.objects.filter(rule_set=rule_set, code=code, variant=variant).first()
            if rule is None:
                Rule.objects.create(rule_set=rule_set, code=code, variant=variant, sort_order=90,
                                    **{k: v for k, v in row.items() if k not in ("code", "variant")})
            else:
                missing = {k: v for k, v in row["parameters"].items() if k not in rule.parameters}
                if missing:
                    rule.parameters = {**rule.parameters, **missing}
                    rule.save(update_fields=["parameters"])
    defaults = rows[("R24", "")]["parameters"]
    for measure, key in MEASURES.items():
        if key in defaults:
            Target.objects.get_or_create(tier=None, unit_kind="", measure=measure, defaults={"min_share": defaults[key]})


class Migration(migrations.Migration):
    dependencies = [("reserve", "0001_initial"), ("cases", "0002_default_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
