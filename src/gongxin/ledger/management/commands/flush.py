"""``flush`` empties every table. The ledger is append-only, so outside the test runner this
refuses while the ledger has events (its signed checkpoints are public: a wiped ledger is a
forged one). The test runner flushes between transactional tests: only there are the
append-only triggers lifted for the duration and put back afterwards.

Why the triggers alone did not stop it: on PostgreSQL ``flush`` is a TRUNCATE, which fires no
row trigger (migration 0004 adds a TRUNCATE trigger), and this command used to lift the
triggers for everyone."""

from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as FlushCommand
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from gongxin.ledger.dbstate import database_problem, in_test_environment
from gongxin.ledger.guard import guard_lifted


class Command(FlushCommand):
    def handle(self, **options):
        alias = options["database"]
        connection = connections[alias]
        if in_test_environment():
            with guard_lifted(connection):
                return super().handle(**options)
        problem = database_problem(alias)
        if problem:
            raise CommandError(problem)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM ledger_event")
                events = cursor.fetchone()[0]
        except DatabaseError as exc:
            raise CommandError(str(exc).splitlines()[0]) from None
        if events:
            raise CommandError(_("拒绝清空：账本有 {n} 条记录，只能追加，不能清空（只有测试程序可以清空测试数据库）。"
                                 "要重建演示数据请用 gongxin demo --reset。").format(n=events))
        return super().handle(**options)
