"""``gongxin backup ARCHIVE``: the database, the key files and uploads in one .tar.gz."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongxin.core import backup
from gongxin.core.errors import DomainError


class Command(BaseCommand):
    help = "备份数据库、密钥文件和附件到一个归档文件。Back up the database, key files and uploads into one archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz to write")

    def handle(self, *args, archive, **options):
        try:
            manifest = backup.backup(Path(archive))
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"backup written to {archive}: ledger size {manifest['ledger_size']}, "
                          f"root {manifest['ledger_root']}")
