"""The cadre's unit loses its plain index: cadre_unit_status_pinyin (0006) begins with the unit
and serves every lookup by it, and SQLite and PostgreSQL planned none of the cadre list's
queries on the plain one (the same plans with and without it at 200,000 cadres: the lists by
unit, status and pinyin, the scoped lists, the unit filter, the counts per unit, the unit's
PROTECT check). One B-tree fewer for every insert (the roster import writes 100,000).

The index is dropped by the name the database gives it (introspected); the state's
AlterField alone would make SQLite copy the whole table to drop one index, and PostgreSQL
drop and re-check the foreign key."""

import django.db.models.deletion
from django.db import migrations, models

# Django's name for the foreign key's index (schema_editor._create_index_name), for the way back
INDEX_NAME = "people_cadre_org_unit_id_94309603"


def drop_plain_unit_index(apps, schema_editor):
    table = apps.get_model("people", "Cadre")._meta.db_table
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    for name, c in constraints.items():
        if c["columns"] == ["org_unit_id"] and c["index"] and not (c["unique"] or c["primary_key"] or c["foreign_key"]):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def restore_plain_unit_index(apps, schema_editor):
    schema_editor.add_index(apps.get_model("people", "Cadre"), models.Index(fields=["org_unit"], name=INDEX_NAME))


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0007_village_cadre_rank'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='cadre',
                    name='org_unit',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name='cadres', to='people.orgunit', verbose_name='工作单位'),
                ),
            ],
            database_operations=[migrations.RunPython(drop_plain_unit_index, restore_plain_unit_index)],
        ),
    ]
