"""``flush`` empties every table, the ledger included: the append-only triggers are lifted
for the duration and put back afterwards. (The test runner flushes between transactional
tests; a production ledger is never flushed — its signed checkpoints would expose it.)"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from gongxin.ledger.guard import guard_lifted


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        with guard_lifted(connection):
            return super().handle(**options)
