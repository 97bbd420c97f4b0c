"""The county clerk's workbench (the home page) with 200,000 cadres: median latency beside a
minimal Django view rendering a 50-row table in the same process (same middleware, same
client), interleaved over rounds; the number of queries with a small county and with the full
one (it must not grow with the data); the measuring process's peak memory.

Data: the cadres as bench_people loads them; then the to-do records the workbench reads (cases,
candidates, joint-review requests, notices and feedback, probations, problem files, meetings,
accountability), ORM rows without ledger events, k of each: k = 5 for the small county, 200 more
for the full one. Runs on SQLite, and on PostgreSQL when it is reachable (a child process each,
a fresh database each, removed afterwards). BENCH_WORKBENCH_N overrides the 200,000;
BENCH_WORKBENCH_ONLY=sqlite or =postgresql runs that database alone; BENCH_PROFILE=path profiles
the computed case instead of measuring (see _profile)."""

import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

N = int(os.environ.get("BENCH_WORKBENCH_N", 200_000))
SMALL_N = 2_000
ROUNDS = 5
PER_ROUND = 7
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
SRC = Path(__file__).resolve().parents[1] / "src"


def main(report):
    print(f"  scope: county clerk's workbench (GET /), {N:,} cadres, {ROUNDS} interleaved rounds × {PER_ROUND} requests, "
          "baseline = minimal 50-row page in the same process; the lines read from the per-user cache, and computed "
          "(the cache's generation bumped before each request, as any save does)")
    only = os.environ.get("BENCH_WORKBENCH_ONLY", "")
    for label in ("sqlite", "postgresql"):
        if only and label != only:
            continue
        url = None
        if label == "postgresql":
            if not _pg_reachable():
                print("  postgresql: not reachable, skipped")
                continue
            # BENCH_PG_URL: an empty database of one's own (kept), instead of a temporary one.
            url = os.environ.get("BENCH_PG_URL") or _create_pg_database()
        try:
            figures = _run_child(url)
        finally:
            if url and not os.environ.get("BENCH_PG_URL"):
                _drop_pg_database(url)
        base = figures["baseline"]
        report(f"{label} county clerk's workbench ({N:,} cadres) median", figures["workbench"], "ms",
               "minimal 50-row view", base, note=f"median of per-round ratios {figures['ratio']:.2f}×")
        report(f"{label} the same, lines computed (the data changed before each request)", figures["cold"], "ms",
               "minimal 50-row view", base, note=f"median of per-round ratios {figures['cold_ratio']:.2f}×")
        report(f"{label} queries, small county ({SMALL_N:,} cadres)", figures["queries_small"], "queries")
        report(f"{label} queries, full county ({N:,} cadres)", figures["queries_full"], "queries")
        report(f"{label} queries computing the lines, small county", figures["cold_queries_small"], "queries")
        report(f"{label} queries computing the lines, full county", figures["cold_queries_full"], "queries")
        report(f"{label} workbench lines", figures["lines"], "lines")
        report(f"{label} peak memory (measuring process)", figures["peak_mb"], "MB")
        assert figures["queries_full"] == figures["queries_small"], "the workbench's queries grow with the data"
        assert figures["cold_queries_full"] == figures["cold_queries_small"], "computing the lines: queries grow"
        # The target holds for the lines computed (after any change of the data), not only read back.
        verdict = "within" if max(figures["ratio"], figures["cold_ratio"]) <= 3.0 else "MISSES"
        print(f"  {label}: the workbench {verdict} the target of 3× the minimal page ({figures['cold_ratio']:.2f}× "
              f"when its lines are computed after a change, {figures['ratio']:.2f}× read from the cache)")


def _run_child(database_url):
    with tempfile.TemporaryDirectory(prefix="bench-workbench-") as data:
        env = dict(os.environ, GONGXIN_DATA_DIR=data, DJANGO_SETTINGS_MODULE="gongxin.settings",
                   GONGXIN_LEDGER_ORIGIN="bench.gongxin.invalid/ledger", GONGXIN_REQUIRE_ADMIN_OTP="0",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])))
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        out = subprocess.run([sys.executable, __file__, "--child"], env=env, capture_output=True, text=True)
        if out.returncode != 0:
            print(out.stdout[-3000:], out.stderr[-3000:])
            raise SystemExit("bench_workbench: the measuring child failed")
        return {name: float(value) for _r, name, value in
                (line.split("\t") for line in out.stdout.splitlines() if line.startswith("R\t"))}


def _pg_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
        return True
    except Exception:
        return False


def _create_pg_database() -> str:
    import psycopg

    name = f"gx_i19a_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def _drop_pg_database(url: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


# ---- the child: one database, measured ------------------------------------------------------

def child() -> None:
    import datetime as dt
    import random
    import resource
    import statistics
    import time
    import types

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.http import HttpResponse
    from django.template import engines
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import include, path
    from django.utils import timezone

    from gongxin.accounts.models import User
    from gongxin.accounts.roles import DataScope, Role
    from gongxin.assessment.models import Accountability
    from gongxin.cases.models import Candidate, Case, CasePost, Channel, RuleSet
    from gongxin.core.db import analyze_after_bulk_load
    from gongxin.inspection.models import ProblemFile, ReviewDepartment, ReviewRequest
    from gongxin.meetings.models import Meeting
    from gongxin.people import actions, idnumber
    from gongxin.people.models import Cadre, OrgUnitKind, Post, Rank
    from gongxin.people.names import search_keys
    from gongxin.publicity.models import Appointment, Feedback, Notice, NoticeKind, NoticeStatus

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    today = timezone.localdate()
    root = actions.create_org_unit(acting_user=None, name="县委", kind=OrgUnitKind.ORGAN)
    towns = [actions.create_org_unit(acting_user=None, name=f"第{i}镇", kind=OrgUnitKind.TOWNSHIP, parent=root)
             for i in range(40)]
    ranks = list(Rank.objects.all())
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海峰"
    fields = ["name", "name_pinyin", "name_initials", "sex", "birth_date", "ethnicity", "native_place", "birthplace",
              "political_status", "health", "fulltime_education", "current_post_title", "id_number", "org_unit_id",
              "rank_id", "status", "created_at", "updated_at"]
    defaults = {f.name: f.get_default() for f in Cadre._meta.fields}
    extra = [f.column for f in Cadre._meta.concrete_fields
             if f.column not in fields and f.name not in fields and not f.primary_key and not f.null
             and f.column not in ("org_unit_id", "rank_id")]
    seen = set()

    def load_cadres(count):
        rows = []
        now = dt.datetime.now(dt.UTC)
        while len(rows) < count:
            name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2))))
            sex = rng.choice("MF")
            birth = dt.date(1966, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 35))
            number = idnumber.make("371621", birth, sex, rng)
            if number in seen:
                continue
            seen.add(number)
            full, initials = search_keys(name)
            rows.append((name, full, initials, sex, birth, "汉族", "山东惠民", "山东惠民", "cpc", "健康", "bachelor", "科员",
                         number, rng.choice(towns).pk, rng.choice(ranks).pk, "active", now, now,
                         *(defaults[c] if defaults.get(c) is not None else "" for c in extra)))
        cols = fields + extra
        sql = f'INSERT INTO {Cadre._meta.db_table} ({", ".join(cols)}) VALUES ({", ".join(["%s"] * len(cols))})'
        with transaction.atomic(), connection.cursor() as cursor:
            for i in range(0, len(rows), 10_000):
                cursor.executemany(sql, rows[i:i + 10_000])

    rule_set = RuleSet.objects.order_by("-version").first()
    departments = list(ReviewDepartment.objects.all())
    posts = [Post.objects.create(org_unit=t, title="镇长", rank=ranks[0]) for t in towns[:10]]

    def add_workload(k):
        """k of each kind of to-do the county clerk's workbench reads."""
        cadres = list(Cadre.objects.order_by("?").values_list("pk", flat=True)[:k * 3])
        for i in range(k):
            unit = towns[i % len(towns)]
            case = Case.objects.create(title=f"选任案件{uuid.uuid4().hex[:6]}", org_unit=unit, rule_set=rule_set,
                                       stage="inspection", channels=[Channel.OPEN_NOMINATION])
            CasePost.objects.create(case=case, post=posts[i % len(posts)])
            cand = Candidate.objects.create(case=case, cadre_id=cadres[i], channel=Channel.OPEN_NOMINATION)
            ReviewRequest.objects.bulk_create([
                ReviewRequest(candidate=cand, department=d, deadline=today + dt.timedelta(days=rng.randrange(-9, 9)))
                for d in departments])
            notice = Notice.objects.create(kind=NoticeKind.PRE_APPOINTMENT, title=f"任前公示{case.pk}", org_unit=unit,
                                           status=NoticeStatus.PUBLISHED, case_id=case.pk,
                                           period_start=today - dt.timedelta(days=5),
                                           period_end=today + dt.timedelta(days=rng.randrange(-2, 3)))
            Feedback.objects.create(notice=notice, code=uuid.uuid4().hex[:16], category="conduct", text="反映情况")
            Appointment.objects.create(cadre_id=cadres[k + i], post=posts[i % len(posts)], org_unit=unit,
                                       start=today - dt.timedelta(days=340), probation_status="on_probation",
                                       probation_end=today + dt.timedelta(days=rng.randrange(-3, 25)))
            ProblemFile.objects.create(cadre_id=cadres[2 * k + i], channel="letter", text="反映问题")
            Meeting.objects.create(title=f"推荐会议{case.pk}", org_unit=unit, status="draft",
                                   meeting_date=today + dt.timedelta(days=rng.randrange(0, 7)))
            Accountability.objects.create(cadre_id=cadres[i], facts="问责事实", opened_on=today)

    clerk = User.objects.create_user("county_clerk", password="x", role=Role.CLERK, data_scope=DataScope.ALL,
                                     full_name="县级经办人")
    clerk.org_units.set([root])

    table_template = engines["django"].from_string(
        "<table>{% for r in rows %}<tr><td>{{ r.0 }}</td><td>{{ r.1 }}</td><td>{{ r.2 }}</td><td>{{ r.3 }}</td>"
        "<td>{{ r.4 }}</td><td>{{ r.5 }}</td><td>{{ r.6 }}</td><td>{{ r.7 }}</td></tr>{% endfor %}</table>")
    fixed_rows = [(f"姓名{i}", "男", "1985.06", "汉族", "中共党员", "大学本科", "某镇", "科员") for i in range(50)]

    def baseline(request):
        return HttpResponse(table_template.render({"rows": fixed_rows}))

    urls = types.ModuleType("bench_workbench_urls")
    urls.urlpatterns = [path("bench-baseline/", baseline), path("", include("gongxin.urls"))]
    sys.modules["bench_workbench_urls"] = urls

    from gongxin.workbench.cache import bump

    def queries(client):
        """(queries with the lines in the cache, queries computing them, lines)."""
        client.get("/")  # reminders for new lines made once
        counts = []
        for cold in (False, True):
            if cold:
                bump()  # as any save does: the lines are computed again
            with CaptureQueriesContext(connection) as ctx:
                response = client.get("/")
            assert response.status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts[0], counts[1], response.content.decode().count('<li class="wb-item')

    def timed_cold(client):
        bump()
        return timed(client, "/")

    def timed(client, url):
        t = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - t) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    with override_settings(ROOT_URLCONF="bench_workbench_urls", ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(clerk)
        load_cadres(SMALL_N)
        add_workload(5)
        analyze_after_bulk_load()
        queries_small, cold_small, _lines = queries(client)
        load_cadres(N - SMALL_N)
        add_workload(200)
        analyze_after_bulk_load()
        queries_full, cold_full, lines = queries(client)
        for url in ("/bench-baseline/", "/"):
            timed(client, url)  # warm
        if os.environ.get("BENCH_PROFILE"):
            _profile(client, clerk, bump, os.environ["BENCH_PROFILE"])
            raise SystemExit(1)
        base_all, wb_all, cold_all, ratios, cold_ratios = [], [], [], [], []
        for _round in range(ROUNDS):
            base = [timed(client, "/bench-baseline/") for _ in range(PER_ROUND)]
            wb = [timed(client, "/") for _ in range(PER_ROUND)]
            cold = [timed_cold(client) for _ in range(PER_ROUND)]
            base_all += base
            wb_all += wb
            cold_all += cold
            ratios.append(statistics.median(wb) / statistics.median(base))
            cold_ratios.append(statistics.median(cold) / statistics.median(base))
    from _child import emit

    emit("baseline", statistics.median(base_all))
    emit("workbench", statistics.median(wb_all))
    emit("ratio", statistics.median(ratios))
    emit("cold", statistics.median(cold_all))
    emit("cold_ratio", statistics.median(cold_ratios))
    emit("queries_small", queries_small)
    emit("queries_full", queries_full)
    emit("cold_queries_small", cold_small)
    emit("cold_queries_full", cold_full)
    emit("lines", lines)
    emit("peak_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _profile(client, user, bump, path: str) -> None:
    """BENCH_PROFILE=path: the computed case (the cache bumped before each request) profiled over
    20 requests (path.pstats); in path, one computed request's queries, slowest first, and each
    of the plan's statements timed alone (best of 20) with its EXPLAIN (ANALYZE, BUFFERS)."""
    import cProfile
    import pstats
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from gongxin.workbench import items, plan

    profile = cProfile.Profile()
    for _ in range(20):
        bump()
        profile.runcall(client.get, "/")
    with open(path + ".pstats", "w") as out:
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(40)
    bump()
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    statements = plan.plan_for(user, timezone.localdate(), items.providers()).statements()
    with open(path, "w") as out:
        print(f"{len(ctx.captured_queries)} queries computing the lines, slowest first:", file=out)
        for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"])):
            print(q["time"], (q["sql"] or "")[:200], file=out)
        with connection.cursor() as cursor:
            for statement in statements:
                sql, params = statement.sql, statement.params
                best = float("inf")
                for _ in range(20):
                    t = time.perf_counter()
                    cursor.execute(sql, params)
                    cursor.fetchall()
                    best = min(best, (time.perf_counter() - t) * 1000)
                print(f"\n--- {statement.model.__name__}: {best:.2f} ms alone, sent unprepared (best of 20)", file=out)
                print(sql[:1500], file=out)
                if connection.vendor == "postgresql":
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                    print("\n".join(row[0] for row in cursor.fetchall()), file=out)


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.path.insert(0, str(SRC))
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        child()
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        sys.path.insert(0, str(SRC))

        def _print(figure, value, unit, baseline_name=None, baseline_value=None, note=""):
            base = f"   baseline {baseline_name}: {baseline_value:.4g} {unit}   ratio {value / baseline_value:.2f}×" \
                if baseline_value else ""
            print(f"  {figure}: {value:.4g} {unit}{base}{('   ' + note) if note else ''}", flush=True)

        main(_print)
