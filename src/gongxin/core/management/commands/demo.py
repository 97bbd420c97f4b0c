"""``gongxin demo``: build the demo county (DOMAIN §7) and serve it on http://127.0.0.1:8000.

Re-running reuses the database; ``--reset`` rebuilds it; ``--build-only`` builds and exits.
Honours DATABASE_URL like every other command."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from gongxin.core.demo import DEMO_PASSWORD, DemoContext, build_demo


class Command(BaseCommand):
    help = "构建并运行演示县。Build and serve the demo county."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="删除现有数据并重建 / drop everything and rebuild")
        parser.add_argument("--build-only", action="store_true", help="只构建不启动 / build, then exit")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--seed", type=int, default=2022)
        parser.add_argument("--no-worker", action="store_true",
                            help="不启动后台任务进程 / do not start a job worker beside the server")

    def handle(self, *args, reset, build_only, port, host, seed, no_worker, **options):
        if reset:
            self._drop_everything()
        call_command("migrate", interactive=False, verbosity=0)
        if self._built():
            self.stdout.write("演示县已存在，直接使用（重建请加 --reset）。Demo county found; reusing it.")
        else:
            started = time.perf_counter()
            self.stdout.write("正在构建演示县 Building the demo county…")
            build_demo(DemoContext(seed=seed))
            from gongxin.core.db import analyze_after_bulk_load

            analyze_after_bulk_load()
            self.stdout.write(self.style.SUCCESS(f"演示县构建完成，用时 {time.perf_counter() - started:.1f} 秒。"))
        self._print_accounts(host, port)
        if not build_only:
            from .serve import serve

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
        self.stdout.write("已清空数据库。Database emptied.")

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
