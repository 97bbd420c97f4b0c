"""gongxin ledger verify | checkpoint | witness | export FILE [--audience public|auditor] | rotate-key"""

import base64
import os
import sys
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand, CommandError

from gongxin.core.errors import DomainError
from gongxin.ledger import keys
from gongxin.ledger.audit import AuditFailure
from gongxin.ledger.bundle import AUDIENCES, write_bundle
from gongxin.ledger.checkpoints import latest_checkpoint, sign_checkpoint
from gongxin.ledger.dbstate import require_built_database
from gongxin.ledger.keyevents import rotate_key
from gongxin.ledger.verification import verify_ledger


class Command(BaseCommand):
    help = "账本：verify 校验全部记录和检查点；checkpoint 签署检查点；witness 请见证方联署；export 导出可离线校验的文件；rotate-key 更换签名密钥。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        vf = sub.add_parser("verify", help="recompute every leaf, subtree hash, checkpoint root and signature")
        vf.add_argument("--processes", type=int, choices=(1, 2), default=None,
                        help="2: a second process checks the ledger from its end (default: 2 when there are two "
                             "cores and at least 32768 events; also GONGXIN_VERIFY_PROCESSES)")
        cp = sub.add_parser("checkpoint", help="sign a checkpoint of the current size (daily or on demand)")
        cp.add_argument("--reason", default="on demand")
        cp.add_argument("--force", action="store_true", help="sign even if the latest checkpoint has this size")
        ex = sub.add_parser("export", help="write a bundle for python -m gongxin.verify")
        ex.add_argument("file", help="output file (.jsonl); '-' for standard output")
        ex.add_argument("--audience", choices=AUDIENCES, default="public")
        sub.add_parser("witness", help="ask the configured witnesses to cosign the latest checkpoint now")
        rk = sub.add_parser("rotate-key", help="declare a new signing key in the ledger, signed by the current one")
        rk.add_argument("--new-key-file", help="the new key (base64 seed; made there if the file does not exist). "
                                               "Without it a new key replaces GONGXIN_LEDGER_KEY_FILE, the old one kept "
                                               "beside it")
        rk.add_argument("--key-name", help="a new key name (default: keep the current one)")

    def handle(self, *args, action, **options):
        require_built_database()
        try:
            return getattr(self, f"_{action.replace('-', '_')}")(**options)
        except (keys.LedgerKeyError, DomainError) as exc:
            raise CommandError(getattr(exc, "message", None) or str(exc)) from None

    def _verify(self, *, processes=None, **options):
        started = time.perf_counter()
        try:
            result = verify_ledger(processes=processes)
        except AuditFailure as exc:
            self.stderr.write(f"FAILED: {exc}")
            if exc.seq is not None:
                self.stderr.write(f"first bad seq: {exc.seq}")
            sys.stdout.flush()
            raise SystemExit(1) from None
        self.stdout.write(f"OK size {result.size}")
        self.stdout.write(f"root {base64.b64encode(result.root).decode()} (hex {result.root.hex()})")
        self.stdout.write(f"{result.checkpoints} checkpoints verified, each against the key the ledger declared "
                          "for its size")
        if result.declared:
            for key in result.keys:
                self.stdout.write(f"key from event {key.seq}: {key.verifier_key}")
        elif result.size:
            self.stdout.write("the ledger declares no key yet (made before key declarations): checked against the "
                              "configured key; the next checkpoint declares it")
        n = result.uncovered
        self.stdout.write(f"{n} event{'' if n == 1 else 's'} after the latest checkpoint not yet covered by a signature")
        elapsed = time.perf_counter() - started
        how = (f"; 2 processes, the second checked {result.worker_chunks} of the chunks"
               if result.processes == 2 else "; 1 process")
        self.stdout.write(f"verified in {elapsed:.2f} s ({result.size / elapsed:,.0f} events/s{how})" if elapsed > 0 else "")

    def _witness(self, **options):
        from gongxin.ledger import witnesses

        configured = witnesses.configured()
        if not configured:
            raise CommandError("no witness configured (GONGXIN_WITNESSES)")
        for outcome in witnesses.collect():
            word = "cosigned" if outcome.ok else f"REFUSED ({outcome.status}): {outcome.message}"
            self.stdout.write(f"{outcome.witness.name}: {word}")
        cp = latest_checkpoint()
        state = witnesses.status(cp)
        self.stdout.write(f"checkpoint {cp.size if cp else '-'} witnessed by {state['signed']} of {state['total']}")

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

    def _rotate_key(self, *, new_key_file, key_name, **options):
        """The old key signs a last checkpoint and the rotation event; the new key is then
        installed and signs the checkpoint that covers the rotation."""
        in_env = keys.from_environment()
        if in_env and not new_key_file:
            raise CommandError("签名密钥来自环境变量 GONGXIN_LEDGER_KEY：请用 --new-key-file 指定新密钥文件的位置。")
        current_file = keys.key_file()
        made = None
        if new_key_file and Path(new_key_file).exists():
            new_key = keys._from_seed_text(Path(new_key_file).read_text(), new_key_file)
        else:
            new_key = Ed25519PrivateKey.generate()
            made = Path(new_key_file) if new_key_file else current_file.with_name(current_file.name + ".next")
            keys.write_key_file(made, new_key)
        try:
            sign_checkpoint(reason="更换密钥前，由旧密钥签署")
            old = keys.current()
            new = rotate_key(new_key=new_key, name=key_name)
        except BaseException:
            if made is not None:
                made.unlink(missing_ok=True)
            raise
        self.stdout.write(f"old key: {old.verifier_key}")
        self.stdout.write(f"new key: {new.verifier_key} (from event {new.seq})")
        if in_env:
            self.stdout.write(f"the new key is in {new_key_file}: put its content in GONGXIN_LEDGER_KEY (or unset it "
                              f"and set GONGXIN_LEDGER_KEY_FILE={new_key_file}) and restart the server and the worker")
            return
        retired = current_file.with_name(f"{current_file.name}.retired-{old.key_id}")
        os.replace(current_file, retired)
        if made is not None and not new_key_file:
            os.replace(made, current_file)
        else:
            keys.write_key_file(current_file, new_key)
        keys.forget_loaded()
        cp = sign_checkpoint(reason="更换密钥后，由新密钥签署")
        self.stdout.write(f"the new key is in {current_file}; the old one was moved to {retired} (keep it offline)")
        self.stdout.write(f"checkpoint of size {cp.size} signed with the new key. Publish the new key through the "
                          "channels that published the old one (running servers read the new key file by themselves).")
