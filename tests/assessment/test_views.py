"""The assessment pages as a clerk uses them, and their data scope."""

import datetime as dt

import pytest

from gongxin.assessment import actions
from gongxin.assessment.models import Accountability, DailyRecord, UnitScore
from gongxin.people import actions as people_actions
from gongxin.people.models import AnnualGrade, PostKind

from .test_actions import TOWNSHIP


@pytest.fixture
def admin(cast):
    return cast["users"]["org_admin"]


@pytest.fixture
def year(admin):
    actions.create_indicator_system(acting_user=admin, category="township", name="乡镇综合考核", indicators=TOWNSHIP)
    return actions.open_year(acting_user=admin, year=2025)


def test_the_admin_builds_a_system_on_the_page_and_a_bad_weight_is_explained(admin, client_for):
    client = client_for(admin)
    data = {"category": "township", "name": "乡镇综合考核",
            "code_0": "gdp", "name_0": "地区生产总值增速", "dimension_0": "economy", "weight_0": "0.6",
            "direction_0": "higher", "floor_0": "0", "target_0": "10",
            "code_1": "income", "name_1": "居民收入增速", "dimension_1": "livelihood", "weight_1": "0.3",
            "direction_1": "higher", "floor_1": "0", "target_1": "10"}
    page = client.post("/assessment/systems/", data, follow=True).content.decode()
    assert "权重之和须为 1（现为 0.9）" in page
    data["weight_1"] = "0.4"
    page = client.post("/assessment/systems/", data, follow=True).content.decode()
    assert "已建立" in page and "居民收入增速" in page


def test_a_clerk_enters_results_computes_scores_and_reads_the_breakdown(admin, year, cast, client_for):
    client = client_for(admin)
    unit = cast["lizhuang"]
    client.post(f"/assessment/years/2025/units/{unit.pk}/", {"which": "results", "gdp": "8", "income": "5", "energy": "0.75"})
    client.post("/assessment/years/2025/")
    assert UnitScore.objects.get(org_unit=unit).raw == pytest.approx(0.32 + 0.15 + 0.15)
    page = client.get(f"/assessment/years/2025/units/{unit.pk}/").content.decode()
    assert "得分构成" in page and "0.3200" in page and "敏感性分析" in page
    assert "权重 +10%" in page and "同类单位的排名稳定性" in page


def test_grades_decided_on_the_page_over_the_cap_are_refused_with_the_count(admin, year, cast, client_for, make_cadre, ranks):
    unit = cast["lizhuang"]
    people = []
    for i in range(4):
        cadre = make_cadre(unit, name=f"班子{i}")
        post = people_actions.create_post(acting_user=None, org_unit=unit, title=f"副镇长{i}", rank=ranks["fuke"],
                                          kind=PostKind.LEADERSHIP)
        people_actions.appoint_to_post(acting_user=None, cadre=cadre, post=post, start=dt.date(2024, 1, 1))
        people.append(cadre)
    actions.record_unit_results(acting_user=admin, year=year, org_unit=unit, values={"gdp": 8, "income": 5, "energy": 0.75})
    actions.compute_scores(acting_user=admin, year=year)
    client = client_for(admin)
    client.post(f"/assessment/years/2025/units/{unit.pk}/", {"which": "propose", "team_rating": "good"})
    grades = {f"grade_{p.pk}": "excellent" if i < 2 else "competent" for i, p in enumerate(people)}
    page = client.post(f"/assessment/years/2025/units/{unit.pk}/", {"which": "decide", **grades}, follow=True).content.decode()
    assert "优秀 2 人，超出上限 1 人" in page
    grades[f"grade_{people[1].pk}"] = "competent"
    client.post(f"/assessment/years/2025/units/{unit.pk}/", {"which": "decide", **grades})
    assert AnnualGrade.objects.filter(year=2025, grade="excellent").count() == 1


def test_accountability_opened_from_the_cadre_page_and_decided(admin, cast, client_for):
    client = client_for(admin)
    zhang = cast["cadres"]["zhang"]
    page = client.get(f"/people/cadres/{zhang.pk}/").content.decode()
    assert "考核与问责" in page
    response = client.post(f"/assessment/cadres/{zhang.pk}/accountability/", {"opened_on": "2026-01-05", "facts": "形象工程"})
    case = Accountability.objects.get()
    assert response.status_code == 302 and response.url == f"/assessment/accountability/{case.pk}/"
    client.post(f"/assessment/accountability/{case.pk}/", {"which": "decide", "kind": "admonishment",
                                                          "decided_on": "2026-02-01", "decision": "诫勉谈话"})
    case.refresh_from_db()
    assert case.bar_months == 6
    page = client.get(f"/assessment/accountability/{case.pk}/").content.decode()
    assert "6 个月（规则 R25）" in page and "admonishment" not in page
    client.post(f"/assessment/cadres/{zhang.pk}/daily-records/", {"recorded_on": "2026-03-01", "category": "work",
                                                                  "text": "带队完成防汛"})
    assert DailyRecord.objects.filter(cadre=zhang).count() == 1


def test_a_township_clerk_sees_only_accountability_in_scope_and_cannot_configure(cast, admin, client_for):
    li = cast["cadres"]["li"]          # 何坊街道, outside the 李庄镇 clerk's scope
    other = actions.open_accountability(acting_user=admin, cadre=li, facts="他处的事")
    clerk = cast["users"]["clerk"]
    client = client_for(clerk)
    assert client.get(f"/assessment/accountability/{other.pk}/").status_code == 404
    assert "他处的事" not in client.get("/assessment/accountability/").content.decode()
    assert client.post("/assessment/", {"year": 2030}).status_code == 403
    assert client_for(cast["users"]["voter"]).get("/assessment/").status_code == 403


def test_the_daily_record_gaps_list_shows_senior_cadres_without_a_recent_entry(admin, cast, client_for):
    zhang, li = cast["cadres"]["zhang"], cast["cadres"]["li"]   # both 副科
    actions.add_daily_record(acting_user=admin, cadre=zhang, recorded_on=dt.date.today(), category="work", text="x")
    page = client_for(admin).get("/assessment/daily-records/gaps/?days=30").content.decode()
    assert li.name in page and f">{zhang.name}<" not in page


def test_years_in_hard_postings_come_from_post_holdings(admin, cast, county, ranks):
    from gongxin.assessment.queries import hard_posting_years

    county["hefang"].is_remote = True
    county["hefang"].save()
    post = people_actions.create_post(acting_user=None, org_unit=county["hefang"], title="副主任", rank=ranks["fuke"],
                                      kind=PostKind.LEADERSHIP)
    li = cast["cadres"]["li"]
    people_actions.appoint_to_post(acting_user=None, cadre=li, post=post, start=dt.date(2020, 1, 1))
    assert hard_posting_years([li.pk], on=dt.date(2025, 1, 1)) == {li.pk: 5.0}
    assert hard_posting_years([cast["cadres"]["zhang"].pk], on=dt.date(2025, 1, 1)) == {}


def test_the_case_page_flags_a_candidate_with_long_hard_service(admin, cast, county, ranks, posts, client_for):
    from gongxin.cases import actions as case_actions
    from gongxin.cases.models import Channel

    county["hefang"].is_remote = True
    county["hefang"].save()
    post = people_actions.create_post(acting_user=None, org_unit=county["hefang"], title="副主任", rank=ranks["fuke"],
                                      kind=PostKind.LEADERSHIP)
    li, zhang = cast["cadres"]["li"], cast["cadres"]["zhang"]
    people_actions.appoint_to_post(acting_user=None, cadre=li, post=post, start=dt.date(2012, 1, 1))
    case = case_actions.open_case(acting_user=admin, title="李庄镇党委书记选任", org_unit=cast["lizhuang"],
                                  posts=[posts["lizhuang_secretary"]], channels=[Channel.PERFORMANCE],
                                  motion_reason="原书记调任", motion_date=dt.date(2026, 1, 5))
    flagged = case_actions.add_candidate(acting_user=admin, case=case, cadre=li, channel=Channel.PERFORMANCE, evidence={"note": "实绩突出"})
    case_actions.add_candidate(acting_user=admin, case=case, cadre=zhang, channel=Channel.PERFORMANCE, evidence={"note": "实绩突出"})
    page = client_for(admin).get(f"/cases/{case.pk}/").content.decode()
    assert page.count("（优先使用）") == 1
    row = page[page.index(f'<td class="name"><a href="/cases/candidates/{flagged.pk}/">'):]
    assert row.index("（优先使用）") < row.index("</td>")
    detail = client_for(admin).get(f"/cases/candidates/{flagged.pk}/").content.decode()
    assert "（优先使用）" in detail
