"""``gongxin restore ARCHIVE [--force]``: put back what ``gongxin backup`` wrote, and check the
restored ledger's root against the one the archive names."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongxin.core import backup
from gongxin.core.errors import DomainError


class Command(BaseCommand):
    help = "从备份归档恢复数据库、密钥文件和附件。Restore the database, key files and uploads from a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="overwrite an existing database or different keys")

    def handle(self, *args, archive, force, **options):
        try:
            manifest = backup.restore(Path(archive), force=force)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"restored: ledger size {manifest['ledger_size']}, root {manifest['ledger_root']} (checked)")
