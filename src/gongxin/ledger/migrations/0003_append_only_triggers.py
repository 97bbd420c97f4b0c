"""Append-only: triggers refusing UPDATE and DELETE on ledger_event and ledger_checkpoint
(SQLite and PostgreSQL; see gongxin.ledger.guard). Also creates the head row."""

from django.db import migrations


def install(apps, schema_editor):
    from gongxin.ledger.guard import install_sql

    with schema_editor.connection.cursor() as cursor:  # no params: the plpgsql body has '%'
        for sql in install_sql(schema_editor.connection.vendor):
            cursor.execute(sql)
    apps.get_model("ledger", "LedgerHead").objects.get_or_create(id=1)


def remove(apps, schema_editor):
    from gongxin.ledger.guard import remove_sql

    with schema_editor.connection.cursor() as cursor:
        for sql in remove_sql(schema_editor.connection.vendor):
            cursor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0002_nodes_checkpoints"),
    ]

    operations = [migrations.RunPython(install, remove)]
