"""A province-sized dataset on PostgreSQL for scale measurements (``gongxin province``).

What is made, and how:

* the unit tree — a province organ, its cities, their counties, ten townships per county —
  through ``people.actions.create_org_unit``, so each unit has its ``people.org_unit.created``
  event, as in real use;
* one leadership post per county organ and township (bulk insert, **no creation event**);
* the cadres (default 1,000,000) by COPY, **without creation events** (as a bulk LRMX import
  before the ledger existed would leave them), names with their pinyin search keys, valid
  citizen numbers, spread over the counties and townships;
* the cases (default 50,000) by COPY, each with one post and three candidates from its own unit,
  **with their events**: ``cases.case.opened``, ``cases.case.advanced`` (to nomination) and three
  ``cases.candidate.added``, whose bytes are
  the canonical envelopes ``record_event`` writes (the same payload keys), hashed into the Merkle
  tree with their stored subtree hashes, so ``gongxin ledger verify`` passes. Synthetic in them:
  the candidates' eligibility summary is written as not yet checked (``passed: null``, empty
  lists) instead of running the rules per candidate, and the actor is the system (null);
* the ledger head advanced to the new size, then a signed checkpoint; ANALYZE.

Pure bulk loading: it refuses a database that already holds cadres."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海峰鹏辉斌宇浩凯秀梅波晨晓雪琳婷旭东"
CADRE_COLUMNS = ["name", "name_pinyin", "name_initials", "sex", "birth_date", "ethnicity", "native_place", "birthplace",
                 "political_status", "health", "professional_title", "expertise", "fulltime_education",
                 "fulltime_degree", "fulltime_education_school", "fulltime_degree_school", "parttime_education",
                 "parttime_degree", "parttime_education_school", "parttime_degree_school", "current_post_title",
                 "proposed_post_title", "proposed_removal_title", "rewards_and_punishments", "annual_assessment_text",
                 "appointment_reason", "reporting_unit", "form_filled_by", "id_number", "photo_type", "org_unit_id",
                 "rank_id", "status", "lrmx_version", "created_at", "updated_at"]
CHANNELS = ["performance", "reserve_direct", "open_nomination"]


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def _set_sequence(cursor, table: str) -> None:
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


def build_province(*, cadres: int = 1_000_000, cities: int = 16, counties: int = 140, cases: int = 50_000,
                   towns_per_county: int = 10, seed: int = 2026, say: Callable[[str], None] = print) -> dict:
    from psycopg.types.json import Jsonb

    from gongxin.cases.models import Candidate, Case, CasePost
    from gongxin.cases.rules import rule_set_in_force
    from gongxin.ledger.canonical import canonical_json
    from gongxin.ledger.checkpoints import sign_checkpoint
    from gongxin.ledger.merkle import Frontier
    from gongxin.ledger.models import Event, LedgerHead
    from gongxin.people import actions, idnumber
    from gongxin.people.models import Cadre, OrgUnitKind, Post, Rank
    from gongxin.people.names import search_keys

    if connection.vendor != "postgresql":
        raise RuntimeError("gongxin province loads with COPY: it needs PostgreSQL (DATABASE_URL=postgres://…)")
    if Cadre.objects.exists():
        raise RuntimeError("this database already holds cadres: the province is loaded into an empty one")
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    started = t = time.perf_counter()

    # 1. units, through the action (each with its event)
    province = actions.create_org_unit(acting_user=None, name="省委", kind=OrgUnitKind.ORGAN)
    county_units: list[tuple[int, str, list[int]]] = []  # (county organ id, region code, township ids)
    for c in range(cities):
        city = actions.create_org_unit(acting_user=None, name=f"第{c + 1}市市委", kind=OrgUnitKind.ORGAN, parent=province)
        for k in range(counties // cities + (1 if c < counties % cities else 0)):
            county = actions.create_org_unit(acting_user=None, name=f"第{c + 1}市第{k + 1}县县委",
                                             kind=OrgUnitKind.ORGAN, parent=city)
            towns = [actions.create_org_unit(acting_user=None, name=f"第{c + 1}市第{k + 1}县第{i + 1}镇",
                                             kind=OrgUnitKind.TOWNSHIP, parent=county).pk
                     for i in range(towns_per_county)]
            county_units.append((county.pk, f"{37 + c // 9:02d}{c % 9 + 1:02d}{k + 1:02d}", towns))
    timings["units"] = time.perf_counter() - t
    say(f"units: {1 + cities + len(county_units) * (1 + towns_per_county)} in {timings['units']:.1f} s")

    # 2. posts: one leadership post per county organ and township
    t = time.perf_counter()
    ranks = list(Rank.objects.order_by("level"))
    head_rank = next((r for r in ranks if r.is_head), ranks[-1])
    Post.objects.bulk_create([Post(org_unit_id=u, title="党委书记", rank=head_rank)
                              for county, _r, towns in county_units for u in (county, *towns)], batch_size=2000)
    post_of = dict(Post.objects.values_list("org_unit_id", "id"))
    post_title = {p.org_unit_id: str(p) for p in Post.objects.select_related("org_unit", "rank")}

    # 3. cadres by COPY
    now = timezone.now()
    keys_cache: dict[str, tuple[str, str]] = {}
    cadre_units: dict[int, list[int]] = {}
    names: list[str] = []

    def cadre_rows():
        seen: set[str] = set()
        per_county = cadres // len(county_units) + 1
        made = 0
        for county, region, towns in county_units:
            units = [county, *towns]
            for _ in range(min(per_county, cadres - made)):
                while True:
                    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
                    sex = rng.choice("MF")
                    birth = dt.date(1964, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 38))
                    number = idnumber.make(region, birth, sex, rng)
                    if number not in seen:
                        seen.add(number)
                        break
                full, initials = keys_cache.get(name) or keys_cache.setdefault(name, search_keys(name))
                unit = rng.choice(units)
                cadre_units.setdefault(unit, []).append(len(names))
                names.append(name)
                made += 1
                yield (name, full, initials, sex, birth, "汉族", "山东", "山东",
                       rng.choice(["cpc"] * 8 + ["non_party", "masses"]), "健康", "", "",
                       rng.choice(["bachelor", "bachelor", "master", "associate"]), "", "", "", "", "", "", "",
                       "科员", "", "", "", "", "", "", "", number, "", unit, rng.choice(ranks).pk, "active", "", now, now)

    t = time.perf_counter()
    raw = connection.connection  # psycopg's own connection: COPY
    with transaction.atomic():
        with raw.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {Cadre._meta.db_table}")
            first_cadre = cursor.fetchone()[0] + 1
            n = _copy(cursor, Cadre._meta.db_table, ["id", *CADRE_COLUMNS],
                      ((first_cadre + i, *row) for i, row in enumerate(cadre_rows())))
            _set_sequence(cursor, Cadre._meta.db_table)
    timings["cadres"] = time.perf_counter() - t
    say(f"cadres: {n} in {timings['cadres']:.1f} s")

    # 4. cases, their posts and candidates, and their events, by COPY
    t = time.perf_counter()
    rule_set = rule_set_in_force(jurisdiction="county")
    if not rule_set.frozen:
        type(rule_set).objects.filter(pk=rule_set.pk).update(frozen=True)
    case_units = [u for u in post_of if cadre_units.get(u)]
    head = LedgerHead.objects.select_for_update
    event_rows = []
    with transaction.atomic():
        h = head().get(id=1)
        seq0 = h.size
        frontier = Frontier.from_bytes(h.size, bytes(h.frontier))
        with raw.cursor() as cursor:
            ids = {}
            for model in (Case, CasePost, Candidate):
                cursor.execute(f"SELECT coalesce(max(id), 0) FROM {model._meta.db_table}")
                ids[model] = cursor.fetchone()[0] + 1
            case_rows, cp_rows, cand_rows = [], [], []
            seq = seq0
            when = now - dt.timedelta(days=400)
            step = dt.timedelta(seconds=600)

            def event(kind, subject, payload):
                nonlocal seq, when
                when = when + step
                env = {"seq": seq, "kind": kind, "subject": {"type": subject[0], "id": str(subject[1])},
                       "actor": None, "time": when, "payload": payload}
                data = canonical_json(env)
                leaf = hashlib.sha256(b"\x00" + data).digest()  # the leaf hash record_event computes
                nodes = b"".join(x for _l, _i, x in frontier.append(leaf))
                event_rows.append((seq, kind, subject[0], str(subject[1]), None, "", when, False, data, leaf, nodes))
                seq += 1

            for i in range(cases):
                unit = case_units[i % len(case_units)]
                case_id, cp_id = ids[Case] + i, ids[CasePost] + i
                title = f"{post_title[unit].split(' ')[0]}选任（{i + 1}）"
                motion = (when + step).date()
                channels = [rng.choice(CHANNELS)]
                case_rows.append((case_id, title, unit, "nomination", "active", "", "工作需要", Jsonb(channels),
                                  rule_set.pk, motion, when, when, None))
                cp_rows.append((cp_id, case_id, post_of[unit], 1))
                event("cases.case.opened", ("cases.case", case_id),
                      {"title": title, "org_unit": unit, "posts": [{"post": post_of[unit], "title": post_title[unit],
                                                                   "count": 1}],
                       "channels": channels, "motion_reason": "工作需要", "motion_date": motion, "over_headcount": None,
                       "rule_set": {"id": rule_set.pk, "version": rule_set.version,
                                    "jurisdiction": rule_set.jurisdiction}})
                event("cases.case.advanced", ("cases.case", case_id),
                      {"from": "motion", "to": "nomination", "rule_set": rule_set.version})
                pool = cadre_units[unit]
                for j in rng.sample(range(len(pool)), min(3, len(pool))):
                    cadre_id = first_cadre + pool[j]
                    cand_id = ids[Candidate] + len(cand_rows)
                    cand_rows.append((cand_id, case_id, cadre_id, post_of[unit], channels[0], "active", "", Jsonb({}),
                                      Jsonb([]), None, None, "", "", Jsonb([]), when, None))
                    event("cases.candidate.added", ("cases.candidate", cand_id),
                          {"case": case_id, "cadre": cadre_id, "name": names[pool[j]], "channel": channels[0],
                           "post": post_of[unit], "evidence": {},
                           "eligibility": {"passed": None, "failed": [], "pending": [], "exception": []}})
            for model, rows in ((Case, case_rows), (CasePost, cp_rows), (Candidate, cand_rows)):
                cols = [f.column for f in model._meta.concrete_fields]
                _copy(cursor, model._meta.db_table, cols, rows)
                _set_sequence(cursor, model._meta.db_table)
            _copy(cursor, Event._meta.db_table,
                  ["seq", "kind", "subject_type", "subject_id", "actor_id", "actor_name", "recorded_at", "public", "data",
                   "leaf_hash", "nodes"], event_rows)
        LedgerHead.objects.filter(id=1).update(size=frontier.size, frontier=frontier.to_bytes())
    timings["cases"] = time.perf_counter() - t
    say(f"cases: {len(case_rows)}, candidates {len(cand_rows)}, events {len(event_rows)} in {timings['cases']:.1f} s")
    t = time.perf_counter()
    sign_checkpoint(reason="province dataset loaded")
    from gongxin.core.db import analyze_after_bulk_load
    from gongxin.core.lists import bump

    analyze_after_bulk_load()
    bump("people.Cadre", "cases.Case")
    timings["analyze"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started
    say(f"checkpoint and VACUUM ANALYZE in {timings['analyze']:.1f} s; total {timings['total']:.1f} s")
    return {"cadres": n, "cases": len(case_rows), "candidates": len(cand_rows), "events": frontier.size,
            "counties": len(county_units), "timings": timings}
