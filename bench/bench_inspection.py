"""Inspection on the demo year (people, accounts and inspection demos on a throwaway SQLite
database, in a child process):

- the dashboard figures (counted from the rows) beside one ``COUNT(*)`` on the inspection table;
- recording an interview through the action (validation, scope fetch, ledger event) beside a
  bare ORM insert of the same row;
- an inspector's assignment list and an inspection page (phone pages), and the joint-review
  overview (every demo candidate with its requests and checks), each beside a minimal Django
  view in the same process;
- the demo build (people + accounts + inspection) beside people + accounts alone, once (a build
  cannot be repeated on the same database, so it is not interleaved);
- the measuring child's peak memory (VmHWM of a fresh process).

Every product figure is timed interleaved with its baseline (bench/_child.interleaved, the
order alternating, ROUNDS rounds of a batch of calls each) and reported with the median of the
per-round ratios."""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _child import interleaved, scope  # noqa: E402

ROUNDS = 5
PAIRS = [  # key, figure, baseline, calls per timed batch
    ("dashboard", "dashboard figures (demo year)", "one COUNT(*) query", 10),
    ("interview", "record_interview action", "bare ORM insert of the same row", 20),
    ("list", "inspector's assignment list page", "minimal view", 20),
    ("detail", "inspection page (tracking, records and interviews)", "minimal view", 20),
    ("overview", "joint-review overview page", "minimal view", 10),
]


def main(report):
    from _child import run_child

    scope(f"inspection on the small demo year (people + accounts + inspection demos, throwaway SQLite, child "
          f"process): dashboard vs COUNT(*), record_interview vs bare insert, three pages vs a minimal view in the "
          f"same process; {ROUNDS} interleaved rounds (order alternating) of a batch of calls, median per call and "
          f"median per-round ratio; demo build once; peak memory = the child's VmHWM")
    f = run_child(__file__, prefix="inspection")
    report("demo build: people + accounts + inspection (once)", f["build"], "s", "people + accounts alone",
           f["build_base"])
    for key, figure, baseline, _n in PAIRS:
        report(f"{figure}, median", f[key], "ms", baseline, f[f"{key}_base"],
               note=f"median per-round ratio {f[f'{key}_ratio']:.2f}× over {ROUNDS} interleaved rounds")
    report("peak memory of the measuring child (VmHWM)", f["peak_mb"], "MB")


def _child():
    import datetime as dt

    import django
    from _child import emit, peak_rss_mb

    django.setup()
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import path

    call_command("migrate", verbosity=0)
    from importlib import import_module

    from gongxin.core.demo import DemoContext

    ctx = DemoContext(verbose=False)
    t = time.perf_counter()
    for app in ["people", "accounts"]:
        import_module(f"gongxin.{app}.demo").build(ctx)
    base = time.perf_counter() - t
    import_module("gongxin.inspection.demo").build(ctx)
    emit("build", time.perf_counter() - t)
    emit("build_base", base)

    from gongxin.inspection import actions
    from gongxin.inspection.models import Inspection, Interview
    from gongxin.inspection.queries import dashboard_figures

    inspection = Inspection.objects.filter(kind="tracking", status="open").select_related("team").first()
    leader = inspection.team.leader
    day = dt.date(ctx.year, 11, 1)

    def action():
        actions.record_interview(acting_user=leader, inspection=inspection, interviewee="基准", category="colleague",
                                 circle="work", place="会议室", held_on=day, summary="基准测试谈话", leaning="neutral")

    def insert():
        Interview.objects.create(inspection=inspection, interviewee="基准", category="colleague", circle="work",
                                 place="会议室", held_on=day, summary="基准测试谈话", leaning="neutral", recorded_by=leader)

    def minimal(request):
        return HttpResponse("<p>ok</p>")

    import gongxin.urls as root

    class Urls:
        urlpatterns = [path("bench-minimal/", minimal), *root.urlpatterns]

    # the admin's second factor is not what is measured (a session that passed it sees the same page)
    with override_settings(ROOT_URLCONF=Urls, REQUIRE_ADMIN_OTP=False):
        inspector = Client(HTTP_HOST="127.0.0.1")  # (testserver is not an allowed host)
        inspector.force_login(leader)
        admin = Client(HTTP_HOST="127.0.0.1")
        admin.force_login(ctx.admin)
        detail_url = f"/inspection/{inspection.pk}/"
        for who, url in ((inspector, "/inspection/"), (inspector, detail_url), (admin, "/inspection/review/")):
            status = who.get(url).status_code
            assert status == 200, (url, status)
        sides = {
            "dashboard": (lambda: Inspection.objects.count(), lambda: dashboard_figures(year=ctx.year)),
            "interview": (insert, action),
            "list": (lambda: inspector.get("/bench-minimal/"), lambda: inspector.get("/inspection/")),
            "detail": (lambda: inspector.get("/bench-minimal/"), lambda: inspector.get(detail_url)),
            "overview": (lambda: admin.get("/bench-minimal/"), lambda: admin.get("/inspection/review/")),
        }
        for key, _figure, _baseline, n in PAIRS:
            baseline, product = sides[key]
            baseline(), product()  # warm

            def batch(fn, n=n):
                return lambda: [fn() for _ in range(n)]

            b, p, ratio = interleaved(batch(baseline), batch(product), rounds=ROUNDS)
            emit(key, statistics.median(p) / n * 1000)
            emit(f"{key}_base", statistics.median(b) / n * 1000)
            emit(f"{key}_ratio", ratio)
    emit("peak_mb", peak_rss_mb())


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    else:
        from run import main as run_main

        sys.exit(run_main(["inspection"]))
