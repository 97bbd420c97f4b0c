"""Eligibility engine over 200,000 cadres' facts against one post, against a plain loop that only
reads the same facts (same run, same data). The engine is pure: no database is involved."""

import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

N = 200_000
ON = dt.date(2026, 11, 27)


def _facts(rng: random.Random, core):
    out = []
    grades = ["excellent", "competent", "competent", "competent", "basically_competent", "incompetent"]
    educations = core.EDUCATION_ORDER[2:]
    for i in range(N):
        birth = dt.date(1965 + rng.randrange(35), 1 + rng.randrange(12), 1 + rng.randrange(28))
        work = dt.date(birth.year + 18 + rng.randrange(8), 1 + rng.randrange(12), 1)
        rank_since = dt.date(min(2026, work.year + rng.randrange(20)), 1 + rng.randrange(12), 1)
        sanctions = ()
        if rng.random() < 0.03:
            sanctions = (core.Sanction("admonishment", ON - dt.timedelta(days=rng.randrange(900))),)
        out.append(core.CadreFacts(
            birth=birth, work_started=work, grassroots_days=rng.randrange(4000),
            rank_level=rng.choice([10, 20, 20, 30]), rank_since=rank_since, education=rng.choice(educations),
            party_joined=dt.date(work.year + rng.randrange(6), 7, 1) if rng.random() < 0.85 else None,
            grades={y: rng.choice(grades) for y in range(2021, 2026)}, sanctions=sanctions,
            married=rng.random() < 0.9, spouse_emigrated=rng.random() < 0.002,
            four_checks={"file": "done", "personal_matters_report": "done"}, cadre_id=i))
    return out


def _read_only(facts_list, post):
    """The baseline: touch every fact the engine reads, decide nothing."""
    n = 0
    for f in facts_list:
        x = (f.work_started, f.grassroots_days, f.rank_level, f.rank_since, f.education, f.party_joined,
             f.probation_end, f.last_promotion, f.recommended_on, f.lobbying, f.married, f.spouse_emigrated,
             f.children_all_emigrated, f.personal_matters, f.birth, post.rank_level)
        for y, g in f.grades.items():
            n += (y, g) is not None
        for s in f.sanctions:
            n += s.imposed_on is not None
        for c in f.four_checks.values():
            n += c is not None
        for p in f.substantiated_problems:
            n += p is not None
        n += x is not None
    return n


def main(report):
    from gongxin.cases import eligibility as core
    from gongxin.cases.rule_defaults import DEFAULT_RULES

    rules = {(f"{r['code']}/{r['variant']}" if r["variant"] else r["code"]):
             core.RuleSpec(params=r["parameters"], name=r["name"], source=r["regulation"] + r["article"])
             for r in DEFAULT_RULES}
    post = core.PostRequirement(title="李庄镇党委书记", rank_level=30, is_head=True, is_party_post=True)
    rng = random.Random(20261127)
    started = time.perf_counter()
    facts = _facts(rng, core)
    print(f"   built {N:,} cadres' facts in {time.perf_counter() - started:.1f} s", flush=True)

    t0 = time.perf_counter()
    _read_only(facts, post)
    baseline = time.perf_counter() - t0

    t0 = time.perf_counter()
    eligible = 0
    check = core.Evaluator(post, rules, on=ON)  # the post's rules read once, as a bulk check would
    for f in facts:
        if core.passed(check(f)):
            eligible += 1
    engine = time.perf_counter() - t0

    report("eligibility engine, 200,000 cadres × 1 post", engine, "s", "plain loop reading the same facts", baseline,
           note=f"{eligible:,} eligible; {engine / N * 1e6:.1f} µs per cadre")


if __name__ == "__main__":
    def _print(figure, value, unit, baseline_name=None, baseline_value=None, note=""):
        print(figure, value, unit, baseline_name, baseline_value, note)

    main(_print)
