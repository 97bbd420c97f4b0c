"""Reserve pool at scale: the composition table over 20,000 reserve cadres against a plain SQL
GROUP BY of the same counts (target ≤ 3×), and the pool list page with 200,000 cadres in the pool
against a minimal Django page of the same table (signed in, 50 pool rows with their cadres read
in the list's order, an 8-column template; target ≤ 2×; the static page with no sign-in and no
database reported beside it); baseline and product
interleaved round by round, median of the per-round ratios; the child's peak memory.
SQLite, and PostgreSQL when reachable (a child process each, a throwaway database).

BENCH_RESERVE_POOL / BENCH_RESERVE_COMPOSITION override 200,000 / 20,000."""

import os
import sys
from pathlib import Path

POOL = int(os.environ.get("BENCH_RESERVE_POOL", 200_000))
COMPOSITION = int(os.environ.get("BENCH_RESERVE_COMPOSITION", 20_000))
ROUNDS = 15
PG_URL = os.environ.get("BENCH_PG_URL_RESERVE", f"postgres://postgres@127.0.0.1:5432/gx_bench_reserve_{os.getpid()}")
ROUNDS = max(3, int(os.environ.get("BENCH_ROUNDS", ROUNDS)))


def main(report):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _cadres import pg_reachable as _pg_reachable
    from _cadres import run_child

    print(f"  scope: composition over {COMPOSITION:,} reserve cadres; pool list with {POOL:,} in the pool (page 1, a deep "
          f"page by next link and by jump), {ROUNDS} interleaved rounds; SQLite and PostgreSQL", flush=True)
    for label, url in (("sqlite", None), ("postgresql", PG_URL)):
        if url and not _pg_reachable():
            print("  postgresql: not reachable, skipped")
            continue
        if url:
            _pg("CREATE", url)
        try:
            f = run_child(__file__, prefix="reserve", database_url=url)
        finally:
            if url:
                _pg("DROP", url)
        report(f"{label} composition table ({COMPOSITION:,} reserve cadres) median", f["composition"], "ms",
               "plain GROUP BY of the same counts", f["group_by"], note=f"median per-round ratio {f['composition_ratio']:.2f}×")
        print(f"  {label} minimal page of the same table: {f['baseline']:.3g} ms, {int(f['baseline_q'])} queries; "
              f"static page: {f['static']:.3g} ms", flush=True)
        report(f"{label} pool list page ({POOL:,} in the pool) median", f["pool_page"], "ms", "minimal 50-row view",
               f["baseline"], note=f"median per-round ratio {f['pool_ratio']:.2f}×, {int(f['pool_page_q'])} queries; "
                                   f"to the static page {f['pool_page_static']:.2f}×")
        for name, what in (("pool_deep_next", f"deep page {int(f['deep_page'])} by its next link"),
                           ("pool_deep_jump", f"jump to page {int(f['deep_page'])}")):
            report(f"{label} pool list {what} median", f[name], "ms", "minimal 50-row view", f["baseline"],
                   note=f"median per-round ratio {f[name + '_ratio']:.2f}×, {int(f[name + '_q'])} queries "
                        f"(page 1: {int(f['pool_page_q'])}); to the static page {f[name + '_static']:.2f}×")
        report(f"{label} pool list filtered (tier 1, women, ≤40) median", f["pool_filtered"], "ms", "minimal 50-row view",
               f["baseline"], note=f"median per-round ratio {f['pool_filtered_ratio']:.2f}×; "
                                   f"to the static page {f['pool_filtered_static']:.2f}×")
        report(f"{label} load {POOL:,} cadres + pool", f["load_s"], "s")
        report(f"{label} child peak memory", f["peak_mb"], "MB")


def _pg(verb: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if verb == "CREATE":
            conn.execute(f'CREATE DATABASE "{name}"')


# ---- the child: one database, measured ------------------------------------------------------

def child() -> None:
    import datetime as dt
    import random
    import resource
    import statistics
    import time

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client, override_settings

    from gongxin.accounts.models import User
    from gongxin.accounts.roles import DataScope, Role
    from gongxin.core.db import analyze_after_bulk_load
    from gongxin.people import actions, idnumber
    from gongxin.people.models import Cadre, OrgUnitKind, Rank
    from gongxin.reserve import queries
    from gongxin.reserve.models import ReserveCadre

    call_command("migrate", verbosity=0)
    rng = random.Random(14)
    root = actions.create_org_unit(acting_user=None, name="县委", kind=OrgUnitKind.ORGAN)
    units = []
    for i, kind in enumerate([OrgUnitKind.TOWNSHIP] * 12 + [OrgUnitKind.DEPARTMENT] * 20 + [OrgUnitKind.INSTITUTION] * 8):
        unit = actions.create_org_unit(acting_user=None, name=f"单位{i}", kind=kind, parent=root)
        units.append(unit)
        units.append(actions.create_org_unit(acting_user=None, name=f"单位{i}办公室", kind=OrgUnitKind.SECTION,
                                             parent=unit))
    ranks = list(Rank.objects.filter(level__lte=30))
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海峰"
    from gongxin.people.names import search_keys

    started = time.perf_counter()
    fields = ["name", "name_pinyin", "name_initials", "sex", "birth_date", "ethnicity", "political_status",
              "fulltime_education", "current_post_title", "id_number", "org_unit_id", "rank_id", "status",
              "created_at", "updated_at", "native_place", "birthplace", "health", "professional_title", "expertise",
              "fulltime_degree", "fulltime_education_school", "fulltime_degree_school", "parttime_education",
              "parttime_degree", "parttime_education_school", "parttime_degree_school", "proposed_post_title",
              "proposed_removal_title", "rewards_and_punishments", "annual_assessment_text", "appointment_reason",
              "reporting_unit", "form_filled_by", "photo_type", "lrmx_version"]
    now = dt.datetime.now(dt.UTC)
    seen, rows = set(), []
    while len(rows) < POOL:
        name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2))))
        sex = rng.choice("MFM")
        birth = dt.date(1981, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 20))
        number = idnumber.make("371621", birth, sex, rng)
        if number in seen:
            continue
        seen.add(number)
        full, initials = search_keys(name)
        rows.append((name, full, initials, sex, birth, "汉族", rng.choice(["cpc"] * 8 + ["non_party", "masses"]),
                     rng.choice(["bachelor", "bachelor", "master", "associate"]), "科员", number,
                     rng.choice(units).pk, rng.choice(ranks).pk, "active", now, now, *([""] * 21)))
    table = Cadre._meta.db_table
    sql = f'INSERT INTO {table} ({", ".join(fields)}) VALUES ({", ".join(["%s"] * len(fields))})'
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(0, len(rows), 10_000):
            cursor.executemany(sql, rows[i:i + 10_000])
    cadre_ids = list(Cadre.objects.order_by("id").values_list("id", flat=True))
    target = Rank.objects.get(code="zhengke").pk
    r_fields = ["cadre_id", "tier", "target_rank_id", "source", "source_note", "entered_on", "profile", "ready_soon",
                "status", "exit_reason", "exit_note", "entry_check", "created_at"]
    r_sql = (f'INSERT INTO {ReserveCadre._meta.db_table} ({", ".join(r_fields)}) '
             f'VALUES ({", ".join(["%s"] * len(r_fields))})')

    def add_pool(ids):
        with transaction.atomic(), connection.cursor() as cursor:
            batch = [(cid, rng.choice((1, 2, 2, 3, 3, 3)), target, "organisation", "", dt.date(2026, 1, 10), "",
                      rng.random() < 0.3, "active", "", "", "[]", now) for cid in ids]
            for i in range(0, len(batch), 10_000):
                cursor.executemany(r_sql, batch[i:i + 10_000])
        analyze_after_bulk_load()

    add_pool(cadre_ids[:COMPOSITION])
    load_s = time.perf_counter() - started

    # ---- composition vs a plain GROUP BY of the same counts --------------------------------
    unit_t, cadre_t, reserve_t = "people_orgunit", table, ReserveCadre._meta.db_table
    ago40, ago35 = queries.years_ago(dt.date.today(), 40), queries.years_ago(dt.date.today(), 35)
    group_by_sql = f"""
        SELECT r.tier, CASE WHEN u.kind = 'section' THEN p.kind ELSE u.kind END AS k, COUNT(*),
               SUM(CASE WHEN c.sex = 'F' THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.political_status NOT IN ('cpc', 'cpc_probationary') THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.birth_date > %s THEN 1 ELSE 0 END), SUM(CASE WHEN c.birth_date > %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.fulltime_education IN ('bachelor', 'master', 'doctor') THEN 1 ELSE 0 END),
               SUM(CASE WHEN r.ready_soon THEN 1 ELSE 0 END)
        FROM {reserve_t} r JOIN {cadre_t} c ON c.id = r.cadre_id JOIN {unit_t} u ON u.id = c.org_unit_id
        LEFT JOIN {unit_t} p ON p.id = u.parent_id
        WHERE r.status = 'active' GROUP BY 1, 2 ORDER BY 1, 2"""

    def plain():
        with connection.cursor() as cursor:
            cursor.execute(group_by_sql, [ago40, ago35])
            return cursor.fetchall()

    product_rows = queries.composition_table(None)
    plain_rows = plain()
    assert sum(r[2] for r in plain_rows) == product_rows[-1].total == COMPOSITION, "the two counts differ"
    assert sum(r[3] for r in plain_rows) == product_rows[-1].cells[0].count

    def timed(fn):
        t = time.perf_counter()
        fn()
        return (time.perf_counter() - t) * 1000

    comp, base, ratios = [], [], []
    for _ in range(ROUNDS):
        b = timed(plain)
        p = timed(lambda: queries.composition_table(None))
        comp.append(p)
        base.append(b)
        ratios.append(p / b)
    figures = {"composition": statistics.median(comp), "group_by": statistics.median(base),
               "composition_ratio": statistics.median(ratios)}

    # ---- the pool list page with everyone in the pool --------------------------------------
    t = time.perf_counter()
    add_pool(cadre_ids[COMPOSITION:])
    load_s += time.perf_counter() - t
    assert ReserveCadre.objects.count() == POOL
    admin = User.objects.create_user("admin", password="x", role=Role.ORG_ADMIN, data_scope=DataScope.ALL)
    from _cadres import bench_urlconf, table_baseline_view

    table = table_baseline_view("reserve.ReserveCadre", (
        "cadre__name", "cadre__sex", "cadre__political_status", "cadre__fulltime_education", "cadre__current_post_title",
        "cadre__org_unit__name", "source", "status"), ("tier", "id"), status="active")
    with override_settings(ROOT_URLCONF=bench_urlconf("bench_reserve_urls", table), ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(admin)

        def get(url, data=None):
            t = time.perf_counter()
            response = client.get(url, data)
            assert response.status_code == 200, (url, response.status_code)
            return (time.perf_counter() - t) * 1000

        import re

        from _cadres import interleave
        from django.db import connection as conn
        from django.test.utils import CaptureQueriesContext

        filtered = {"tier": 1, "sex": "F", "age_max": 40}
        deep = max(2, POOL // 50 // 2)
        get("/reserve/")
        html = client.get("/reserve/", {"page": deep - 1}).content.decode()
        next_url = "/reserve/" + re.search(r'<a href="(\?[^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
        expected = list(ReserveCadre.objects.filter(status="active").order_by("tier", "id")
                        .values_list("pk", flat=True)[(deep - 1) * 50:deep * 50])
        for url in (next_url, f"/reserve/?page={deep}"):
            shown = [int(x) for x in re.findall(r'href="/reserve/(\d+)/"', client.get(url).content.decode())]
            assert shown == expected, (url, shown[:3], expected[:3])
        cases = {"baseline": lambda: get("/bench-baseline/"), "static": lambda: get("/bench-static/"),
                 "pool_page": lambda: get("/reserve/"),
                 "pool_deep_next": lambda: get(next_url), "pool_deep_jump": lambda: get("/reserve/", {"page": deep}),
                 "pool_filtered": lambda: get("/reserve/", filtered)}
        for name, fn in cases.items():
            fn()
            with CaptureQueriesContext(conn) as queries:
                fn()
            figures[f"{name}_q"] = len(queries)
        assert figures["pool_page_q"] == figures["pool_deep_next_q"] == figures["pool_deep_jump_q"]
        for name, (ms, ratio, to_static) in interleave(cases, ROUNDS, also="static").items():
            figures[name] = ms
            figures[f"{name}_ratio"] = ratio
            figures[f"{name}_static"] = to_static
    figures["pool_ratio"] = figures["pool_page_ratio"]
    figures.update({"deep_page": deep, "load_s": load_s,
                    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
    from _cadres import emit

    for name, value in figures.items():
        emit(name, value)


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        child()
