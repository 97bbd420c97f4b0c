"""``gongxin province [--database postgres://…]``: load a province-sized dataset for scale
measurements (gongxin/core/province.py says what is made and what in it is synthetic)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "生成全省规模的测试数据（PostgreSQL）。Load a province-sized dataset for scale tests (PostgreSQL, COPY)."

    def add_arguments(self, parser):
        parser.add_argument("--database", help="postgres://… (default: DATABASE_URL); read before Django starts")
        parser.add_argument("--cadres", type=int, default=1_000_000)
        parser.add_argument("--cities", type=int, default=16)
        parser.add_argument("--counties", type=int, default=140)
        parser.add_argument("--cases", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, database=None, cadres, cities, counties, cases, seed, **options):
        from gongxin.core.province import build_province

        if counties < cities:
            raise CommandError("--counties 不能少于 --cities（每个市至少一个县）。")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            result = build_province(cadres=cadres, cities=cities, counties=counties, cases=cases, seed=seed,
                                    say=lambda text: self.stdout.write(text))
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"done: {result['cadres']} cadres, {result['counties']} counties, {result['cases']} cases, "
                          f"{result['events']} ledger events in {result['timings']['total']:.0f} s")
