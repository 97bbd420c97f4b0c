"""PostgreSQL: TRUNCATE fires no row trigger, so ``flush`` emptied the append-only tables.
Re-install the guard, which now also refuses TRUNCATE (gongxin.ledger.guard)."""

from django.db import migrations


def install(apps, schema_editor):
    from gongxin.ledger.guard import install_sql

    with schema_editor.connection.cursor() as cursor:  # no params: the plpgsql body has '%'
        for sql in install_sql(schema_editor.connection.vendor):
            cursor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0003_append_only_triggers"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
