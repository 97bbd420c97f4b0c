"""A rank row for the posts of village (community) committees: village cadres hold no
civil-service rank, but every post names one (the exams' village-to-township channel takes
serving village cadres)."""

from django.db import migrations

ROW = ("village_cadre", "村（社区）干部", 1, False, False)


def seed(apps, schema_editor):
    code, name, level, leadership, head = ROW
    apps.get_model("people", "Rank").objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "is_leadership": leadership, "is_head": head})


def unseed(apps, schema_editor):
    apps.get_model("people", "Rank").objects.filter(code=ROW[0], posts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0006_cadre_unit_status_pinyin")]
    operations = [migrations.RunPython(seed, unseed)]
