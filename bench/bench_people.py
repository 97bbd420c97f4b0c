"""The cadre list with 200,000 cadres: the list page and a pinyin search, median latency,
beside a minimal Django view rendering a 50-row table in the same process (same middleware,
same client). Runs on SQLite, and on PostgreSQL when it is reachable (a child process each).

BENCH_PEOPLE_N overrides the 200,000."""

import os
import sys
from pathlib import Path

N = int(os.environ.get("BENCH_PEOPLE_N", 200_000))
REPEAT = 15
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/gongxin_bench_people")


def main(report):
    for label, url in (("sqlite", None), ("postgresql", PG_URL)):
        if url and not _pg_reachable():
            print("  postgresql: not reachable, skipped")
            continue
        if url:
            _recreate_pg_database(url)
        from _child import run_child

        figures = run_child(__file__, prefix="people", database_url=url)
        base = figures["baseline"]
        for name in ("list", "list_township_clerk", "search_initials", "search_pinyin", "search_chinese"):
            report(f"{label} {name} ({N:,} cadres) median", figures[name], "ms", "minimal 50-row view", base)
        report(f"{label} load {N:,} cadres", figures["load_s"], "s")


def _pg_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
        return True
    except Exception:
        return False


def _recreate_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


# ---- the child: one database, measured ------------------------------------------------------

def child() -> None:
    import datetime as dt
    import random
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
    from django.urls import include, path

    from gongxin.accounts.models import User
    from gongxin.accounts.roles import DataScope, Role
    from gongxin.people import actions, idnumber
    from gongxin.people.models import Cadre, OrgUnitKind, Rank
    from gongxin.people.names import search_keys

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    root = actions.create_org_unit(acting_user=None, name="县委", kind=OrgUnitKind.ORGAN)
    towns = [actions.create_org_unit(acting_user=None, name=f"第{i}镇", kind=OrgUnitKind.TOWNSHIP, parent=root)
             for i in range(40)]
    ranks = list(Rank.objects.all())
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海峰"

    started = time.perf_counter()
    fields = ["name", "name_pinyin", "name_initials", "sex", "birth_date", "ethnicity", "native_place", "birthplace",
              "political_status", "health", "professional_title", "expertise", "fulltime_education", "fulltime_degree",
              "fulltime_education_school", "fulltime_degree_school", "parttime_education", "parttime_degree",
              "parttime_education_school", "parttime_degree_school", "current_post_title", "proposed_post_title",
              "proposed_removal_title", "rewards_and_punishments", "annual_assessment_text", "appointment_reason",
              "reporting_unit", "form_filled_by", "id_number", "photo_type", "org_unit_id", "rank_id", "status",
              "lrmx_version", "created_at", "updated_at"]
    now = dt.datetime.now(dt.UTC)
    seen = set()
    rows = []
    while len(rows) < N:
        name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2))))
        sex = rng.choice("MF")
        birth = dt.date(1966, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 35))
        number = idnumber.make("371621", birth, sex, rng)
        if number in seen:
            continue
        seen.add(number)
        full, initials = search_keys(name)
        rows.append((name, full, initials, sex, birth, "汉族", "山东惠民", "山东惠民", "cpc", "健康", "", "",
                     "bachelor", "", "", "", "", "", "", "", "科员", "", "", "", "", "", "", "", number, "",
                     rng.choice(towns).pk, rng.choice(ranks).pk, "active", "", now, now))
    table = Cadre._meta.db_table
    sql = f'INSERT INTO {table} ({", ".join(fields)}) VALUES ({", ".join(["%s"] * len(fields))})'
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(0, len(rows), 10_000):
            cursor.executemany(sql, rows[i:i + 10_000])
    from gongxin.core.db import analyze_after_bulk_load

    analyze_after_bulk_load()
    load_s = time.perf_counter() - started

    admin = User.objects.create_user("admin", password="x", role=Role.ORG_ADMIN, data_scope=DataScope.ALL)
    clerk = User.objects.create_user("clerk", password="x", role=Role.CLERK, data_scope=DataScope.SUBTREE)
    clerk.org_units.set([towns[3]])

    table_template = engines["django"].from_string(
        "<table>{% for r in rows %}<tr><td>{{ r.0 }}</td><td>{{ r.1 }}</td><td>{{ r.2 }}</td><td>{{ r.3 }}</td>"
        "<td>{{ r.4 }}</td><td>{{ r.5 }}</td><td>{{ r.6 }}</td><td>{{ r.7 }}</td></tr>{% endfor %}</table>")
    fixed_rows = [(f"姓名{i}", "男", "1985.06", "汉族", "中共党员", "大学本科", "某镇", "科员") for i in range(50)]

    def baseline(request):
        return HttpResponse(table_template.render({"rows": fixed_rows}))

    urls = types.ModuleType("bench_people_urls")
    urls.urlpatterns = [path("bench-baseline/", baseline), path("", include("gongxin.urls"))]
    sys.modules["bench_people_urls"] = urls

    def median_ms(client, url, data=None):
        client.get(url, data)  # warm
        samples = []
        for _ in range(REPEAT):
            t = time.perf_counter()
            response = client.get(url, data)
            samples.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return statistics.median(samples)

    with override_settings(ROOT_URLCONF="bench_people_urls", ALLOWED_HOSTS=["testserver"]):
        admin_client, clerk_client = Client(), Client()
        admin_client.force_login(admin)
        clerk_client.force_login(clerk)
        figures = {
            "baseline": median_ms(admin_client, "/bench-baseline/"),
            "list": median_ms(admin_client, "/people/cadres/"),
            "list_township_clerk": median_ms(clerk_client, "/people/cadres/"),
            "search_initials": median_ms(admin_client, "/people/cadres/", {"q": "zw"}),
            "search_pinyin": median_ms(admin_client, "/people/cadres/", {"q": "zhangwei"}),
            "search_chinese": median_ms(admin_client, "/people/cadres/", {"q": "张伟"}),
            "load_s": load_s,
        }
    from _child import emit

    for name, value in figures.items():
        emit(name, value)


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        child()
