"""Bulk eligibility (issue 20): the batch facts builder and the decision without explanations
agree with the per-cadre path, and a batch costs a fixed number of queries."""

import dataclasses
import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongxin.assessment.models import Accountability
from gongxin.cases import eligibility as core
from gongxin.cases.decide import decide
from gongxin.cases.facts import build_facts, build_facts_bulk, evaluate_cadre
from gongxin.cases.rule_defaults import DEFAULT_RULES
from gongxin.cases.rules import rule_set_in_force
from gongxin.cases.screening import could_step_to, eligible_page, run_eligibility_bulk
from gongxin.inspection.models import ProblemFile
from gongxin.people.models import AnnualGrade, Cadre, PostHolding, Relation, ResumeEntry

ON = dt.date(2026, 11, 27)
RULES = {(f"{r['code']}/{r['variant']}" if r["variant"] else r["code"]):
         core.RuleSpec(params=r["parameters"], name=r["name"], source=r["regulation"] + r["article"])
         for r in DEFAULT_RULES}
POSTS = [core.PostRequirement(title="镇长", rank_level=30, is_head=True),
         core.PostRequirement(title="党委书记", rank_level=30, is_head=True, is_party_post=True, max_age=40,
                              min_education="bachelor"),
         core.PostRequirement(title="副县长", rank_level=40),
         core.PostRequirement(title="科员", rank_level=10, min_work_years=5)]

days = st.dates(dt.date(1995, 1, 1), dt.date(2027, 6, 30))
maybe_day = st.none() | days
CHECKS = list(core.CHECK_LABEL)


@st.composite
def cadre_facts(draw):
    return core.CadreFacts(
        birth=draw(st.dates(dt.date(1960, 1, 1), dt.date(2000, 12, 31))),
        work_started=draw(maybe_day), grassroots_days=draw(st.integers(0, 6000)),
        rank_level=draw(st.sampled_from([None, 10, 20, 25, 30, 40])), rank_since=draw(maybe_day),
        education=draw(st.sampled_from(["", *core.EDUCATION_ORDER])), party_joined=draw(maybe_day),
        grades=draw(st.dictionaries(st.integers(2019, 2026), st.sampled_from(list(core.GRADE_LABEL)), max_size=4)),
        sanctions=tuple(draw(st.lists(st.builds(
            core.Sanction, kind=st.sampled_from(["admonishment", "party_warning", "unknown"]), imposed_on=days,
            months=st.none() | st.integers(1, 36), pending=st.booleans()), max_size=2))),
        personal_matters=draw(st.sampled_from(["", "ok", "discrepancy"])),
        substantiated_problems=tuple(draw(st.lists(st.just("查实"), max_size=1))),
        lobbying=draw(st.booleans()), married=draw(st.none() | st.booleans()),
        spouse_emigrated=draw(st.booleans()), children_all_emigrated=draw(st.booleans()),
        four_checks=draw(st.dictionaries(st.sampled_from(CHECKS), st.sampled_from(["done", "pending", "problem"]))),
        recommended_on=draw(maybe_day))


@settings(max_examples=400, deadline=None)
@given(facts=cadre_facts(), post=st.sampled_from(POSTS), moment=st.sampled_from(["entry", "decision"]),
       on=st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)))
def test_decide_is_the_engines_verdict(facts, post, moment, on):
    evaluator = core.Evaluator(post, RULES, on=on, moment=moment)
    assert decide(evaluator, facts) == core.passed(evaluator(facts))


# ---- the batch builder against the per-cadre builder, on generated cadres -----------------

@st.composite
def cadre_rows(draw):
    return {
        "birth": draw(st.dates(dt.date(1965, 1, 1), dt.date(1998, 12, 31))),
        "rank": draw(st.sampled_from([None, "yiji_keyuan", "fuke", "zhengke"])),
        "rank_since": draw(maybe_day), "work_started": draw(maybe_day), "party_joined": draw(maybe_day),
        "education": draw(st.sampled_from(["", "associate", "bachelor", "master"])),
        "resume": draw(st.lists(st.tuples(days, st.integers(0, 3000), st.booleans(), st.booleans()), max_size=3)),
        "holdings": draw(st.lists(st.tuples(days, st.none() | st.integers(0, 2000), st.booleans(), maybe_day),
                                  max_size=2)),
        "relations": draw(st.lists(st.tuples(st.sampled_from(["spouse", "son", "daughter", "father"]), st.booleans()),
                                   max_size=3)),
        "grades": draw(st.dictionaries(st.integers(2021, 2026), st.sampled_from(list(core.GRADE_LABEL)), max_size=3)),
        "problems": draw(st.lists(st.tuples(st.sampled_from(["", "substantiated", "unsubstantiated"]),
                                            st.sampled_from(["received", "closed"]), maybe_day), max_size=2)),
        "accountabilities": draw(st.lists(st.tuples(st.sampled_from(["open", "decided", "dismissed"]), days,
                                                    st.none() | st.integers(1, 24)), max_size=2)),
    }


def _make(rows, county, ranks, posts_by_grassroots):
    made = []
    for n, r in enumerate(rows):
        unit = county["lizhuang"] if n % 2 else county["finance"]
        cadre = Cadre.objects.create(
            name=f"测试{n}", sex="M", birth_date=r["birth"], id_number=f"T{n:017d}", org_unit=unit,
            rank=ranks[r["rank"]] if r["rank"] else None, rank_since=r["rank_since"], work_started=r["work_started"],
            party_joined=r["party_joined"], fulltime_education=r["education"])
        for start, length, own, in_unit in r["resume"]:
            ResumeEntry.objects.create(cadre=cadre, start=start, end=start + dt.timedelta(days=length),
                                       description="经历", is_grassroots=own,
                                       org_unit=county["lizhuang"] if in_unit else county["finance"])
        for start, length, grassroots, probation in r["holdings"]:
            PostHolding.objects.create(cadre=cadre, post=posts_by_grassroots[grassroots], start=start,
                                       end=None if length is None else start + dt.timedelta(days=length),
                                       probation_end=probation)
        for i, (kind, emigrated) in enumerate(r["relations"]):
            Relation.objects.create(cadre=cadre, kind=kind, title="亲属", name=f"亲属{i}", emigrated=emigrated)
        for year, grade in r["grades"].items():
            AnnualGrade.objects.create(cadre=cadre, year=year, grade=grade)
        for finding, status, found_on in r["problems"]:
            ProblemFile.objects.create(cadre=cadre, channel="letter", text="反映问题" * 12, finding=finding,
                                       status=status, found_on=found_on)
        for status, opened_on, bar in r["accountabilities"]:
            Accountability.objects.create(cadre=cadre, facts="事实", status=status, opened_on=opened_on,
                                          kind="admonishment" if status == "decided" else "",
                                          decided_on=opened_on if status == "decided" else None, bar_months=bar)
        made.append(cadre)
    return made


@pytest.mark.django_db
def test_bulk_and_per_cadre_paths_decide_identically(county, ranks, posts):
    from gongxin.people import actions as people_actions

    office = people_actions.create_post(acting_user=None, org_unit=county["finance"], title="科员",
                                        rank=ranks["yiji_keyuan"], kind="leadership")
    by_grassroots = {True: posts["lizhuang_head"], False: office}
    rule_set = rule_set_in_force()

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(rows=st.lists(cadre_rows(), min_size=1, max_size=6), on=st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)))
    def check(rows, on):
        with transaction.atomic():
            made = _make(rows, county, ranks, by_grassroots)
            ids = [c.pk for c in made]
            bulk = build_facts_bulk(Cadre.objects.filter(pk__in=ids), on=on)
            for cadre in made:
                assert dataclasses.asdict(bulk[cadre.pk]) == dataclasses.asdict(build_facts(cadre, on=on))
            for post in (posts["lizhuang_head"], office):
                decided = {d.cadre_id: d for d in run_eligibility_bulk(
                    Cadre.objects.filter(pk__in=ids), post, rule_set=rule_set, on=on, batch_size=4)}
                assert sorted(decided) == sorted(ids)
                for cadre in made:
                    one = evaluate_cadre(cadre, post, rule_set=rule_set, on=on)
                    assert decided[cadre.pk].eligible == core.passed(one)
                    assert [r.as_dict() for r in decided[cadre.pk].explain()] == [r.as_dict() for r in one]
            transaction.set_rollback(True)

    check()


def _cadres_with_everything(county, ranks, posts, n):
    rows = [{"birth": dt.date(1980, 1, 1), "rank": "fuke", "rank_since": dt.date(2018, 1, 1),
             "work_started": dt.date(2003, 1, 1), "party_joined": dt.date(2005, 1, 1), "education": "bachelor",
             "resume": [(dt.date(2004, 1, 1), 1000, True, True)], "holdings": [(dt.date(2018, 1, 1), None, True, None)],
             "relations": [("spouse", False), ("son", False)], "grades": {2024: "competent", 2025: "excellent"},
             "problems": [("substantiated", "closed", dt.date(2025, 1, 1))] if i % 3 == 0 else [],
             "accountabilities": [("open", dt.date(2026, 1, 1), None)] if i % 4 == 0 else []} for i in range(n)]
    return _make(rows, county, ranks, {True: posts["lizhuang_head"], False: posts["lizhuang_head"]})


@pytest.mark.django_db
def test_a_batch_costs_the_same_number_of_queries_whatever_its_size(county, ranks, posts):
    rule_set = rule_set_in_force()
    post = posts["lizhuang_secretary"]
    made = _cadres_with_everything(county, ranks, posts, 60)
    counts = {}
    for n in (3, 60):
        qs = Cadre.objects.filter(pk__in=[c.pk for c in made[:n]])
        with CaptureQueriesContext(connection) as ctx:
            decisions = list(run_eligibility_bulk(qs, post, rule_set=rule_set, on=ON, batch_size=100))
        assert len(decisions) == n
        counts[n] = len(ctx.captured_queries)
    assert counts[3] == counts[60] <= 10, counts
    # Three batches of 20: three times the queries of one batch, not sixty times.
    with CaptureQueriesContext(connection) as ctx:
        list(run_eligibility_bulk(Cadre.objects.filter(pk__in=[c.pk for c in made]), post, rule_set=rule_set,
                                  on=ON, batch_size=20))
    assert len(ctx.captured_queries) <= 3 * counts[60] + 1


@pytest.mark.django_db
def test_a_page_of_eligible_cadres_continues_where_the_last_ended(county, ranks, posts):
    rule_set = rule_set_in_force()
    post = posts["lizhuang_head"]
    made = _cadres_with_everything(county, ranks, posts, 30)
    qs = Cadre.objects.filter(pk__in=[c.pk for c in made])
    everyone = [d.cadre_id for d in run_eligibility_bulk(qs, post, rule_set=rule_set, on=ON) if d.eligible]
    # Every third cadre has a substantiated problem and every fourth an open accountability.
    assert everyone == [c.pk for i, c in enumerate(made) if i % 3 and i % 4]
    seen, after = [], 0
    while after is not None:
        page, after = eligible_page(qs, post, rule_set=rule_set, on=ON, after=after, size=4, batch_size=7)
        seen += [d.cadre_id for d in page]
    assert seen == everyone


@pytest.mark.django_db
def test_could_step_to_leaves_out_only_cadres_the_step_rule_fails(county, ranks, posts):
    rule_set = rule_set_in_force()
    post = posts["lizhuang_head"]  # 正科
    rows = [{"birth": dt.date(1980, 1, 1), "rank": rank, "rank_since": dt.date(2015, 1, 1),
             "work_started": dt.date(2003, 1, 1), "party_joined": None, "education": "bachelor", "resume": [],
             "holdings": [], "relations": [], "grades": {}, "problems": [], "accountabilities": []}
            for rank in (None, "yiji_keyuan", "fuke", "zhengke")]
    made = _make(rows, county, ranks, {True: post, False: post})
    qs = Cadre.objects.filter(pk__in=[c.pk for c in made])
    kept = set(qs.filter(could_step_to(post)).values_list("pk", flat=True))
    for d in run_eligibility_bulk(qs, post, rule_set=rule_set, on=ON):
        if d.cadre_id not in kept:
            assert not d.eligible and "R1.step" in [r.item for r in d.explain() if r.outcome == core.FAIL]
    assert kept == {made[2].pk, made[3].pk}
