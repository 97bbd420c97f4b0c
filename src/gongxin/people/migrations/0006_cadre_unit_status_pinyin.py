"""The unit index carries the list's order too (issue 20: a county clerk's cadre list at a
province's size reads its page's keys from the index alone)."""

from django.db import migrations, models


def analyze(apps, schema_editor):
    """Statistics for the new index, as 0005 does."""
    table = apps.get_model("people", "Cadre")._meta.db_table
    schema_editor.execute(f"ANALYZE {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0005_list_scope_index'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='cadre',
            name='cadre_unit_status',
        ),
        migrations.AddIndex(
            model_name='cadre',
            index=models.Index(fields=['org_unit', 'status', 'name_pinyin', 'id'], name='cadre_unit_status_pinyin'),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
