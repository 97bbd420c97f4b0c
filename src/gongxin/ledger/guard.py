"""The database refuses UPDATE and DELETE on the ledger's tables (append-only triggers).

SQLite: BEFORE UPDATE / BEFORE DELETE triggers that RAISE(ABORT). PostgreSQL: one plpgsql
function raising an exception, attached BEFORE UPDATE OR DELETE FOR EACH ROW. Anyone who can
drop a trigger can still rewrite rows — that is what the Merkle tree, the signed checkpoints and
``gongxin ledger verify`` are for; the triggers stop accidents and casual edits.

On PostgreSQL a statement trigger also refuses TRUNCATE, which fires no row trigger.
``guard_lifted`` drops and re-creates them around the test runner's ``flush``."""

from contextlib import contextmanager

GUARDED_TABLES = ["ledger_event", "ledger_checkpoint"]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def install_sql(vendor: str) -> list[str]:
    out = []
    if vendor == "postgresql":
        out.append(PG_FUNCTION)
        for table in GUARDED_TABLES:
            out.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
            out.append(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();")
            # TRUNCATE (what flush runs) fires no row trigger: refuse it per statement
            out.append(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
            out.append(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();")
    elif vendor == "sqlite":
        for table in GUARDED_TABLES:
            for op in ("UPDATE", "DELETE"):
                name = f"{table}_no_{op.lower()}"
                out.append(f"DROP TRIGGER IF EXISTS {name};")
                out.append(f"CREATE TRIGGER {name} BEFORE {op} ON {table} BEGIN "
                           f"SELECT RAISE(ABORT, 'the ledger is append-only: {op} on {table} refused'); END;")
    return out


def remove_sql(vendor: str) -> list[str]:
    out = []
    if vendor == "postgresql":
        for table in GUARDED_TABLES:
            out.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
            out.append(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
    elif vendor == "sqlite":
        for table in GUARDED_TABLES:
            for op in ("update", "delete"):
                out.append(f"DROP TRIGGER IF EXISTS {table}_no_{op};")
    return out


def install(connection) -> None:
    with connection.cursor() as cursor:
        for sql in install_sql(connection.vendor):
            cursor.execute(sql)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for sql in remove_sql(connection.vendor):
            cursor.execute(sql)


@contextmanager
def guard_lifted(connection):
    """Only for resetting the whole database (flush): the ledger goes with everything else."""
    remove(connection)
    try:
        yield
    finally:
        install(connection)
