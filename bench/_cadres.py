"""A county's cadres loaded fast (one INSERT per 10,000 rows), for the list and HTTP benchmarks;
and the minimal pages they are measured against: a Django view rendering a 50-row, 8-column
table through the same middleware, either static (no sign-in, no database) or of the same table
for a signed-in user (table_baseline_view)."""

import datetime as dt
import random
import time

FIELDS = ["name", "name_pinyin", "name_initials", "sex", "birth_date", "ethnicity", "native_place", "birthplace",
          "political_status", "health", "professional_title", "expertise", "fulltime_education", "fulltime_degree",
          "fulltime_education_school", "fulltime_degree_school", "parttime_education", "parttime_degree",
          "parttime_education_school", "parttime_degree_school", "current_post_title", "proposed_post_title",
          "proposed_removal_title", "rewards_and_punishments", "annual_assessment_text", "appointment_reason",
          "reporting_unit", "form_filled_by", "id_number", "photo_type", "org_unit_id", "rank_id", "status",
          "lrmx_version", "created_at", "updated_at"]


def load_cadres(n: int, *, seed: int = 7, towns: int = 40):
    """n cadres over ``towns`` townships under one county organ; returns (root, towns, seconds)."""
    from django.db import connection, transaction

    from gongxin.core.db import analyze_after_bulk_load
    from gongxin.people import actions, idnumber
    from gongxin.people.models import Cadre, OrgUnitKind, Rank
    from gongxin.people.names import search_keys

    rng = random.Random(seed)
    root = actions.create_org_unit(acting_user=None, name="县委", kind=OrgUnitKind.ORGAN)
    units = [actions.create_org_unit(acting_user=None, name=f"第{i}镇", kind=OrgUnitKind.TOWNSHIP, parent=root)
             for i in range(towns)]
    ranks = list(Rank.objects.all())
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海峰"
    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    seen, rows = set(), []
    while len(rows) < n:
        name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2))))
        sex = rng.choice("MF")
        birth = dt.date(1966, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 35))
        number = idnumber.make("371621", birth, sex, rng)
        if number in seen:
            continue
        seen.add(number)
        full, initials = search_keys(name)
        rows.append((name, full, initials, sex, birth, "汉族", "山东惠民", "山东惠民",
                     rng.choice(["cpc"] * 8 + ["non_party", "masses"]), "健康", "", "",
                     rng.choice(["bachelor", "bachelor", "master", "associate"]), "", "", "", "", "", "", "", "科员",
                     "", "", "", "", "", "", "", number, "", rng.choice(units).pk, rng.choice(ranks).pk, "active", "",
                     now, now))
    table = Cadre._meta.db_table
    sql = f'INSERT INTO {table} ({", ".join(FIELDS)}) VALUES ({", ".join(["%s"] * len(FIELDS))})'
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(0, len(rows), 10_000):
            cursor.executemany(sql, rows[i:i + 10_000])
    analyze_after_bulk_load()
    from gongxin.core.lists import bump

    bump("people.Cadre")
    return root, units, time.perf_counter() - started


BASELINE_TEMPLATE = (
    "<table>{% for r in rows %}<tr><td>{{ r.0 }}</td><td>{{ r.1 }}</td><td>{{ r.2 }}</td><td>{{ r.3 }}</td>"
    "<td>{{ r.4 }}</td><td>{{ r.5 }}</td><td>{{ r.6 }}</td><td>{{ r.7 }}</td></tr>{% endfor %}</table>")


def baseline_view():
    """The minimal page: a 50-row table from a template, no database."""
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string(BASELINE_TEMPLATE)
    rows = [(f"姓名{i}", "男", "1985.06", "汉族", "中共党员", "大学本科", "某镇", "科员") for i in range(50)]

    def baseline(request):
        return HttpResponse(template.render({"rows": rows}))

    return baseline


def table_baseline_view(model: str, fields: tuple[str, ...], order: tuple[str, ...], **where):
    """The minimal page of the same table: a signed-in view (the session and the user read, as
    every staff page must) reading 50 rows of ``model`` in ``order`` (8 text values each, printed
    as they are: no date or number goes through the template's localization; by the index the
    list uses) and rendering them through the same template as the static page. The list
    is measured against this; the static page (no sign-in, no database) is reported beside it."""
    from django.apps import apps
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string(BASELINE_TEMPLATE)
    rows = apps.get_model(model).objects.filter(**where).order_by(*order).values_list(*fields)

    @login_required
    def baseline(request):
        return HttpResponse(template.render({"rows": rows[:50]}))

    return baseline


def unique_pg_url(prefix: str) -> str:
    import os
    import secrets

    return f"postgres://postgres@127.0.0.1:5432/gx_bench_{prefix}_{os.getpid()}_{secrets.token_hex(3)}"


def pg_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
        return True
    except Exception:
        return False


def pg_create(url: str) -> None:
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"')


def pg_drop(url: str) -> None:
    """Drops the database this run created (its unique name), nothing else."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    assert name.startswith("gx_bench_"), name
    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_child(script: str, *, prefix: str, database_url: str | None = None, extra_env: dict | None = None) -> dict:
    """The measuring half in a child process with its own data folder (removed afterwards) and
    database; returns the ``R<TAB>name<TAB>value`` lines it printed."""
    import os
    import shutil
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "src"
    data = tempfile.mkdtemp(prefix=f"gx-bench-{prefix}-")
    env = dict(os.environ)
    env.update({"GONGXIN_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "gongxin.settings",
                "GONGXIN_REQUIRE_ADMIN_OTP": "0", "GONGXIN_LEDGER_ORIGIN": "bench.gongxin.example/ledger",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(src), str(Path(__file__).parent),
                                                            env.get("PYTHONPATH")]))})
    env.update(extra_env or {})
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    try:
        out = subprocess.run([sys.executable, script, "--child"], env=env, capture_output=True, text=True)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    if out.returncode != 0:
        print(out.stdout[-3000:], out.stderr[-5000:])
        raise SystemExit(f"{Path(script).name}: the measuring child failed")
    figures = {}
    for line in out.stdout.splitlines():
        if line.startswith("R\t"):
            _r, name, value = line.split("\t", 2)
            try:
                figures[name] = float(value)
            except ValueError:
                figures[name] = value
        elif line.startswith("#"):
            print("  " + line[1:].strip(), flush=True)
    return figures


def emit(name: str, value) -> None:
    print(f"R\t{name}\t{value}", flush=True)


def say(text: str) -> None:
    print(f"# {text}", flush=True)


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def interleave(cases: dict, rounds: int, baseline: str = "baseline", also: str | None = None) -> dict:
    """Each case is a function timing one request (ms). Every round runs every case once, in
    turn; returns {name: (median ms, median of per-round ratios to the baseline)}, and with
    ``also`` (a second baseline among the cases) a third item: the median ratio to that one."""
    import statistics

    for fn in cases.values():  # warm
        fn()
    samples = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            samples[name].append(fn())

    def ratio(v, base):
        return statistics.median(x / b for x, b in zip(v, samples[base], strict=True))

    return {name: (statistics.median(v), ratio(v, baseline), *((ratio(v, also),) if also else ()))
            for name, v in samples.items()}


def bench_urlconf(name: str, table=None):
    """A URL module: the static page at /bench-static/ (and /bench-baseline/, unless ``table``,
    a view from :func:`table_baseline_view`, is the baseline) beside every product page."""
    import sys
    import types

    from django.urls import include, path

    urls = types.ModuleType(name)
    urls.urlpatterns = [path("bench-baseline/", table or baseline_view()), path("bench-static/", baseline_view()),
                        path("", include("gongxin.urls"))]
    sys.modules[name] = urls
    return name
