"""Over HTTP: ``gongxin serve`` (gunicorn, 2 workers × 4 threads) with 200,000 cadres on SQLite (one case,
one published notice),
loaded with wrk over loopback for 10 s at 4 and at 32 connections, page by page in turn: the
minimal 50-row Django page served by the same server, the cadre list, a cadre page, a case page,
a public notice and the API's cadre list; requests/s and p95 latency. The minimal page and the
cadre list are loaded in turn three times (the median is reported). Target: the cadre list at
least half the minimal page's requests/s.

BENCH_HTTP_N overrides the 200,000; BENCH_HTTP_SECONDS the 10 s; BENCH_HTTP_PORT the port (8105)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _wrk  # noqa: E402

N = int(os.environ.get("BENCH_HTTP_N", 200_000))
SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", 10))
PORT = int(os.environ.get("BENCH_HTTP_PORT", 8105))
CONNECTIONS = (4, 32)
PAGES = ("baseline", "cadre_list", "cadre_page", "case_page", "public_notice", "api_list")
ROUNDS = 3


def main(report):
    import shutil

    from _cadres import run_child

    if not shutil.which("wrk"):
        print("  wrk not installed (apt-get install wrk): skipped")
        return
    print(f"  scope: HTTP over loopback, gongxin serve (2 workers × 4 threads) on SQLite with {N:,} cadres; wrk "
          f"{SECONDS} s per page at {' and '.join(map(str, CONNECTIONS))} connections, pages in turn; minimal page "
          f"and cadre list {ROUNDS} rounds (median)", flush=True)
    import secrets

    # One secret key for the measuring child (which logs in and writes the session) and the server
    # it starts: without it the child, which creates no data folder, signed with a key of its own,
    # the server read another from the data folder, the session's hash did not match and every
    # page behind the login answered 302.
    f = run_child(__file__, prefix="http", extra_env={"SECRET_KEY": secrets.token_urlsafe(50)})
    for c in CONNECTIONS:
        base = f[f"baseline_c{c}_rps"]
        for page in PAGES:
            rps, p95 = f[f"{page}_c{c}_rps"], f[f"{page}_c{c}_p95"]
            report(f"HTTP {page} at {c} connections", rps, "req/s", "minimal page", base,
                   note=f"p95 {p95:.1f} ms (minimal page {f[f'baseline_c{c}_p95']:.1f} ms)")




def _case_and_notice(admin, town) -> None:
    """A case at its motion for a township head post, and a published pre-appointment notice
    naming one of the town's cadres: made by the product's actions, as a clerk would."""
    from gongxin.cases import actions as case_actions
    from gongxin.cases.models import Channel
    from gongxin.people import actions as people_actions
    from gongxin.people.models import Cadre, PostKind, Rank
    from gongxin.publicity import actions as notice_actions
    from gongxin.publicity.models import NoticeKind

    rank = Rank.objects.get(code="zhengke")
    post = people_actions.create_post(acting_user=None, org_unit=town, title="镇长", rank=rank, kind=PostKind.LEADERSHIP)
    case_actions.open_case(acting_user=admin, title=f"{town.name}镇长选任", org_unit=town, posts=[post],
                           channels=[Channel.OPEN_NOMINATION, Channel.PERFORMANCE], motion_reason="原镇长调任")
    notice = notice_actions.create_notice(acting_user=admin, kind=NoticeKind.PRE_APPOINTMENT,
                                          title=f"{town.name}干部任前公示", org_unit=town, contact="0543-0000000")
    cadre = Cadre.objects.filter(org_unit=town).order_by("id").first()
    notice_actions.add_notice_entry(acting_user=admin, notice=notice, cadre=cadre, post=post)
    notice_actions.publish_notice(acting_user=admin, notice=notice)


def child() -> None:
    import statistics
    import subprocess
    import tempfile
    import time
    import urllib.error
    import urllib.request

    import django

    django.setup()
    from _cadres import emit, load_cadres, say
    from django.core.management import call_command
    from django.test import Client

    from gongxin.accounts import actions as account_actions
    from gongxin.accounts.models import User
    from gongxin.accounts.roles import DataScope, Role
    from gongxin.cases.models import Case
    from gongxin.people.models import Cadre
    from gongxin.publicity.models import Notice, NoticeStatus

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    _root, towns, _s = load_cadres(N, seed=20)
    admin = User.objects.create_user("bench_admin", password="x" * 12, role=Role.ORG_ADMIN, data_scope=DataScope.ALL,
                                     full_name="压测管理员")
    _case_and_notice(admin, towns[0])
    say(f"dataset: {Cadre.objects.count():,} cadres, {Case.objects.count()} case, "
        f"{Notice.objects.count()} published notice ({time.perf_counter() - started:.0f} s)")
    client = Client()
    client.force_login(admin)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    token = account_actions.issue_api_token(acting_user=None, user=admin, name="bench")
    cadre = Cadre.objects.order_by("name_pinyin", "id").first()
    case = Case.objects.order_by("id").first()
    notice = Notice.objects.filter(status=NoticeStatus.PUBLISHED).order_by("id").first()
    base = f"http://127.0.0.1:{PORT}"
    pages = {
        "baseline": ("/bench-baseline/", []),
        "cadre_list": ("/people/cadres/", ["-H", f"Cookie: {cookie}"]),
        "cadre_page": (f"/people/cadres/{cadre.pk}/", ["-H", f"Cookie: {cookie}"]),
        "case_page": (f"/cases/{case.pk}/", ["-H", f"Cookie: {cookie}"]),
        "public_notice": (f"/public/notices/{notice.pk}/", []),
        "api_list": ("/api/v1/people/cadres", ["-H", f"Authorization: Bearer {token}"]),
    }
    markers = {"baseline": "<table>", "cadre_list": 'data-list="people.cadres"', "cadre_page": cadre.name,
               "case_page": case.title, "public_notice": notice.title, "api_list": '"name"'}
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench_http_settings")
    server = subprocess.Popen([sys.executable, "-m", "gongxin", "serve", "--port", str(PORT), "--no-worker"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lua = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    lua.write(_wrk.LUA)
    lua.close()
    try:
        _wrk.wait_until_serving(base + "/bench-baseline/", 120)
        opener = _wrk.no_redirect_opener()
        for name, (path, headers) in pages.items():  # each answers 200 with its content, not a redirect
            request = urllib.request.Request(base + path, headers=_wrk.header_dict(headers))
            try:
                response = opener.open(request, timeout=60)
            except urllib.error.HTTPError as exc:
                raise SystemExit(f"bench_http: {name} ({path}) answered {exc.code}"
                                 f"{' → ' + exc.headers.get('Location') if exc.headers.get('Location') else ''}, "
                                 "not 200: nothing is measured until every page answers 200") from exc
            with response:
                body = response.read().decode()
                if response.status != 200 or markers[name] not in body:
                    raise SystemExit(f"bench_http: {name} ({path}) answered {response.status} without "
                                     f"{markers[name]!r}: nothing is measured until every page answers 200")

        def wrk(name, connections):
            path, headers = pages[name]
            rps, p95, bad, total = _wrk.run(base + path, headers, lua.name, threads=min(connections, 2),
                                            connections=connections, seconds=SECONDS)
            if bad or not total:
                raise SystemExit(f"bench_http: {name} at {connections} connections: {bad} of {total} requests failed "
                                 "(status other than 2xx/3xx, timeout or socket), or none completed")
            return rps, p95

        for c in CONNECTIONS:
            wrk("baseline", c)  # warm every thread's connection
            wrk("cadre_list", c)
            series = {"baseline": [], "cadre_list": []}
            for _ in range(ROUNDS):
                for name in series:
                    series[name].append(wrk(name, c))
            for name, runs in series.items():
                emit(f"{name}_c{c}_rps", statistics.median(r for r, _p in runs))
                emit(f"{name}_c{c}_p95", statistics.median(p for _r, p in runs))
            for name in PAGES[2:]:
                rps, p95 = wrk(name, c)
                emit(f"{name}_c{c}_rps", rps)
                emit(f"{name}_c{c}_p95", p95)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        os.unlink(lua.name)


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
