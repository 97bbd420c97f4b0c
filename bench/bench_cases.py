"""Bulk eligibility over 200,000 cadres in a database, against one 正科 post.

Product: ``run_eligibility_bulk`` over every cadre (facts built in batches of 2,000 through the
people tables and the registered providers' batch forms, a decision per cadre, no explanation).
Baseline: a plain loop that reads the same facts with hand-written bulk SQL over the same
batches (cadres, resume, holdings, relations, grades, problem files, four checks,
accountabilities) and makes the same decisions with plain conditions. Both must find the same
eligible cadres (checked). Interleaved over three rounds in one fresh child process on its own
SQLite file (removed afterwards); the ratio is the median of the per-round ratios; the query
count per batch is checked constant.

BENCH_ELIGIBILITY_N overrides the 200,000."""

import datetime as dt
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

N = int(os.environ.get("BENCH_ELIGIBILITY_N", 200_000))
BATCH = 2000
ROUNDS = 3


def main(report):
    from _child import run_child, scope

    scope(f"eligibility of {N:,} cadres (with resume, holdings, relations, grades, problem files, accountabilities) "
          f"for one 正科 post on SQLite: run_eligibility_bulk vs a plain loop of bulk SQL + the same decisions, "
          f"{ROUNDS} interleaved rounds, median ratio")
    figures = run_child(__file__, prefix="eligibility")
    report(f"bulk eligibility, {N:,} cadres × 1 post (median of {ROUNDS})", figures["product_s"], "s",
           "plain loop: bulk SQL for the same facts + the same decisions", figures["baseline_s"],
           note=f"median ratio {figures['ratio']:.2f}×; {int(figures['eligible']):,} eligible (same set in both); "
                f"{int(figures['queries_per_batch'])} queries per batch of {BATCH}")
    report("bulk eligibility child peak memory (VmHWM)", figures["peak_mb"], "MB")
    report(f"load {N:,} cadres with their facts", figures["load_s"], "s")


# ---- the child --------------------------------------------------------------------------------

def _load(rng):
    from gongxin.assessment.models import Accountability
    from gongxin.inspection.models import ProblemFile
    from gongxin.people import actions
    from gongxin.people.models import (
        AnnualGrade,
        Cadre,
        OrgUnitKind,
        PostHolding,
        Rank,
        Relation,
        ResumeEntry,
    )

    ranks = {r.code: r for r in Rank.objects.all()}
    root = actions.create_org_unit(acting_user=None, name="县委", kind=OrgUnitKind.ORGAN)
    units = [actions.create_org_unit(acting_user=None, name=f"第{i}镇", kind=OrgUnitKind.TOWNSHIP, parent=root,
                                     is_grassroots=i % 2 == 0) for i in range(40)]
    posts = [actions.create_post(acting_user=None, org_unit=u, title="副镇长", rank=ranks["fuke"], kind="leadership",
                                 headcount=100000) for u in units]
    target = actions.create_post(acting_user=None, org_unit=units[0], title="镇长", rank=ranks["zhengke"],
                                 kind="leadership")
    grades = ["excellent", "competent", "competent", "competent", "competent", "basically_competent"]
    educations = ["senior", "associate", "bachelor", "bachelor", "master"]
    rank_pick = [ranks["fuke"]] * 6 + [ranks["zhengke"], ranks["yiji_keyuan"], None]
    step = 5000
    for lo in range(0, N, step):
        cadres = []
        for i in range(lo, min(lo + step, N)):
            birth = dt.date(1966 + rng.randrange(32), 1 + rng.randrange(12), 1 + rng.randrange(28))
            work = dt.date(birth.year + 18 + rng.randrange(6), 1 + rng.randrange(12), 1)
            cadres.append(Cadre(
                name=f"干部{i}", name_pinyin=f"ganbu{i}", name_initials="gb", sex="M", birth_date=birth,
                id_number=f"{i:018d}", org_unit=units[i % 40], rank=rng.choice(rank_pick),
                rank_since=dt.date(min(2026, work.year + rng.randrange(20)), 1 + rng.randrange(12), 1),
                work_started=work, fulltime_education=rng.choice(educations),
                party_joined=dt.date(work.year + rng.randrange(6), 7, 1) if rng.random() < 0.9 else None))
        made = Cadre.objects.bulk_create(cadres, batch_size=1000)
        resume, holdings, relations, annual, problems, accountabilities = [], [], [], [], [], []
        for c in made:
            start = c.work_started
            resume.append(ResumeEntry(cadre=c, start=start, end=start + dt.timedelta(days=rng.randrange(400, 3000)),
                                      description="乡镇工作", is_grassroots=rng.random() < 0.6,
                                      org_unit=units[rng.randrange(40)] if rng.random() < 0.5 else None))
            holdings.append(PostHolding(cadre=c, post=posts[rng.randrange(40)], start=c.rank_since or start,
                                        end=None if rng.random() < 0.8 else (c.rank_since or start) + dt.timedelta(days=700)))
            relations.append(Relation(cadre=c, kind="spouse", title="妻子", name="某", emigrated=rng.random() < 0.01))
            relations.append(Relation(cadre=c, kind="son", title="儿子", name="某", emigrated=rng.random() < 0.02))
            for year in (2023, 2024, 2025):
                annual.append(AnnualGrade(cadre=c, year=year, grade=rng.choice(grades)))
            if rng.random() < 0.02:
                problems.append(ProblemFile(cadre=c, channel="letter", text="反映问题",
                                            finding=rng.choice(["substantiated", ""]),
                                            status=rng.choice(["closed", "received"]), found_on=dt.date(2025, 6, 1)))
            if rng.random() < 0.02:
                decided = rng.random() < 0.5
                accountabilities.append(Accountability(
                    cadre=c, facts="事实", status="decided" if decided else "open", opened_on=dt.date(2025, 9, 1),
                    kind="admonishment" if decided else "", decided_on=dt.date(2025, 10, 1) if decided else None,
                    bar_months=6 if decided else None))
        for model, rows in ((ResumeEntry, resume), (PostHolding, holdings), (Relation, relations),
                            (AnnualGrade, annual), (ProblemFile, problems), (Accountability, accountabilities)):
            model.objects.bulk_create(rows, batch_size=1000)
    return target


def _baseline(on, post, params):
    """Plain SQL for the same facts in the same batches, and the same decisions by hand."""
    from django.db import connection

    from gongxin.cases.eligibility import EDUCATION_ORDER, add_months, add_years
    from gongxin.cases.facts import (
        _union_days,  # the same interval union (a helper, not the engine)
    )

    p1, r8, r13 = params["R1/section"], params["R8"], params["R13"]  # R25: every decided row carries its months
    need_work, need_g = int(p1.get("min_work_years", 0)), p1.get("min_grassroots_years", 0)
    tenure = p1.get("deputy_before_head_years", 0)
    edu_index = {e: i for i, e in enumerate(EDUCATION_ORDER)}
    min_edu = edu_index[p1["min_education"]] if p1.get("min_education") else None
    window = int(r8.get("grade_window_years", 3))
    years = range(on.year - window, on.year)
    barred = set(r8.get("barred_grades", ["basically_competent", "incompetent"]))
    checks = list(r13.get("checks", ["file", "personal_matters_report", "discipline_opinion", "complaints"]))
    eligible = []
    last = 0
    with connection.cursor() as cur:
        while True:
            cur.execute("SELECT c.id, c.birth_date, c.work_started, r.level, c.rank_since, c.fulltime_education, "
                        "c.parttime_education FROM people_cadre c LEFT JOIN people_rank r ON r.id = c.rank_id "
                        "WHERE c.id > %s ORDER BY c.id LIMIT %s", [last, BATCH])
            rows = cur.fetchall()
            if not rows:
                break
            ids = [r[0] for r in rows]
            marks = ",".join(["%s"] * len(ids))
            grass = {i: [] for i in ids}
            cur.execute(f"SELECT e.cadre_id, e.start, e.\"end\", e.is_grassroots, u.is_grassroots FROM people_resumeentry e "
                        f"LEFT JOIN people_orgunit u ON u.id = e.org_unit_id WHERE e.cadre_id IN ({marks})", ids)
            for cid, s, e, own, unit in cur.fetchall():
                if own or unit:
                    grass[cid].append((s, min(e or on, on)))
            cur.execute(f"SELECT h.cadre_id, h.start, h.\"end\", u.is_grassroots FROM people_postholding h "
                        f"JOIN people_post p ON p.id = h.post_id JOIN people_orgunit u ON u.id = p.org_unit_id "
                        f"WHERE h.cadre_id IN ({marks})", ids)
            for cid, s, e, unit in cur.fetchall():
                if unit:
                    grass[cid].append((s, min(e or on, on)))
            family = {}
            cur.execute(f"SELECT cadre_id, kind, emigrated FROM people_relation WHERE cadre_id IN ({marks})", ids)
            for cid, kind, emigrated in cur.fetchall():
                family.setdefault(cid, []).append((kind, emigrated))
            bad_grade = set()
            cur.execute(f"SELECT cadre_id, year, grade FROM people_annualgrade WHERE cadre_id IN ({marks})", ids)
            for cid, year, grade in cur.fetchall():
                if year in years and grade in barred:
                    bad_grade.add(cid)
            blocked, complaints = set(), set()
            cur.execute(f"SELECT cadre_id, finding, found_on, status FROM inspection_problemfile "
                        f"WHERE cadre_id IN ({marks}) AND finding != 'unsubstantiated'", ids)
            for cid, finding, found_on, status in cur.fetchall():
                if finding == "substantiated" and (found_on is None or found_on <= on):
                    blocked.add(cid)
                if status != "closed":
                    complaints.add(cid)
            cur.execute(f"SELECT c.cadre_id FROM inspection_checkrecord k JOIN cases_candidate c ON c.id = k.candidate_id "
                        f"WHERE c.cadre_id IN ({marks}) AND c.status NOT IN ('withdrawn', 'appointed')", ids)
            assert not cur.fetchall()  # no candidacies in this data: every check is waiting (pending at entry)
            cur.execute(f"SELECT cadre_id, status, opened_on, decided_on, kind, bar_months FROM assessment_accountability "
                        f"WHERE cadre_id IN ({marks}) AND status != 'dismissed'", ids)
            for cid, status, opened, decided, _kind, months in cur.fetchall():
                if opened > on:
                    continue
                if status == "open":
                    blocked.add(cid)
                elif decided and months and decided <= on < add_months(decided, months):
                    blocked.add(cid)
            for cid, _birth, work, level, since, fulltime, parttime in rows:
                last = cid
                if cid in blocked or cid in bad_grade or ("complaints" in checks and cid in complaints):
                    continue
                if need_work and (work is None or on < add_years(work, need_work)):
                    continue
                if need_g and _union_days([(s, e) for s, e in grass[cid] if e > s]) < need_g * 365:
                    continue
                gap = post.rank.level - (level if level is not None else 10)
                if gap > 0 and (gap != 10 or (tenure and (since is None or on < add_years(since, tenure)))):
                    continue
                if min_edu is not None and max(edu_index.get(fulltime, -1), edu_index.get(parttime, -1)) < min_edu:
                    continue
                rel = family.get(cid, ())
                spouses = [e for k, e in rel if k == "spouse"]
                kids = [e for k, e in rel if k in ("son", "daughter")]
                if r8.get("bar_emigrated_family", True) and (
                        (spouses and any(spouses)) or (rel and not spouses and kids and all(kids))):
                    continue
                eligible.append(cid)
    return eligible


def child() -> None:
    import random
    import time

    import django

    django.setup()
    from _child import emit, interleaved, peak_rss_mb
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongxin.cases.rules import rule_set_in_force
    from gongxin.cases.screening import run_eligibility_bulk
    from gongxin.people.models import Cadre

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    post = _load(random.Random(20261127))
    emit("load_s", time.perf_counter() - started)
    on = dt.date(2026, 11, 27)
    rule_set = rule_set_in_force(on=on)
    params = {(f"{r.code}/{r.variant}" if r.variant else r.code): r.parameters for r in rule_set.rules.all()}
    results = {}

    def product():
        results["product"] = [d.cadre_id for d in run_eligibility_bulk(Cadre.objects.all(), post, rule_set=rule_set,
                                                                         on=on, batch_size=BATCH) if d.eligible]

    def baseline():
        results["baseline"] = _baseline(on, post, params)

    if os.environ.get("BENCH_PROFILE"):  # where the product's time goes, to a file named there
        import cProfile

        cProfile.runctx("product()", globals(), locals(), os.environ["BENCH_PROFILE"])
    base, prod, ratio = interleaved(baseline, product, rounds=ROUNDS)
    assert results["product"] == results["baseline"], (len(results["product"]), len(results["baseline"]))
    with CaptureQueriesContext(connection) as one:
        _first_batches(run_eligibility_bulk, post, rule_set, on, 1)
    with CaptureQueriesContext(connection) as three:
        _first_batches(run_eligibility_bulk, post, rule_set, on, 3)
    # Each run also has the bound lookup and the final empty batch read: two fixed queries.
    per_batch = (len(three.captured_queries) - len(one.captured_queries)) // 2
    assert len(one.captured_queries) == per_batch + 2, (len(one.captured_queries), len(three.captured_queries))
    import statistics

    emit("product_s", statistics.median(prod))
    emit("baseline_s", statistics.median(base))
    emit("ratio", ratio)
    emit("eligible", len(results["product"]))
    emit("queries_per_batch", per_batch)
    emit("peak_mb", peak_rss_mb())


def _first_batches(run, post, rule_set, on, batches):
    from gongxin.people.models import Cadre

    last = Cadre.objects.order_by("pk").values_list("pk", flat=True)[BATCH * batches - 1]
    return list(run(Cadre.objects.filter(pk__lte=last), post, rule_set=rule_set, on=on, batch_size=BATCH))


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        def _print(figure, value, unit, baseline_name=None, baseline_value=None, note=""):
            print(figure, value, unit, baseline_name, baseline_value, note)

        main(_print)
