"""The default joint-review departments (DOMAIN §3.8); admins may add, rename or disable them."""

from django.db import migrations

DEFAULTS = [
    ("discipline", "纪委监委"),
    ("political_legal", "政法委"),
    ("audit", "审计局"),
    ("health", "卫健委"),
    ("petitions", "信访局"),
]


def forwards(apps, schema_editor):
    ReviewDepartment = apps.get_model("inspection", "ReviewDepartment")
    for i, (code, name) in enumerate(DEFAULTS, start=1):
        ReviewDepartment.objects.get_or_create(code=code, defaults={"name": name, "sort_order": i * 10})


def backwards(apps, schema_editor):
    ReviewDepartment = apps.get_model("inspection", "ReviewDepartment")
    ReviewDepartment.objects.filter(code__in=[c for c, _ in DEFAULTS], requests__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("inspection", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
