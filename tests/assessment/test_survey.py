"""The public's evaluation of the units as a survey round on the meetings machinery: one-time
codes, the sealed box, the tally; its counts become each unit's public score."""

import datetime as dt
import json

import pytest

from gongxin.assessment import actions, scoring, survey
from gongxin.assessment.models import UnitScore
from gongxin.core.errors import Conflict, DomainError
from gongxin.ledger.models import Event
from gongxin.meetings import actions as meeting_actions
from tests.meetings.conftest import close_with_shares, open_with_shares

from .test_actions import TOWNSHIP


@pytest.fixture
def admin(cast):
    return cast["users"]["org_admin"]


@pytest.fixture
def year(admin, county):
    actions.create_indicator_system(acting_user=admin, category="township", name="乡镇综合考核", indicators=TOWNSHIP)
    year = actions.open_year(acting_user=admin, year=2025)
    for unit in ("lizhuang", "hefang"):
        actions.record_unit_results(acting_user=admin, year=year, org_unit=county[unit],
                                    values={"gdp": 8, "income": 5, "energy": 0.75})
    actions.compute_scores(acting_user=admin, year=year)
    return year


@pytest.fixture
def public(cast, make_cadre):
    """Five representatives of the public (on the electorate as people the office knows)."""
    return [make_cadre(cast["lizhuang_office"], name=f"代表{i}", birth=dt.date(1975 + i, 3, 4)) for i in range(5)]


def test_the_public_score_is_the_mean_value_with_unknown_left_out():
    values = {"good": 1.0, "fair": 0.8, "average": 0.6, "poor": 0.2, "unknown": None}
    # 2 好, 1 较好, 1 差, 3 不了解: (2×1 + 0.8 + 0.2) / 4 = 0.75
    assert scoring.public_score({"good": 2, "fair": 1, "average": 0, "poor": 1, "unknown": 3}, values) == pytest.approx(0.75)
    assert scoring.public_score({"good": 0, "unknown": 4}, values) is None
    with pytest.raises(scoring.ScoringError):
        scoring.public_score({"good": 1}, {"good": 1.5})


def _vote(admin, meeting, ballots):
    meeting, _seed, _shares = open_with_shares(acting_user=admin, meeting=meeting)
    electors = list(meeting.electors.all())
    meeting_actions.check_in(acting_user=admin, meeting=meeting, electors=electors)
    codes = meeting_actions.generate_codes(acting_user=admin, meeting=meeting, count=len(electors))
    for code, ballot in zip(codes, ballots, strict=False):
        meeting_actions.cast_ballot(code=code, selections=[[m] for m in ballot])
    for code in codes[len(ballots):]:
        meeting_actions.spoil_code(acting_user=admin, meeting=meeting, code=code)
    close_with_shares(acting_user=admin, meeting=meeting, slips_issued=len(electors))


def test_the_survey_round_scores_each_unit_from_its_ballots(admin, year, county, public):
    meeting = survey.open_public_evaluation(acting_user=admin, year=year, electors=public,
                                           meeting_date=dt.date(2026, 1, 15))
    assert meeting.is_rating and meeting.status == "draft"
    items = meeting_actions.posts_of(meeting)
    assert [p.title for p in items] == sorted([county["lizhuang"].name, county["hefang"].name],
                                              key=lambda n: [u.path for u in county.values() if u.name == n][0])
    order = {p.title: i for i, p in enumerate(items)}
    li, he = order[county["lizhuang"].name], order[county["hefang"].name]
    with pytest.raises(DomainError) as early:
        survey.apply_public_evaluation(acting_user=admin, year=year)
    assert early.value.code == "assessment.public_not_closed"
    marks = [("good", "poor"), ("good", "poor"), ("fair", "average"), ("unknown", "poor"), ("poor", "unknown")]
    ballots = []
    for a, b in marks:  # (李庄, 何坊) in ballot order
        ballot = [None, None]
        ballot[li], ballot[he] = a, b
        ballots.append(ballot)
    _vote(admin, meeting, ballots)
    results = survey.apply_public_evaluation(acting_user=admin, year=year)
    scores = {r["unit_id"]: r["score"] for r in results}
    # 李庄: 好 好 较好 差 (不了解 out) = (1 + 1 + 0.8 + 0.2) / 4 = 0.75; 何坊: 差 差 一般 差 = (0.2×3 + 0.6) / 4 = 0.3
    assert scores[county["lizhuang"].pk] == pytest.approx(0.75)
    assert scores[county["hefang"].pk] == pytest.approx(0.3)
    li_score = UnitScore.objects.get(year=year, org_unit=county["lizhuang"])
    assert li_score.public_score == pytest.approx(0.75)
    assert li_score.total == pytest.approx(scoring.combine(li_score.adjusted, 0.75, public_weight=float(year.public_weight)))
    event = Event.objects.filter(kind="assessment.public_evaluation.applied").get()
    payload = json.loads(bytes(event.data))["payload"]
    assert payload["units"][str(county["hefang"].pk)]["counts"]["poor"] == 3
    assert payload["ballots_sha256"] == meeting.result.ballots_sha256
    # applying again changes nothing
    survey.apply_public_evaluation(acting_user=admin, year=year)
    assert UnitScore.objects.get(year=year, org_unit=county["lizhuang"]).public_score == pytest.approx(0.75)


def test_one_survey_a_year(admin, year, public):
    survey.open_public_evaluation(acting_user=admin, year=year, electors=public)
    with pytest.raises(Conflict) as twice:
        survey.open_public_evaluation(acting_user=admin, year=year)
    assert twice.value.code == "assessment.public_exists"


def test_no_survey_is_opened_or_applied_once_the_year_is_closed(admin, year, public):
    from gongxin.assessment.models import AssessmentYear, YearStatus

    AssessmentYear.objects.filter(pk=year.pk).update(status=YearStatus.GRADED)
    for change in (lambda: survey.open_public_evaluation(acting_user=admin, year=year, electors=public),
                   lambda: survey.apply_public_evaluation(acting_user=admin, year=year)):
        with pytest.raises(Conflict) as refused:
            change()
        assert refused.value.code == "assessment.year_graded"


def test_a_survey_needs_units_with_results(admin):
    actions.create_indicator_system(acting_user=admin, category="township", name="乡镇综合考核", indicators=TOWNSHIP)
    empty = actions.open_year(acting_user=admin, year=2024)
    with pytest.raises(DomainError) as refused:
        survey.open_public_evaluation(acting_user=admin, year=empty)
    assert "先录入或导入" in refused.value.message


def test_option_values_come_from_the_rule_row_and_the_schema_refuses_a_value_over_one(db):
    from gongxin.cases import rule_schema

    assert survey.option_values() == {"good": 1.0, "fair": 0.8, "average": 0.6, "poor": 0.2, "unknown": None}
    with pytest.raises(DomainError):
        rule_schema.validate("R23", "public", {"public_weight": "0.3", "option_values": {"good": "1.2"}})
    assert rule_schema.validate("R23", "public", {"public_weight": "0.3"})  # older rule sets: defaults


def test_the_year_page_opens_the_survey_shows_its_counts_and_applies_them(admin, year, county, public, client_for):
    client = client_for(admin)
    page = client.get("/assessment/years/2025/").content.decode()
    assert "建立群众评议" in page
    client.post("/assessment/years/2025/", {"action": "public_open"})
    year.refresh_from_db()
    meeting = year.public_meeting
    assert meeting is not None
    page = client.get("/assessment/years/2025/").content.decode()
    assert f"/meetings/{meeting.pk}/" in page and "计入评议结果" not in page
    meeting_actions.add_electors(acting_user=admin, meeting=meeting, cadres=public)
    order = {p.title: i for i, p in enumerate(meeting_actions.posts_of(meeting))}
    ballot = [None, None]
    ballot[order[county["lizhuang"].name]], ballot[order[county["hefang"].name]] = "good", "unknown"
    _vote(admin, meeting, [ballot, ballot])
    page = client.get("/assessment/years/2025/").content.decode()
    assert "计入评议结果并重新计分" in page and "1.0000" in page
    response = client.post("/assessment/years/2025/", {"action": "public_apply"}, follow=True)
    assert "群众评议结果已计入" in response.content.decode()
    assert UnitScore.objects.get(year=year, org_unit=county["lizhuang"]).public_score == pytest.approx(1.0)
    assert UnitScore.objects.get(year=year, org_unit=county["hefang"]).public_score is None


def test_the_survey_also_rates_each_units_leaders_and_their_grades_read_it(admin, year, county, public, make_cadre,
                                                                           ranks):
    from gongxin.assessment.models import GradeDecision
    from gongxin.people import actions as people_actions
    from gongxin.people.models import PostKind

    unit = county["lizhuang"]
    leaders = {}
    for name in ("领导甲", "领导乙"):
        leaders[name] = make_cadre(unit, name=name)
        post = people_actions.create_post(acting_user=None, org_unit=unit, title=f"副镇长{name}", rank=ranks["fuke"],
                                          kind=PostKind.LEADERSHIP)
        people_actions.appoint_to_post(acting_user=None, cadre=leaders[name], post=post, start=dt.date(2024, 1, 1))
    meeting = survey.open_public_evaluation(acting_user=admin, year=year, electors=public, leaders=True)
    titles = [p.title for p in meeting_actions.posts_of(meeting)]
    assert f"{unit.name}　领导甲" in titles and f"{unit.name}　领导乙" in titles
    assert titles.index(unit.name) < titles.index(f"{unit.name}　领导甲")  # each unit's leaders after it
    marks = {f"{unit.name}　领导甲": ["good", "good", "fair", "unknown", "poor"],
             f"{unit.name}　领导乙": ["average", "average", "poor", "poor", "unknown"]}
    _vote(admin, meeting, [[marks.get(t, ["unknown"] * 5)[n] for t in titles] for n in range(5)])
    survey.apply_public_evaluation(acting_user=admin, year=year)
    year.refresh_from_db()
    people = {r["cadre"].name: r["score"] for r in survey.leader_results(year)}
    # 甲: 好 好 较好 差 (不了解 out) = (1 + 1 + 0.8 + 0.2) / 4 = 0.75; 乙: 一般 一般 差 差 = (0.6×2 + 0.2×2) / 4 = 0.4
    assert people["领导甲"] == pytest.approx(0.75) and people["领导乙"] == pytest.approx(0.4)
    # The grade proposals read them: the unit's 0.62 (0.8×0.4 + 0.5×0.3 + 0.5×0.3) × 0.7 + the leader's × 0.3.
    assert UnitScore.objects.get(year=year, org_unit=unit).adjusted == pytest.approx(0.62)
    actions.propose_grades(acting_user=admin, year=year, org_unit=unit)
    grades = {g.cadre.name: g for g in GradeDecision.objects.filter(year=year, org_unit=unit).select_related("cadre")}
    assert grades["领导甲"].public_score == pytest.approx(0.75) and grades["领导甲"].score == pytest.approx(0.659)
    assert grades["领导乙"].public_score == pytest.approx(0.4) and grades["领导乙"].score == pytest.approx(0.554)
    event = Event.objects.filter(kind="assessment.public_evaluation.applied").get()
    payload = json.loads(bytes(event.data))["payload"]
    assert payload["leaders"][str(leaders["领导乙"].pk)]["counts"]["poor"] == 2
