"""Publicity: the pure cores and the public pages.

- Stroke-order sort of 20,000 names (姓名笔画), beside Python's plain sort of the same names
  by code point.
- 2,000 publicity periods of 5 working days on the State Council calendar, beside the same
  count on a Monday–Friday rule.
- The public notice page (30 people) median latency, served from the short cache and
  uncached, and a feedback post, beside a minimal Django view in the same process.
  Runs in a child process on a throwaway SQLite database."""

import datetime as dt
import random
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def _timed(fn, repeat=5):
    best = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best.append(time.perf_counter() - t)
    return min(best)


def _pure(report):
    sys.path.insert(0, str(SRC))
    from gongxin.publicity import strokes, workdays

    rng = random.Random(7)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰春梅海燕文斌"
    names = [rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.randint(1, 2))) for _ in range(20_000)]
    strokes.table()  # load the data once, as the server does
    t_strokes = _timed(lambda: strokes.sort_names(names, strokes.FULL_NAME))
    t_plain = _timed(lambda: sorted(names))
    report("stroke-order sort of 20,000 names", t_strokes * 1000, "ms", "sorted() by code point", t_plain * 1000)

    starts = [dt.date(2025, 1, 1) + dt.timedelta(days=i % 700) for i in range(2000)]
    lookup = workdays.default_lookup()
    t_cal = _timed(lambda: [workdays.period_end(s, 5, lookup) for s in starts], repeat=3)
    t_week = _timed(lambda: [workdays.period_end(s, 5, lambda d: d.isoweekday() <= 5) for s in starts], repeat=3)
    report("2,000 five-working-day periods (State Council calendar)", t_cal * 1000, "ms",
           "Monday–Friday rule", t_week * 1000)


def main(report):
    _pure(report)
    from _child import run_child

    figures = run_child(__file__, prefix="publicity")
    base = figures["baseline"]
    report("public notice page (30 people), cached, median", figures["cached"], "ms", "minimal view", base)
    report("public notice page (30 people), uncached, median", figures["uncached"], "ms", "minimal view", base)
    report("public feedback post (validate, store, ledger event), median", figures["post"], "ms", "minimal view", base)


def _child():
    import django
    from _child import median_ms

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
    actions.publish_notice(acting_user=None, notice=notice, start=dt.date(2026, 11, 16))
    ratelimit.LIMIT = 10**9

    tpl = engines["django"].from_string("<table>{% for i in rows %}<tr><td>{{ i }}</td></tr>{% endfor %}</table>")

    def minimal(request):
        return HttpResponse(tpl.render({"rows": range(30)}))

    import gongxin.urls as root

    class Urls:
        urlpatterns = [path("bench-minimal/", minimal), *root.urlpatterns]

    with override_settings(ROOT_URLCONF=Urls):
        c = Client()
        url = f"/public/notices/{notice.pk}/"
        assert c.get(url).status_code == 200
        print(f"R\tbaseline\t{median_ms(lambda: c.get('/bench-minimal/'), n=60)}")
        print(f"R\tcached\t{median_ms(lambda: c.get(url), n=60)}")

        def uncached():
            cache.clear()
            c.get(url)

        print(f"R\tuncached\t{median_ms(uncached, n=60)}")
        post_url = f"/public/notices/{notice.pk}/feedback/"
        print(f"R\tpost\t{median_ms(lambda: c.post(post_url, {'category': 'conduct', 'text': '基准测试反馈内容。'}), n=40)}")


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
