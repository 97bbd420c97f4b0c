"""The province on PostgreSQL (issue 20): ``gongxin province`` loads 1,000,000 cadres (16 cities, 140
counties, 50,000 cases with their events) into one new database and 200,000 cadres (the same
cadres per county: 3 cities, 28 counties, 10,000 cases) into another, each load timed. Two
``gongxin serve`` (2 workers × 4 threads; cache and sessions in Redis when it answers, as several
servers run) serve them, and wrk loads them over loopback at 20 connections, 10 s a page: the
minimal 50-row page, the cadre list as a province org_admin and as a county clerk (scope: one
county), a Chinese name search (the province's commonest two-character name, as the org_admin)
and a case page. Each page is loaded on the 200,000 server and the province server in turn (the
order alternating, 3 rounds, medians), logged in with real session cookies. Then each page is
requested in-process on each dataset with every SQL query caught (``execute_wrapper``) and run
again under EXPLAIN (ANALYZE, BUFFERS) three times; the three slowest on the province by
PostgreSQL's own execution time (the time seen from Django is mostly waiting for a core on a
loaded machine), with their plans, go to bench/results/province-<time>.md beside the figures.

BENCH_PROVINCE_CADRES (1,000,000), BENCH_PROVINCE_COUNTIES (140), BENCH_PROVINCE_CITIES (16),
BENCH_PROVINCE_CASES (50,000) size the province; BENCH_PROVINCE_SMALL (200,000) the other
dataset (cities, counties and cases scaled by the same ratio); BENCH_PROVINCE_SECONDS (10) the
wrk time; BENCH_PROVINCE_PORT (8150, and the next port); BENCH_REDIS_URL (redis://127.0.0.1:6379/15;
"none": the file cache). Every database, folder and cache key is named uniquely for the run and
removed afterwards."""

import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _wrk  # noqa: E402

HERE = Path(__file__).resolve().parent
CADRES = int(os.environ.get("BENCH_PROVINCE_CADRES", 1_000_000))
COUNTIES = int(os.environ.get("BENCH_PROVINCE_COUNTIES", 140))
CITIES = int(os.environ.get("BENCH_PROVINCE_CITIES", 16))
CASES = int(os.environ.get("BENCH_PROVINCE_CASES", 50_000))
SMALL = int(os.environ.get("BENCH_PROVINCE_SMALL", 200_000))
SECONDS = int(os.environ.get("BENCH_PROVINCE_SECONDS", 10))
PORT = int(os.environ.get("BENCH_PROVINCE_PORT", 8150))
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
CONNECTIONS = 20
ROUNDS = 3
PAGES = ("baseline", "list_admin", "list_county", "search", "case")
LABELS = {"baseline": "minimal 50-row page", "list_admin": "cadre list, province org_admin",
          "list_county": "cadre list, county clerk", "search": "name search", "case": "case page"}
PASSWORD = "bench-" + "x" * 12


def sizes() -> dict:
    """The two datasets: (cadres, cities, counties, cases); the small one has the province's
    cadres per county."""
    ratio = SMALL / CADRES
    counties = max(1, round(COUNTIES * ratio))
    return {"province": (CADRES, CITIES, COUNTIES, CASES),
            "small": (SMALL, max(1, min(counties, round(CITIES * ratio))), counties, max(1, round(CASES * ratio)))}


def _env(data: str, secret: str, redis_url: str, cache_prefix: str) -> dict:
    env = dict(os.environ)
    env.update({"GONGXIN_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "gongxin.settings", "SECRET_KEY": secret,
                "GONGXIN_REQUIRE_ADMIN_OTP": "0", "GONGXIN_LEDGER_ORIGIN": "bench.gongxin.example/ledger",
                "GONGXIN_CACHE_PREFIX": cache_prefix,
                "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent / "src"), str(HERE),
                                                            env.get("PYTHONPATH")]))})
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _redis_answers(url: str) -> bool:
    if not url or url == "none":
        return False
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return True
    except Exception:
        return False


def _forget_cache(url: str, prefix: str) -> None:
    """Removes this run's cache keys (its own prefix), nothing else in that Redis database."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for i in range(0, len(keys), 500):
        client.delete(*keys[i:i + 500])


def _json_from(args: list[str], env: dict, what: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stdout[-3000:], out.stderr[-5000:])
        raise SystemExit(f"bench_province: {what} failed")
    return json.loads(next(x for x in out.stdout.splitlines() if x.startswith("JSON\t")).split("\t", 1)[1])


def main(report):
    from _child import pg_reachable, scope, temporary_pg_database

    if not shutil.which("wrk"):
        print("  wrk not installed (apt-get install wrk): skipped")
        return
    if not pg_reachable():
        print("  PostgreSQL not reachable: skipped (gongxin province loads with COPY)")
        return
    redis_url = REDIS if _redis_answers(REDIS) else ""
    size = sizes()
    scope(f"PostgreSQL, gongxin province at {CADRES:,} cadres ({COUNTIES} counties, {CASES:,} cases) beside "
          f"{SMALL:,} ({size['small'][2]} counties, {size['small'][3]:,} cases); gongxin serve (2×4) each, "
          f"{'Redis cache and sessions' if redis_url else 'file cache'}; wrk {CONNECTIONS} connections {SECONDS} s "
          f"per page, small and province in turn ({ROUNDS} rounds, order alternating, medians); p95 and req/s; "
          "slowest queries' plans in-process")
    data = tempfile.mkdtemp(prefix="gx-bench-province-")
    cache_prefix = f"gx_bench_province_{secrets.token_hex(5)}"
    env = _env(data, secrets.token_urlsafe(50), redis_url, cache_prefix)
    servers: list[subprocess.Popen] = []
    try:
        with temporary_pg_database("province") as big_url, temporary_pg_database("province_small") as small_url:
            urls = {"province": big_url, "small": small_url}
            try:
                _measure(report, urls, size, env, servers)
            finally:
                _stop(servers)
    finally:
        shutil.rmtree(data, ignore_errors=True)
        if redis_url:
            _forget_cache(redis_url, cache_prefix)


def _stop(servers: list) -> None:
    for server in servers:
        server.terminate()
    for server in servers:
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    servers.clear()


def _measure(report, urls: dict, size: dict, env: dict, servers: list) -> None:
    from _child import interleaved

    loaded = {}
    for name in ("small", "province"):
        cadres, cities, counties, cases = size[name]
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "gongxin", "province", "--database", urls[name],
                              "--cadres", str(cadres), "--cities", str(cities), "--counties", str(counties),
                              "--cases", str(cases)], env=env, capture_output=True, text=True)
        wall = time.perf_counter() - started
        if out.returncode != 0:
            print(out.stdout[-3000:], out.stderr[-5000:])
            raise SystemExit("bench_province: gongxin province failed")
        loaded[name] = float(re.search(r"total ([\d.]+) s", out.stdout).group(1))  # the load, migrate excluded
        loaded[f"{name}_wall"] = wall
        print(f"   gongxin province {cadres:,} cadres: {wall:.0f} s with migrate "
              f"({'; '.join(out.stdout.strip().splitlines()[:-1])})", flush=True)
    report(f"gongxin province, {size['province'][0]:,} cadres and {size['province'][3]:,} cases (load, after migrate)",
           loaded["province"], "s", note=f"target under 900 s; {loaded['province_wall']:.0f} s with migrate; "
           f"{size['small'][0]:,} cadres took {loaded['small']:.0f} s")

    prepared = {"province": _json_from(["--prepare"], dict(env, DATABASE_URL=urls["province"]), "prepare")}
    term = prepared["province"]["term"]
    prepared["small"] = _json_from(["--prepare", term], dict(env, DATABASE_URL=urls["small"]), "prepare")
    server_env = dict(env, DJANGO_SETTINGS_MODULE="bench_http_settings")
    ports = {"small": PORT, "province": PORT + 1}
    for name, port in ports.items():
        servers.append(subprocess.Popen([sys.executable, "-m", "gongxin", "serve", "--port", str(port), "--no-worker"],
                                        env=dict(server_env, DATABASE_URL=urls[name]), stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL))
    lua = tempfile.NamedTemporaryFile("w", prefix="gx-bench-province-", suffix=".lua", delete=False)
    lua.write(_wrk.LUA)
    lua.close()
    samples = {(name, page): [] for name in ports for page in PAGES}
    try:
        targets = {name: _pages(ports[name], prepared[name]) for name in ports}
        for name in ports:
            _wait_and_check(ports[name], targets[name])

        def load(name: str, page: str) -> float:
            rps, p95 = _load(targets[name][page], lua.name)
            samples[(name, page)].append((rps, p95))
            return p95 / 1000  # interleaved() takes it as the figure: the ratio is of p95

        for name in ports:  # warm every worker's connection and the caches
            for page in PAGES:
                _load(targets[name][page], lua.name, seconds=2)
        growth = {}
        for page in PAGES:
            _b, _p, growth[page] = interleaved(lambda page=page: load("small", page),
                                               lambda page=page: load("province", page), rounds=ROUNDS)
    finally:
        _stop(servers)
        os.unlink(lua.name)

    def med(name, page, i):
        return statistics.median(s[i] for s in samples[(name, page)])

    rows = []
    for page in PAGES:
        p95 = {name: med(name, page, 1) for name in ports}
        rps = {name: med(name, page, 0) for name in ports}
        base = {name: med(name, "baseline", 1) for name in ports}
        rows.append((page, p95, rps, base))
        report(f"province {LABELS[page]}: p95 at {CONNECTIONS} connections", p95["province"], "ms",
               f"{SMALL:,} dataset", p95["small"],
               note=f"req/s {rps['province']:.0f} (small {rps['small']:.0f}); {p95['province'] / base['province']:.1f}× "
                    f"the minimal page's p95 ({base['province']:.1f} ms); per-round p95 ratio median "
                    f"{growth[page]:.2f}")

    profiles = {name: _json_from(["--profile", json.dumps(prepared[name])], dict(env, DATABASE_URL=urls[name]),
                                 "profile") for name in ("province", "small")}
    path = _write_note(size, loaded, rows, prepared, profiles)
    print(f"   figures and plans: {path}", flush=True)


def _pages(port: int, prepared: dict) -> dict:
    base = f"http://127.0.0.1:{port}"
    admin = ["-H", f"Cookie: sessionid={prepared['admin_session']}"]
    clerk = ["-H", f"Cookie: sessionid={prepared['clerk_session']}"]
    return {
        "baseline": (base + "/bench-baseline/", [], "<table>"),
        "list_admin": (base + "/people/cadres/", admin, 'data-list="people.cadres"'),
        "list_county": (base + "/people/cadres/", clerk, prepared["county_cadre"]),
        "search": (base + "/people/cadres/?q=" + urllib.parse.quote(prepared["term"]), admin,
                   prepared["term_first"]),
        "case": (base + f"/cases/{prepared['case']}/", admin, prepared["case_title"]),
    }


def _wait_and_check(port: int, targets: dict) -> None:
    """Each page answers 200 with its own content (not a login redirect) before anything is measured."""
    import urllib.error
    import urllib.request

    _wrk.wait_until_serving(f"http://127.0.0.1:{port}/bench-baseline/", 240)
    opener = _wrk.no_redirect_opener()
    for name, (url, headers, marker) in targets.items():
        request = urllib.request.Request(url, headers=_wrk.header_dict(headers))
        try:
            with opener.open(request, timeout=120) as response:
                body = response.read().decode()
        except urllib.error.HTTPError as exc:
            raise SystemExit(f"bench_province: {name} ({url}) answered {exc.code}, not 200") from exc
        if marker not in body:
            raise SystemExit(f"bench_province: {name} ({url}) answered without {marker!r}")


def _load(target, lua: str, seconds: int | None = None) -> tuple[float, float]:
    url, headers, _marker = target
    rps, p95, bad, total = _wrk.run(url, headers, lua, threads=2, connections=CONNECTIONS, seconds=seconds or SECONDS)
    if bad or not (total or seconds):  # a warm-up may see none complete
        raise SystemExit(f"bench_province: {url}: {bad} of {total} requests failed, or none completed")
    return rps, p95


def _write_note(size, loaded, rows, prepared, profiles) -> Path:
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    path = out / f"province-{time.strftime('%Y%m%d-%H%M%S')}.md"
    big, small = size["province"], size["small"]
    lines = [f"# The province on PostgreSQL ({time.strftime('%Y-%m-%d %H:%M')}, load {os.getloadavg()[0]:.1f})", "",
             f"gongxin province: {big[0]:,} cadres, {big[2]} counties, {big[3]:,} cases in {loaded['province']:.0f} s; "
             f"{small[0]:,} cadres, {small[2]} counties, {small[3]:,} cases in {loaded['small']:.0f} s.",
             f"County clerk's county: {prepared['province']['county_cadres']:,} cadres in the province, "
             f"{prepared['small']['county_cadres']:,} in the small dataset. Search "
             f"q={prepared['province']['term']}: {prepared['province']['term_matches']:,} matches in the province, "
             f"{prepared['small']['term_matches']:,} in the small dataset.", "",
             f"wrk, {CONNECTIONS} connections, {SECONDS} s a page, medians of {ROUNDS} rounds, small and province "
             "in turn:", "",
             f"| page | p95 {small[0]:,} | p95 {big[0]:,} | req/s {small[0]:,} | req/s {big[0]:,} | "
             "province p95 / minimal page |", "|---|---|---|---|---|---|"]
    for page, p95, rps, base in rows:
        lines.append(f"| {LABELS[page]} | {p95['small']:.1f} ms | {p95['province']:.1f} ms | {rps['small']:.0f} | "
                     f"{rps['province']:.0f} | {p95['province'] / base['province']:.1f}× |")
    lines += ["", "Queries per page (in-process, median of 3 requests after one warm-up):", "",
              "| page | queries | SQL ms small | SQL ms province | request ms small | request ms province |",
              "|---|---|---|---|---|---|"]
    for page in PAGES[1:]:
        s, p = profiles["small"]["pages"][page], profiles["province"]["pages"][page]
        lines.append(f"| {LABELS[page]} | {p['queries']} | {s['sql_ms']:.1f} | {p['sql_ms']:.1f} | "
                     f"{s['request_ms']:.1f} | {p['request_ms']:.1f} |")
    small_times = {q["sql"]: q["ms"] for q in profiles["small"]["slowest_all"]}
    lines += ["", "## The three slowest queries on the province", ""]
    for i, q in enumerate(profiles["province"]["slowest"], 1):
        other = small_times.get(q["sql"])
        lines += [f"### {i}. {LABELS[q['page']]}: {q['server_ms']:.2f} ms in PostgreSQL, {q['ms']:.2f} ms seen from "
                  f"Django (small dataset: {f'{other:.2f} ms' if other is not None else 'not run there'})",
                  "", "```sql", q["sql"], "```",
                  f"params: {q['params']}", "", "```", q["plan"], "```", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def prepare(term: str | None) -> None:
    """In the dataset's database: a province org_admin and a county clerk (scope: the first county
    and below), their session cookies, a case, and the search term (the commonest two-character
    name unless given)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from gongxin.accounts import actions
    from gongxin.accounts.roles import DataScope, Role
    from gongxin.cases.models import Case
    from gongxin.people.models import Cadre, OrgUnit

    admin = actions.create_account(acting_user=None, username="province_admin", password=PASSWORD,
                                   role=Role.ORG_ADMIN, data_scope=DataScope.ALL, full_name="省级管理员")
    county = OrgUnit.objects.filter(parent__parent__parent__isnull=True, parent__parent__isnull=False).order_by("path")[0]
    clerk = actions.create_account(acting_user=None, username="county_clerk", password=PASSWORD, role=Role.CLERK,
                                   data_scope=DataScope.SUBTREE, org_units=[county], full_name="县委组织部经办人")
    sessions = {}
    for key, user in (("admin_session", admin), ("clerk_session", clerk)):
        client = Client()
        client.force_login(user)
        sessions[key] = client.cookies["sessionid"].value
    if term is None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT name FROM {Cadre._meta.db_table} WHERE char_length(name) = 2 "
                           "GROUP BY name ORDER BY count(*) DESC, name LIMIT 1")
            term = cursor.fetchone()[0]
    county_cadres = Cadre.objects.filter(org_unit__path__startswith=county.path)
    first = county_cadres.order_by("name_pinyin", "id").first()
    ids = list(Case.objects.order_by("id").values_list("id", flat=True))
    case = Case.objects.get(pk=ids[len(ids) // 2])
    matches = Cadre.objects.filter(name__startswith=term)
    print("JSON\t" + json.dumps({
        **sessions, "term": term, "term_matches": matches.count(),
        "term_first": matches.order_by("name_pinyin", "id").first().name, "county": county.name,
        "county_cadres": county_cadres.count(), "county_cadre": first.name, "case": case.pk,
        "case_title": case.title}, ensure_ascii=False))


def profile(prepared: dict) -> None:
    """Each page requested in-process (one warm-up, then three), every SQL query timed; prints the
    per-page totals and the three slowest queries (median time) with their EXPLAIN (ANALYZE,
    BUFFERS) plans."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from gongxin.accounts.models import User


    admin, clerk = Client(SERVER_NAME="127.0.0.1"), Client(SERVER_NAME="127.0.0.1")
    admin.force_login(User.objects.get(username="province_admin"))
    clerk.force_login(User.objects.get(username="county_clerk"))
    pages = {"list_admin": (admin, "/people/cadres/", {}), "list_county": (clerk, "/people/cadres/", {}),
             "search": (admin, "/people/cadres/", {"q": prepared["term"]}),
             "case": (admin, f"/cases/{prepared['case']}/", {})}
    seen: dict[tuple[str, str], list] = {}
    totals = {}
    log: list = []

    def timed(execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            log.append((sql, params, (time.perf_counter() - t) * 1000))

    for page, (client, path, query) in pages.items():
        client.get(path, query)  # warm-up
        runs = []
        for _ in range(3):
            log.clear()
            t = time.perf_counter()
            with connection.execute_wrapper(timed):
                response = client.get(path, query)
            request_ms = (time.perf_counter() - t) * 1000
            if response.status_code != 200:
                raise SystemExit(f"profile: {page} answered {response.status_code}")
            runs.append((len(log), sum(x[2] for x in log), request_ms))
            for sql, params, ms in log:
                seen.setdefault((page, sql), []).append((ms, params))
        totals[page] = {"queries": runs[-1][0], "sql_ms": statistics.median(r[1] for r in runs),
                        "request_ms": statistics.median(r[2] for r in runs)}
    ranked = sorted(((statistics.median(ms for ms, _p in v), page, sql, v[-1][1]) for (page, sql), v in seen.items()
                     if sql.lstrip()[:6].upper() in ("SELECT", "WITH")), reverse=True)
    # On a loaded machine the time seen from Python is mostly waiting for a core: every query is
    # ranked again by PostgreSQL's own execution time (median of three EXPLAIN ANALYZE)
    explained = []
    for ms, page, sql, params in ranked:
        runs = []
        for _ in range(3):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(r[0] for r in cursor.fetchall())
            runs.append((float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1)), plan))
        runs.sort(key=lambda r: r[0])
        explained.append({"page": page, "ms": ms, "server_ms": runs[1][0], "sql": sql, "params": repr(params),
                          "plan": runs[1][1]})
    slowest = sorted(explained, key=lambda q: q["server_ms"], reverse=True)[:3]
    print("JSON\t" + json.dumps({"pages": totals, "slowest": slowest,
                                 "slowest_all": [{"sql": q["sql"], "ms": q["server_ms"]} for q in explained]},
                                ensure_ascii=False, default=str))


if __name__ == "__main__":
    if "--prepare" in sys.argv:
        rest = sys.argv[sys.argv.index("--prepare") + 1:]
        prepare(rest[0] if rest else None)
    elif "--profile" in sys.argv:
        profile(json.loads(sys.argv[sys.argv.index("--profile") + 1]))
