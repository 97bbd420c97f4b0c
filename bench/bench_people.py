"""The cadre list at 200,000 cadres against a minimal 50-row Django page of the same table
(signed in, 50 rows read in the list's order, an 8-column template; target ≤ 2×; the static page
with no sign-in and no database is reported beside it): page 1,
a deep page reached by its "next" link and by "jump to page", a township clerk's page 1 and three
searches; baseline and product interleaved round by round (median of the per-round ratios),
query counts checked equal on page 1 and the deep page, the deep page's rows checked against an
OFFSET query. SQLite, and PostgreSQL when reachable (a child process each, a uniquely named
throwaway database dropped afterwards).

BENCH_PEOPLE_N overrides the 200,000; BENCH_ROUNDS the 9 rounds."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
N = int(os.environ.get("BENCH_PEOPLE_N", 200_000))
ROUNDS = max(3, int(os.environ.get("BENCH_ROUNDS", 9)))
CASES = ("page1", "deep_next", "deep_jump", "clerk_page1", "search_initials", "search_pinyin", "search_chinese")


def main(report):
    from _cadres import pg_create, pg_drop, pg_reachable, run_child, unique_pg_url

    print(f"  scope: cadre list, {N:,} cadres, 50 rows a page, {ROUNDS} interleaved rounds, "
          "SQLite and PostgreSQL, in-process test client", flush=True)
    for label in ("sqlite", "postgresql"):
        url = None
        if label == "postgresql":
            if not pg_reachable():
                print("  postgresql: not reachable, skipped")
                continue
            url = unique_pg_url("people")
            pg_create(url)
        try:
            f = run_child(__file__, prefix="people", database_url=url)
        finally:
            if url:
                pg_drop(url)
        print(f"  {label} minimal page of the same table: {f['baseline']:.3g} ms, {int(f['baseline_q'])} queries; "
              f"static page: {f['static']:.3g} ms", flush=True)
        for name in CASES:
            report(f"{label} cadre list {name} ({N:,} cadres) median", f[name], "ms", "minimal 50-row page",
                   f["baseline"], note=f"median per-round ratio {f[name + '_ratio']:.2f}×, {int(f[name + '_q'])} queries; "
                                       f"to the static page {f[name + '_static']:.2f}×")
        report(f"{label} cadre list jump to page {int(f['deep_page'])}, first time (uncached)", f["jump_cold"], "ms",
               "minimal 50-row page", f["baseline"])
        report(f"{label} load {N:,} cadres", f["load_s"], "s")
        report(f"{label} child peak memory", f["peak_mb"], "MB")


def child() -> None:
    import re
    import time

    import django

    django.setup()
    from _cadres import (
        bench_urlconf,
        emit,
        interleave,
        load_cadres,
        peak_mb,
        say,
        table_baseline_view,
    )
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from gongxin.accounts.models import User
    from gongxin.accounts.roles import DataScope, Role
    from gongxin.people.models import Cadre

    call_command("migrate", verbosity=0)
    _root, towns, load_s = load_cadres(N)
    admin = User.objects.create_user("admin", password="x", role=Role.ORG_ADMIN, data_scope=DataScope.ALL)
    clerk = User.objects.create_user("clerk", password="x", role=Role.CLERK, data_scope=DataScope.SUBTREE)
    clerk.org_units.set([towns[3]])
    pages = -(-N // 50)
    deep = max(2, pages // 2)
    figures = {"load_s": load_s, "deep_page": deep}

    table = table_baseline_view("people.Cadre", ("name", "sex", "ethnicity", "political_status", "fulltime_education",
                                                  "current_post_title", "native_place", "name_pinyin"),
                                ("name_pinyin", "id"), status="active")
    with override_settings(ROOT_URLCONF=bench_urlconf("bench_people_urls", table), ALLOWED_HOSTS=["testserver"]):
        admin_client, clerk_client = Client(), Client()
        admin_client.force_login(admin)
        clerk_client.force_login(clerk)

        def fetch(client, url, data=None):
            response = client.get(url, data)
            assert response.status_code == 200, (url, response.status_code)
            return response

        def timer(client, url, data=None):
            def run():
                t = time.perf_counter()
                fetch(client, url, data)
                return (time.perf_counter() - t) * 1000
            return run

        fetch(admin_client, "/people/cadres/")
        t = time.perf_counter()
        fetch(admin_client, "/people/cadres/", {"page": deep})
        figures["jump_cold"] = (time.perf_counter() - t) * 1000
        before = fetch(admin_client, "/people/cadres/", {"page": deep - 1}).content.decode()
        next_url = "/people/cadres/" + re.search(r'<a href="(\?[^"]+)" rel="next"', before).group(1).replace("&amp;", "&")
        # the deep page holds the rows an OFFSET query puts there
        expected = list(Cadre.objects.filter(status="active").order_by("name_pinyin", "id")
                        .values_list("pk", flat=True)[(deep - 1) * 50:deep * 50])
        for url in (next_url, f"/people/cadres/?page={deep}"):
            html = fetch(admin_client, url).content.decode()
            shown = [int(x) for x in re.findall(r'href="/people/cadres/(\d+)/"', html)]
            assert shown == expected, (url, shown[:3], expected[:3])
        say(f"deep page {deep}: its 50 rows are those OFFSET {(deep - 1) * 50:,} gives, by next link and by jump")

        cases = {
            "baseline": timer(admin_client, "/bench-baseline/"),
            "static": timer(admin_client, "/bench-static/"),
            "page1": timer(admin_client, "/people/cadres/"),
            "deep_next": timer(admin_client, next_url),
            "deep_jump": timer(admin_client, "/people/cadres/", {"page": deep}),
            "clerk_page1": timer(clerk_client, "/people/cadres/"),
            "search_initials": timer(admin_client, "/people/cadres/", {"q": "zw"}),
            "search_pinyin": timer(admin_client, "/people/cadres/", {"q": "zhangwei"}),
            "search_chinese": timer(admin_client, "/people/cadres/", {"q": "张伟"}),
        }
        for name, fn in cases.items():
            fn()
            with CaptureQueriesContext(connection) as queries:
                fn()
            figures[f"{name}_q"] = len(queries)
        assert figures["page1_q"] == figures["deep_next_q"] == figures["deep_jump_q"], \
            ("the deep page takes more queries than page 1", figures["page1_q"], figures["deep_next_q"])
        for name, (ms, ratio, to_static) in interleave(cases, ROUNDS, also="static").items():
            figures[name] = ms
            figures[f"{name}_ratio"] = ratio
            figures[f"{name}_static"] = to_static
    figures["peak_mb"] = peak_mb()
    for name, value in figures.items():
        emit(name, value)


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
