"""Is there a built database to work on? Commands that read or write the ledger ask first, so
that in a folder without one they say so in one line instead of creating an empty SQLite file
and failing with a traceback. Also: are we inside the test runner?"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

REQUIRED_TABLES = ("django_migrations", "ledger_ledgerhead", "ledger_event")


def in_test_environment() -> bool:
    """True under the test runner: Django's setup_test_environment() adds ``mail.outbox``
    (pytest-django calls it for the whole session); nothing else does."""
    from django.core import mail

    return hasattr(mail, "outbox")


def database_problem(alias: str = "default") -> str | None:
    """One line saying why there is no built database, or None. Creates nothing."""
    db = settings.DATABASES[alias]
    if db["ENGINE"].endswith("sqlite3"):
        name = str(db["NAME"])
        if name not in ("", ":memory:") and not name.startswith("file:") and not Path(name).exists():
            return _("没有数据库：{path} 不存在，也没有设置 DATABASE_URL。请在数据所在的目录运行，"
                     "或设置 GONGXIN_DATA_DIR / DATABASE_URL；新建数据库请先运行 gongxin migrate。").format(path=name)
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            tables = set(connection.introspection.table_names(cursor))
    except DatabaseError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return _("无法连接数据库 {name}：{error}").format(name=db.get("NAME", ""), error=first)
    if not set(REQUIRED_TABLES) <= tables:
        return _("数据库 {name} 还没有建好（没有账本表）：请先运行 gongxin migrate。").format(name=db.get("NAME", ""))
    return None


def require_built_database(alias: str = "default") -> None:
    problem = database_problem(alias)
    if problem:
        raise CommandError(problem)
