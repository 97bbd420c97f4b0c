"""Publicity: the pure cores and the public pages.

- Stroke-order sort of 20,000 names (姓名笔画), beside Python's plain sort of the same names
  by code point.
- 2,000 publicity periods of 5 working days on the State Council calendar, beside the same
  count on a Monday–Friday rule.
- The public notice page (30 people) median latency, served from the short cache and
  uncached, and a feedback post, beside a minimal Django view in the same process.
  Runs in a child process on a throwaway SQLite database.

Every product figure is timed interleaved with its baseline (bench/_child.interleaved, the order
alternating, at least ROUNDS rounds) and reported with the median of the per-round ratios."""

import datetime as dt
import random
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _child import interleaved, scope  # noqa: E402

ROUNDS = 5


def _pair(baseline, product, rounds=ROUNDS):
    """(product median s, baseline median s, median per-round ratio), interleaved."""
    import statistics

    base, prod, ratio = interleaved(baseline, product, rounds=rounds)
    return statistics.median(prod), statistics.median(base), ratio


def _pure(report):
    sys.path.insert(0, str(SRC))
    from gongxin.publicity import strokes, workdays

    rng = random.Random(7)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰春梅海燕文斌"
    names = [rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.randint(1, 2))) for _ in range(20_000)]
    strokes.table()  # load the data once, as the server does
    t_strokes, t_plain, ratio = _pair(lambda: sorted(names), lambda: strokes.sort_names(names, strokes.FULL_NAME))
    report("stroke-order sort of 20,000 names", t_strokes * 1000, "ms", "sorted() by code point", t_plain * 1000,
           note=f"median per-round ratio {ratio:.2f}× of the time, {ROUNDS} rounds")

    starts = [dt.date(2025, 1, 1) + dt.timedelta(days=i % 700) for i in range(2000)]
    lookup = workdays.default_lookup()
    t_cal, t_week, ratio = _pair(lambda: [workdays.period_end(s, 5, lambda d: d.isoweekday() <= 5) for s in starts],
                                 lambda: [workdays.period_end(s, 5, lookup) for s in starts])
    report("2,000 five-working-day periods (State Council calendar)", t_cal * 1000, "ms",
           "Monday–Friday rule", t_week * 1000, note=f"median per-round ratio {ratio:.2f}× of the time, {ROUNDS} rounds")


def main(report):
    scope(f"publicity: stroke-order sort of 20,000 names vs sorted(); 2,000 working-day periods vs a Mon–Fri rule; "
          f"public notice page (30 people) cached and uncached, and a feedback post, vs a minimal Django view in the "
          f"same process (throwaway SQLite); {ROUNDS} interleaved rounds each, median ratio")
    _pure(report)
    from _child import run_child

    figures = run_child(__file__, prefix="publicity")
    for key, label in (("cached", "public notice page (30 people), cached"),
                       ("uncached", "public notice page (30 people), uncached"),
                       ("post", "public feedback post (validate, store, ledger event)")):
        report(f"{label}, median of {ROUNDS} rounds", figures[key], "ms per request", "minimal view, same rounds",
               figures[f"{key}_base"], note=f"median per-round ratio {figures[f'{key}_ratio']:.2f}× of the time")


def _child():
    import django
    from _child import emit

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.template import engines
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import path

    call_command("migrate", verbosity=0)
    from gongxin.core import ratelimit
    from gongxin.people import actions as pa
    from gongxin.people import idnumber
    from gongxin.people.models import OrgUnitKind, Rank
    from gongxin.publicity import actions

    rng = random.Random(3)
    unit = pa.create_org_unit(acting_user=None, name="县委", kind=OrgUnitKind.ORGAN)
    rank = Rank.objects.get(code="fuke")
    notice = actions.create_notice(acting_user=None, kind="pre_appointment", title="任前公示", org_unit=unit, body="现予公示。")
    for i in range(30):
        birth = dt.date(1980 + i % 15, 1 + i % 12, 1 + i % 27)
        cadre = pa.create_cadre(acting_user=None, name=rng.choice("王李张刘陈杨黄赵吴周") + rng.choice("伟芳娜秀英敏静") + str(i)[:0] + rng.choice("军洋勇艳"),
                                sex="M", birth_date=birth, id_number=idnumber.make("371621", birth, "M", rng),
                                org_unit=unit, rank=rank, work_started=dt.date(2005, 7, 1), fulltime_education="bachelor")
        actions.add_notice_entry(acting_user=None, notice=notice, cadre=cadre, proposed_post="镇长")
    from django.utils import timezone

    actions.publish_notice(acting_user=None, notice=notice, start=timezone.localdate())  # (a fixed date went into the past)
    ratelimit.LIMIT = 10**9

    tpl = engines["django"].from_string("<table>{% for i in rows %}<tr><td>{{ i }}</td></tr>{% endfor %}</table>")

    def minimal(request):
        return HttpResponse(tpl.render({"rows": range(30)}))

    import gongxin.urls as root

    class Urls:
        urlpatterns = [path("bench-minimal/", minimal), *root.urlpatterns]

    with override_settings(ROOT_URLCONF=Urls):
        c = Client(HTTP_HOST="127.0.0.1")  # (testserver is not an allowed host)
        url = f"/public/notices/{notice.pk}/"
        first = c.get(url)
        assert first.status_code == 200, (first.status_code, first.content[:300])
        batch = 20  # requests per timed call: each round times 20 baseline and 20 product requests

        def times(fn):
            return lambda: [fn() for _ in range(batch)]

        def minimal_page():
            c.get("/bench-minimal/")

        def uncached():
            cache.clear()
            c.get(url)

        post_url = f"/public/notices/{notice.pk}/feedback/"
        cases = {"cached": lambda: c.get(url), "uncached": uncached,
                 "post": lambda: c.post(post_url, {"category": "conduct", "text": "基准测试反馈内容。"})}
        for key, fn in cases.items():
            fn()  # warm
            prod, base, ratio = _pair(times(minimal_page), times(fn))
            emit(key, prod / batch * 1000)
            emit(f"{key}_base", base / batch * 1000)
            emit(f"{key}_ratio", ratio)


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
