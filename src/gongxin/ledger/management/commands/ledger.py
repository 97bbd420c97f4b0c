"""gongxin ledger verify | checkpoint | export FILE [--audience public|auditor]"""

import base64
import sys

from django.core.management.base import BaseCommand, CommandError

from gongxin.ledger.audit import AuditFailure
from gongxin.ledger.bundle import AUDIENCES, write_bundle
from gongxin.ledger.checkpoints import sign_checkpoint
from gongxin.ledger.verification import verify_ledger


class Command(BaseCommand):
    help = "账本：verify 校验全部记录和检查点；checkpoint 签署检查点；export 导出可离线校验的文件。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="recompute every leaf, subtree hash, checkpoint root and signature")
        cp = sub.add_parser("checkpoint", help="sign a checkpoint of the current size (daily or on demand)")
        cp.add_argument("--reason", default="on demand")
        cp.add_argument("--force", action="store_true", help="sign even if the latest checkpoint has this size")
        ex = sub.add_parser("export", help="write a bundle for python -m gongxin.verify")
        ex.add_argument("file", help="output file (.jsonl); '-' for standard output")
        ex.add_argument("--audience", choices=AUDIENCES, default="public")

    def handle(self, *args, action, **options):
        return getattr(self, f"_{action}")(**options)

    def _verify(self, **options):
        try:
            result = verify_ledger()
        except AuditFailure as exc:
            self.stderr.write(f"FAILED: {exc}")
            if exc.seq is not None:
                self.stderr.write(f"first bad seq: {exc.seq}")
            sys.stdout.flush()
            raise SystemExit(1) from None
        self.stdout.write(f"OK size {result.size}")
        self.stdout.write(f"root {base64.b64encode(result.root).decode()} (hex {result.root.hex()})")
        self.stdout.write(f"{result.checkpoints} checkpoints verified")

    def _checkpoint(self, *, reason, force, **options):
        cp = sign_checkpoint(reason=reason, force=force)
        self.stdout.write(cp.note, ending="")

    def _export(self, *, file, audience, **options):
        try:
            if file == "-":
                n = write_bundle(self.stdout._out, audience=audience)
            else:
                with open(file, "w", encoding="utf-8", newline="\n") as fh:
                    n = write_bundle(fh, audience=audience)
        except OSError as exc:
            raise CommandError(str(exc)) from None
        if file != "-":
            self.stdout.write(f"{n} events written to {file} ({audience})")
