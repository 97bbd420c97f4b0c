"""Drop the ballot table's primary-key index on PostgreSQL (see ``Ballot``'s docstring): no
query looks a ballot up by id, and the index cost more than the whole bulk load it slowed.
SQLite keeps its rowid table, which is the index-free layout already."""

from django.db import migrations


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name("meetings_ballot")
    schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS meetings_ballot_pkey")
    schema_editor.execute(f"ALTER TABLE {table} REPLICA IDENTITY FULL")


def restore_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name("meetings_ballot")
    schema_editor.execute(f"ALTER TABLE {table} REPLICA IDENTITY DEFAULT")
    schema_editor.execute(f"ALTER TABLE {table} ADD CONSTRAINT meetings_ballot_pkey PRIMARY KEY (id)")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(drop_index, restore_index, elidable=False)]
