"""``gongxin demo``: build the demo county (DOMAIN §7) and serve it on http://127.0.0.1:8000.

Re-running reuses the database; ``--reset`` rebuilds it; ``--build-only`` builds and exits.
Honours DATABASE_URL like every other command."""

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from gongxin.core.demo import DEMO_PASSWORD, SIZES, DemoContext, build_demo


class Command(BaseCommand):
    help = "构建并运行演示县。Build and serve the demo county."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="删除现有数据并重建 / drop everything and rebuild")
        parser.add_argument("--build-only", action="store_true", help="只构建不启动 / build, then exit")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--seed", type=int, default=2022)
        parser.add_argument("--size", choices=sorted(SIZES), default="full",
                            help="演示县规模 / county size (small: fewer staff, for tests)")
        parser.add_argument("--no-worker", action="store_true",
                            help="不启动后台任务进程 / do not start a job worker beside the server")

    def handle(self, *args, reset, build_only, port, host, seed, size="full", no_worker=False, **options):
        from gongxin.settings import ensure_data_dir

        ensure_data_dir()
        if reset:
            self._drop_everything()
        call_command("migrate", interactive=False, verbosity=0)
        if self._built():
            self.stdout.write("演示县已存在，直接使用（重建请加 --reset）。Demo county found; reusing it.")
        else:
            started = time.perf_counter()
            ctx = DemoContext(seed=seed, size=size, out=self.stdout)
            self.stdout.write(f"正在构建演示县（以 {ctx.today:%Y-%m-%d} 为今天）Building the demo county…")
            build_demo(ctx)
            from gongxin.core.db import analyze_after_bulk_load

            analyze_after_bulk_load()
            self._save_voting(ctx)
            seconds = time.perf_counter() - started
            if options.get("verbosity", 1) >= 2:
                self.stdout.write("  " + "、".join(f"{app} {t:.1f} 秒" for app, t in ctx.timings.items()))
            if ctx.stopped:
                self.stdout.write(self.style.WARNING(
                    f"演示县构建完成，用时 {seconds:.1f} 秒，但有 {len(ctx.stopped)} 个演示步骤未能完成（见上文 STOPPED）。"))
            else:
                self.stdout.write(self.style.SUCCESS(f"演示县构建完成，用时 {seconds:.1f} 秒。"))
        self._print_accounts(host, port)
        self._print_voting(host, port)
        if not build_only:
            from django.conf import settings

            from .serve import serve

            settings.REQUIRE_ADMIN_OTP = False  # demo accounts share a published password anyway

            serve(host=host, port=port, workers=2, threads=4, stdout=self.stdout, worker=not no_worker)

    def _built(self) -> bool:
        from gongxin.accounts.models import User
        from gongxin.people.models import Cadre

        return User.objects.filter(username="admin").exists() and Cadre.objects.exists()

    def _drop_everything(self) -> None:
        """Flush cannot do this: the ledger's triggers refuse DELETE, as they should."""
        db = settings.DATABASES["default"]
        if connection.vendor == "sqlite":
            name = db["NAME"]
            connection.close()
            if name and name != ":memory:":
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{name}{suffix}").unlink(missing_ok=True)
        elif connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        else:
            raise CommandError(f"--reset does not know how to empty a {connection.vendor} database")
        key = Path(settings.LEDGER_KEY_FILE)
        key.unlink(missing_ok=True)
        self._voting_file().unlink(missing_ok=True)
        self.stdout.write("已清空数据库。Database emptied.")

    def _voting_file(self) -> Path:
        return Path(settings.DATA_DIR) / "demo-voting.json"

    def _save_voting(self, ctx) -> None:
        """The open meeting's unused codes, tie-break seed and key shares, kept in the data directory so a
        restart can print them again (demo only: a real meeting hands codes out on paper)."""
        meeting = ctx.data.get("open_meeting")
        if meeting is None:
            return
        self._voting_file().write_text(json.dumps({
            "meeting": meeting.pk, "title": meeting.title, "codes": ctx.data.get("open_meeting_codes", []),
            "seed": ctx.data.get("open_meeting_seed", ""), "key_shares": ctx.data.get("open_meeting_key_shares", []),
            "k": getattr(meeting, "seal_k", None)}, ensure_ascii=False, indent=1), encoding="utf-8")

    def _print_voting(self, host: str, port: int) -> None:
        path = self._voting_file()
        try:
            voting = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        self.stdout.write(f"体验投票 Try voting: “{voting['title']}”，手机或浏览器打开 http://{host}:{port}/public/meetings/vote/")
        codes = voting.get("codes") or []
        self.stdout.write(f"  未使用的投票码 Unused voting codes（{len(codes)} 个，用过的会被拒绝）: " + "  ".join(codes[:8])
                          + (" …" if len(codes) > 8 else ""))
        self.stdout.write(f"  闭会后揭示结果所用的随机种子 Tie-break seed: {voting.get('seed', '')}")
        shares = voting.get("key_shares") or []
        if shares:
            self.stdout.write(f"  投票箱已密封，结束投票时输入其中任意 {voting.get('k') or 2} 份计票人密钥份额 "
                              f"The sealed box opens with any {voting.get('k') or 2} of these key shares: " + "  ".join(shares))
        self.stdout.write(f"  全部投票码、种子和密钥份额保存在 All codes, the seed and the shares are in: {path}")
        self.stdout.write("")

    def _print_accounts(self, host: str, port: int) -> None:
        try:
            from gongxin.accounts.demo import DEMO_ACCOUNTS
        except ImportError:
            DEMO_ACCOUNTS = [("admin", "组织部管理员", "")]
        self.stdout.write("")
        self.stdout.write(f"打开 Open  http://{host}:{port}/        公众页面 Public portal: http://{host}:{port}/public/")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）Demo accounts, password {DEMO_PASSWORD}:")
        for username, role, hint in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<18} {role:<12} {hint}")
        self.stdout.write("")
