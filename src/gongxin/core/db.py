from django.db import connection


def analyze_after_bulk_load() -> None:
    """Refresh planner statistics after a bulk load. On PostgreSQL, VACUUM as well, so the
    visibility map lets counts use index-only scans; it cannot run inside a transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if connection.in_atomic_block:
                cursor.execute("ANALYZE")
            else:
                cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
