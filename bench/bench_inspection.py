"""Inspection on the demo year (people, accounts and inspection demos on a throwaway SQLite
database, in a child process):

- the dashboard figures (counted from the rows), median, beside one ``COUNT(*)`` on the
  inspection table;
- recording an interview through the action (validation, scope fetch, ledger event), median,
  beside a bare ORM insert of the same row;
- an inspector's assignment list and an inspection page (phone pages), median, beside a
  minimal Django view in the same process;
- the joint-review overview (every demo candidate with its requests and checks), median."""

import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def main(report):
    from _child import run_child

    f = run_child(__file__, prefix="inspection")
    report("demo build: people + accounts + inspection", f["build"], "s", "people + accounts alone", f["build_base"])
    report("dashboard figures (demo year), median", f["dashboard"], "ms", "one COUNT(*) query", f["count"])
    report("record_interview action, median", f["interview"], "ms", "bare ORM insert", f["insert"])
    report("inspector's assignment list page, median", f["list"], "ms", "minimal view", f["minimal"])
    report("inspection page (tracking, records and interviews), median", f["detail"], "ms", "minimal view", f["minimal"])
    report("joint-review overview page, median", f["overview"], "ms", "minimal view", f["minimal"])


def _child():
    import datetime as dt

    import django
    from _child import median_ms as _median

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
    print(f"R\tbuild\t{time.perf_counter() - t}")
    print(f"R\tbuild_base\t{base}")

    from gongxin.inspection import actions
    from gongxin.inspection.models import Inspection, Interview
    from gongxin.inspection.queries import dashboard_figures

    print(f"R\tdashboard\t{_median(lambda: dashboard_figures(year=ctx.year), n=20)}")
    print(f"R\tcount\t{_median(lambda: Inspection.objects.count(), n=20)}")

    inspection = Inspection.objects.filter(kind="tracking", status="open").select_related("team").first()
    leader = inspection.team.leader
    day = dt.date(ctx.year, 11, 1)

    def action():
        actions.record_interview(acting_user=leader, inspection=inspection, interviewee="基准", category="colleague",
                                 circle="work", place="会议室", held_on=day, summary="基准测试谈话", leaning="neutral")

    def insert():
        Interview.objects.create(inspection=inspection, interviewee="基准", category="colleague", circle="work",
                                 place="会议室", held_on=day, summary="基准测试谈话", leaning="neutral", recorded_by=leader)

    print(f"R\tinterview\t{_median(action)}")
    print(f"R\tinsert\t{_median(insert)}")

    def minimal(request):
        return HttpResponse("<p>ok</p>")

    import gongxin.urls as root

    class Urls:
        urlpatterns = [path("bench-minimal/", minimal), *root.urlpatterns]

    with override_settings(ROOT_URLCONF=Urls):
        inspector = Client()
        inspector.force_login(leader)
        admin = Client()
        admin.force_login(ctx.admin)
        assert inspector.get("/inspection/").status_code == 200
        assert inspector.get(f"/inspection/{inspection.pk}/").status_code == 200
        assert admin.get("/inspection/review/").status_code == 200
        print(f"R\tminimal\t{_median(lambda: inspector.get('/bench-minimal/'))}")
        print(f"R\tlist\t{_median(lambda: inspector.get('/inspection/'))}")
        print(f"R\tdetail\t{_median(lambda: inspector.get(f'/inspection/{inspection.pk}/'))}")
        print(f"R\toverview\t{_median(lambda: admin.get('/inspection/review/'), n=20)}")


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
