"""Assessment actions through the real workflow: indicator systems, scores, grades under the
R23 cap feeding R8, and accountability barring promotion under R25."""

import datetime as dt

import pytest
from django.utils import timezone

from gongxin.assessment import actions
from gongxin.assessment.models import AccountabilityStatus, UnitScore
from gongxin.cases.facts import evaluate_cadre
from gongxin.cases.rules import rule_set_in_force
from gongxin.core.errors import Conflict, DomainError
from gongxin.ledger.models import Event
from gongxin.people import actions as people_actions
from gongxin.people.models import AnnualGrade, PostKind

TOWNSHIP = [
    {"code": "gdp", "name": "地区生产总值增速", "dimension": "economy", "weight": "0.4", "floor": 0, "target": 10},
    {"code": "income", "name": "居民收入增速", "dimension": "livelihood", "weight": "0.3", "floor": 0, "target": 10},
    {"code": "energy", "name": "单位产值能耗", "dimension": "cost", "weight": "0.3", "direction": "lower",
     "floor": 1.0, "target": 0.5},
]


@pytest.fixture
def admin(cast):
    return cast["users"]["org_admin"]


@pytest.fixture
def year(admin):
    actions.create_indicator_system(acting_user=admin, category="township", name="乡镇综合考核", indicators=TOWNSHIP)
    return actions.open_year(acting_user=admin, year=2025)


def r25(cadre, post, on=None):
    results = evaluate_cadre(cadre, post, rule_set=rule_set_in_force(), on=on)
    return [r for r in results if r.code == "R25"]


def test_weights_not_summing_to_one_are_refused_with_the_sum(admin):
    bad = [dict(row) for row in TOWNSHIP]
    bad[0]["weight"] = "0.5"
    with pytest.raises(DomainError) as err:
        actions.create_indicator_system(acting_user=admin, category="township", name="乡镇", indicators=bad)
    assert err.value.code == "assessment.weights_sum"
    assert "1.1" in err.value.message


def test_a_system_used_by_a_year_is_frozen_and_a_new_version_does_not_change_the_year(admin, year):
    assert year.systems.get().frozen
    changed = [dict(row) for row in TOWNSHIP]
    changed[0]["target"] = 20
    newer = actions.create_indicator_system(acting_user=admin, category="township", name="乡镇（修订）", indicators=changed)
    assert newer.version == 2
    assert year.systems.get().version == 1


def test_scores_rank_within_the_category_and_the_coefficient_applies_to_remote_units(admin, year, cast, county):
    county["hefang"].is_remote = True
    county["hefang"].save()
    actions.record_unit_results(acting_user=admin, year=year, org_unit=county["lizhuang"],
                                values={"gdp": 8, "income": 5, "energy": 0.75})
    actions.record_unit_results(acting_user=admin, year=year, org_unit=county["hefang"],
                                values={"gdp": 6, "income": 6, "energy": 0.6})
    actions.compute_scores(acting_user=admin, year=year)
    li, he = (UnitScore.objects.get(org_unit=county[k]) for k in ("lizhuang", "hefang"))
    # 李庄: 0.8×0.4 + 0.5×0.3 + 0.5×0.3 = 0.62; 何坊: 0.6×0.4 + 0.6×0.3 + 0.8×0.3 = 0.66, × 1.10 = 0.726
    assert round(li.raw, 9) == 0.62 and li.coefficient == 1.0
    assert round(he.raw, 9) == 0.66 and he.coefficient == pytest.approx(1.10)
    assert round(he.adjusted, 9) == 0.726
    assert (he.rank, li.rank, he.peers) == (1, 2, 2)
    assert Event.objects.filter(kind="assessment.scores.computed").count() == 1


def test_a_value_that_is_not_a_number_is_refused_naming_the_indicator(admin, year, county):
    with pytest.raises(DomainError) as err:
        actions.record_unit_results(acting_user=admin, year=year, org_unit=county["lizhuang"], values={"gdp": "很好"})
    assert "地区生产总值增速" in err.value.message


def _leaders(make_cadre, ranks, unit, n):
    people = []
    for i in range(n):
        cadre = make_cadre(unit, name=f"干部{i:02d}")
        post = people_actions.create_post(acting_user=None, org_unit=unit, title=f"副镇长{i}", rank=ranks["fuke"],
                                          kind=PostKind.LEADERSHIP)
        people_actions.appoint_to_post(acting_user=None, cadre=cadre, post=post, start=dt.date(2024, 1, 1))
        people.append(cadre)
    return people


@pytest.mark.parametrize(("n", "cap"), [(8, 2), (4, 1)])
def test_the_excellent_cap_allows_exactly_25_percent_and_refuses_one_more(admin, year, county, make_cadre, ranks, n, cap):
    people = _leaders(make_cadre, ranks, county["lizhuang"], n)
    actions.record_unit_results(acting_user=admin, year=year, org_unit=county["lizhuang"],
                                values={"gdp": 8, "income": 5, "energy": 0.75})
    actions.compute_scores(acting_user=admin, year=year)
    actions.record_public_scores(acting_user=admin, year=year, cadre_scores={})
    proposed = actions.propose_grades(acting_user=admin, year=year, org_unit=county["lizhuang"])
    assert len(proposed) == n
    at_cap = {p.pk: "excellent" for p in people[:cap]}
    with pytest.raises(DomainError) as err:
        actions.decide_grades(acting_user=admin, year=year, org_unit=county["lizhuang"],
                              grades={**at_cap, people[cap].pk: "excellent"})
    assert err.value.code == "assessment.excellent_over_cap"
    assert "超出上限 1 人" in err.value.message
    assert not AnnualGrade.objects.filter(year=2025).exists()  # nothing half-saved
    actions.decide_grades(acting_user=admin, year=year, org_unit=county["lizhuang"], grades=at_cap)
    assert AnnualGrade.objects.filter(year=2025, grade="excellent").count() == cap
    assert AnnualGrade.objects.filter(year=2025, grade="competent").count() == n - cap


def test_a_decided_basically_competent_grade_fails_r8(admin, year, county, make_cadre, ranks, posts):
    (cadre,) = _leaders(make_cadre, ranks, county["lizhuang"], 1)
    actions.record_unit_results(acting_user=admin, year=year, org_unit=county["lizhuang"],
                                values={"gdp": 8, "income": 5, "energy": 0.75})
    actions.compute_scores(acting_user=admin, year=year)
    actions.propose_grades(acting_user=admin, year=year, org_unit=county["lizhuang"])
    actions.decide_grades(acting_user=admin, year=year, org_unit=county["lizhuang"],
                          grades={cadre.pk: "basically_competent"})
    results = evaluate_cadre(cadre, posts["lizhuang_head"], rule_set=rule_set_in_force(), on=dt.date(2026, 6, 1))
    r8 = [r for r in results if r.item == "R8.grades"]
    assert r8 and r8[0].outcome == "fail"


def test_an_open_accountability_blocks_promotion_until_decided(admin, cast, posts):
    zhang = cast["cadres"]["zhang"]
    assert [r.outcome for r in r25(zhang, posts["lizhuang_head"])] == ["pass"]
    case = actions.open_accountability(acting_user=admin, cadre=zhang, facts="古城开发项目盲目决策造成损失",
                                       opened_on=timezone.localdate() - dt.timedelta(days=30))
    (result,) = r25(zhang, posts["lizhuang_head"])
    assert result.outcome == "fail" and "尚在调查" in result.reason
    actions.dismiss_accountability(acting_user=admin, case=case, reason="经查不存在失职失责")
    assert [r.outcome for r in r25(zhang, posts["lizhuang_head"])] == ["pass"]


def test_an_admonition_bars_promotion_for_six_months_with_its_reason_and_end_date(admin, cast, posts):
    zhang = cast["cadres"]["zhang"]
    today = timezone.localdate()
    decided_on = today - dt.timedelta(days=10)
    case = actions.open_accountability(acting_user=admin, cadre=zhang, facts="形象工程", opened_on=decided_on)
    case = actions.decide_accountability(acting_user=admin, case=case, kind="admonishment", decision="诫勉谈话",
                                         decided_on=decided_on)
    assert case.status == AccountabilityStatus.DECIDED and case.bar_months == 6
    (result,) = r25(zhang, posts["lizhuang_head"])
    assert result.outcome == "fail"
    assert "诫勉" in result.reason
    from gongxin.cases.eligibility import add_months
    assert str(add_months(decided_on, 6)) in result.reason
    # the day the bar ends, it passes
    (after,) = r25(zhang, posts["lizhuang_head"], on=add_months(decided_on, 6))
    assert after.outcome == "pass"


def test_criticism_does_not_bar_promotion(admin, cast, posts):
    zhang = cast["cadres"]["zhang"]
    case = actions.open_accountability(acting_user=admin, cadre=zhang, facts="会议迟到")
    actions.decide_accountability(acting_user=admin, case=case, kind="criticism", decision="批评教育")
    assert [r.outcome for r in r25(zhang, posts["lizhuang_head"])] == ["pass"]


def test_a_decided_case_cannot_be_decided_again(admin, cast):
    case = actions.open_accountability(acting_user=admin, cadre=cast["cadres"]["zhang"], facts="事实")
    actions.decide_accountability(acting_user=admin, case=case, kind="transfer", decision="调离")
    with pytest.raises(Conflict):
        actions.decide_accountability(acting_user=admin, case=case, kind="removal", decision="免职")


def test_daily_records_refuse_empty_text_and_future_dates(admin, cast):
    zhang = cast["cadres"]["zhang"]
    with pytest.raises(DomainError):
        actions.add_daily_record(acting_user=admin, cadre=zhang, recorded_on=timezone.localdate(), category="work", text=" ")
    with pytest.raises(DomainError):
        actions.add_daily_record(acting_user=admin, cadre=zhang, recorded_on=timezone.localdate() + dt.timedelta(days=1),
                                 category="work", text="下乡调研")
    record = actions.add_daily_record(acting_user=admin, cadre=zhang, recorded_on=timezone.localdate(),
                                      category="work", text="牵头完成古城开发拆迁")
    assert record.pk and Event.objects.filter(kind="assessment.daily_record.added").exists()


def test_the_rule_rows_assessment_adds_meet_their_typed_schemas(db):
    from gongxin.cases import rule_schema

    rule_set = rule_set_in_force()
    assert rule_schema.problems(rule_set.rules.all()) == []
    assert rule_schema.schema_for("R25", "accountability")["bar_months"].kind == "months_map"
    with pytest.raises(DomainError) as err:
        rule_schema.validate("R23", "difficulty", {"coefficients": {"township": "0.5"}, "remote_only": True,
                                                   "hard_posting_years": 5})
    assert "难度系数" in err.value.message


def test_the_year_closes_only_when_every_scored_unit_is_decided_and_then_refuses_changes(
        admin, year, county, make_cadre, ranks):
    people = _leaders(make_cadre, ranks, county["lizhuang"], 4)  # 25% of 4: one 优秀
    _leaders(make_cadre, ranks, county["hefang"], 1)
    for unit in ("lizhuang", "hefang"):
        actions.record_unit_results(acting_user=admin, year=year, org_unit=county[unit],
                                    values={"gdp": 8, "income": 5, "energy": 0.75})
    actions.compute_scores(acting_user=admin, year=year)
    actions.propose_grades(acting_user=admin, year=year, org_unit=county["lizhuang"])
    actions.decide_grades(acting_user=admin, year=year, org_unit=county["lizhuang"], grades={people[0].pk: "excellent"})
    with pytest.raises(DomainError) as err:  # 何坊 has a leader and no decided grades yet
        actions.close_year(acting_user=admin, year=year)
    assert err.value.code == "assessment.grades_pending"
    assert county["hefang"].name in err.value.message and county["lizhuang"].name not in err.value.message
    actions.propose_grades(acting_user=admin, year=year, org_unit=county["hefang"])
    actions.decide_grades(acting_user=admin, year=year, org_unit=county["hefang"], grades={})
    closed = actions.close_year(acting_user=admin, year=year)
    assert closed.status == "graded"
    assert Event.objects.filter(kind="assessment.year.graded").count() == 1
    for change in (
        lambda: actions.record_unit_results(acting_user=admin, year=year, org_unit=county["lizhuang"], values={"gdp": 9}),
        lambda: actions.compute_scores(acting_user=admin, year=year),
        lambda: actions.decide_grades(acting_user=admin, year=year, org_unit=county["lizhuang"],
                                      grades={people[1].pk: "excellent"}),
        lambda: actions.close_year(acting_user=admin, year=year),
    ):
        with pytest.raises(Conflict) as refused:
            change()
        assert refused.value.code == "assessment.year_graded"
    assert AnnualGrade.objects.get(cadre=people[1], year=2025).grade == "competent"


def test_candidates_with_long_hard_service_are_flagged_in_the_case_by_the_rule_row(admin, county, make_cadre, ranks):
    from gongxin.assessment.queries import candidate_notes, preferred_for_hard_service
    from gongxin.cases.rules import rule_params

    county["hefang"].is_remote = True
    county["hefang"].save()
    threshold = rule_params("R23", variant="difficulty")["hard_posting_years"]
    long_, short = make_cadre(county["hefang"], name="长期艰苦"), make_cadre(county["hefang"], name="短期艰苦")
    today = timezone.localdate()
    for cadre, years in ((long_, threshold + 1), (short, threshold - 1)):
        post = people_actions.create_post(acting_user=None, org_unit=county["hefang"], title=f"职位{cadre.pk}",
                                          rank=ranks["fuke"], kind=PostKind.LEADERSHIP)
        people_actions.appoint_to_post(acting_user=None, cadre=cadre, post=post,
                                       start=today - dt.timedelta(days=int(years * 365.25) + 2))
    flagged = preferred_for_hard_service([long_.pk, short.pk], on=today)
    assert set(flagged) == {long_.pk} and flagged[long_.pk] >= threshold

    class Cand:  # what the hook reads of a candidate
        def __init__(self, pk, cadre):
            self.pk, self.cadre_id, self.case_id, self.case = pk, cadre.pk, 1, None

    notes = candidate_notes([Cand(1, long_), Cand(2, short)])
    assert list(notes) == [1] and "优先使用" in notes[1][0]
