"""The pages: report generated, edited, printed; evaluation created, closed, published; results
with the rate, the flagged cadre and the chart; the public page; the trend chart."""

import datetime as dt

from gongxin.evaluation import chart
from gongxin.evaluation.models import Evaluation, Report

from .test_actions import vote


def test_report_pages(cast, client_for, promoted):
    c = client_for(cast["users"]["clerk"])
    r = c.post("/evaluation/reports/new/", {"year": 2025, "org_unit": cast["lizhuang"].pk})
    report = Report.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/evaluation/reports/{report.pk}/")
    page = c.get(f"/evaluation/reports/{report.pk}/").content.decode()
    assert "任用干部 2 人次" in page
    bad = c.post(f"/evaluation/reports/{report.pk}/", {"title": report.title, "text": ""})
    assert bad.status_code == 400 and "第一段" not in Report.objects.get().text
    assert c.post(f"/evaluation/reports/{report.pk}/", {"title": report.title, "text": "第一段。\n\n第二段。"}).status_code == 302
    printed = c.get(f"/evaluation/reports/{report.pk}/print/").content.decode()
    assert "<p>第一段。</p>" in printed and "<p>第二段。</p>" in printed
    c.post(f"/evaluation/reports/{report.pk}/finalize/")
    report.refresh_from_db()
    assert report.is_final and "定稿正文 SHA-256" in c.get(f"/evaluation/reports/{report.pk}/").content.decode()


def test_evaluation_pages_close_publish_and_public(cast, client_for, members, promoted):
    from tests.meetings.conftest import KEY_SHARES

    clerk = cast["users"]["clerk"]
    c = client_for(clerk)
    r = c.post("/evaluation/new/", {"year": 2025, "org_unit": cast["lizhuang"].pk, "meeting_date": "2026-01-20"})
    evaluation = Evaluation.objects.get()
    assert r.status_code == 302
    page = c.get(f"/evaluation/{evaluation.pk}/").content.decode()
    assert "甲一" in page and "乙二" in page and "丙三" not in page
    from gongxin.meetings import actions as meeting_actions

    meeting_actions.add_electors(acting_user=clerk, meeting=evaluation.meeting, cadres=members)
    vote(evaluation, clerk, [("satisfied", "endorse", "not_endorse")] * 4 + [("unknown", "endorse", "endorse")] * 5)
    shares = KEY_SHARES[evaluation.meeting.pk]
    wrong = c.post(f"/evaluation/{evaluation.pk}/close/", {"slips_issued": 9, "paper_spoiled": 0, "share_1": shares[0]})
    assert wrong.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.results == {}          # one share only: the box stays sealed, nothing changed
    c.post(f"/evaluation/{evaluation.pk}/close/", {"slips_issued": 9, "paper_spoiled": 0,
                                                   "share_1": shares[0], "share_2": shares[1]})
    page = c.get(f"/evaluation/{evaluation.pk}/").content.decode()
    assert 'id="satisfaction-rate">44.44%' in page
    assert "需了解核实" in page and 'class="flagged"' in page and 'id="chart-units"' in page
    c.post(f"/evaluation/{evaluation.pk}/publish/")
    public = client_for(None).get("/public/evaluation/").content.decode()
    assert "44.44%" in public and "乙二" not in public and "ballots.json" in public
    ballots = client_for(None).get(f"/public/meetings/{evaluation.meeting_id}/ballots.json")
    assert ballots.status_code == 200 and b'"mode": "rating"' in ballots.content
    notice = client_for(None).get(f"/public/meetings/{evaluation.meeting_id}/").content.decode()
    assert "不认同" in notice


def test_voting_on_a_phone_page(cast, client_for, evaluation):
    from gongxin.meetings import actions as meeting_actions
    from tests.meetings.conftest import open_with_shares

    clerk = cast["users"]["clerk"]
    open_with_shares(acting_user=clerk, meeting=evaluation.meeting)
    code = meeting_actions.generate_codes(acting_user=clerk, meeting=evaluation.meeting, count=1)[0]
    phone = client_for(None)
    page = phone.get("/public/meetings/vote/", {"code": code}).content.decode()
    assert 'type="radio"' in page and "基本满意" in page and "不认同" in page
    missing = phone.post("/public/meetings/vote/", {"code": code, "step": "review", "pick-1": "satisfied"})
    assert missing.status_code == 400 and "请对" in missing.content.decode()
    picks = {"code": code, "pick-1": "satisfied", "pick-2": "endorse", "pick-3": "not_endorse"}
    confirm = phone.post("/public/meetings/vote/", {**picks, "step": "review"}).content.decode()
    assert "不认同" in confirm and 'value="not_endorse"' in confirm
    receipt = phone.post("/public/meetings/vote/", {**picks, "step": "cast"})
    assert receipt.status_code == 200 and "receipt" in receipt.content.decode()


def test_other_clerks_cannot_see_it(cast, client_for, evaluation):
    assert client_for(cast["users"]["voter"]).get(f"/evaluation/{evaluation.pk}/").status_code in (403, 404)


def test_chart_is_svg_with_every_year_and_a_gap_for_missing_data():
    svg = chart.line_chart([2024, 2025, 2026], {"县": {2024: 0.8, 2025: None, 2026: 0.9}, "<x>": {2026: 0.5}},
                           title="满意度")
    assert svg.startswith("<svg") and svg.count("<circle") == 2 and "&lt;x&gt;" in svg
    assert all(str(y) in svg for y in (2024, 2025, 2026)) and "90.0%" in svg


def test_list_page_shows_the_trend_per_jurisdiction_and_channel(cast, client_for, members, promoted):
    from gongxin.evaluation import actions

    clerk = cast["users"]["clerk"]
    for year, marks in ((2024, [("dissatisfied", )] * 9), (2025, None)):
        e = actions.create_evaluation(acting_user=clerk, org_unit=cast["lizhuang"], year=year,
                                      meeting_date=dt.date(year + 1, 1, 10), electors=members)
        n_items = e.cadres.count()
        ballot = ("satisfied",) + ("endorse",) * n_items
        vote(e, clerk, [m + ("endorse",) * n_items if m else ballot for m in (marks or [None] * 9)])
        from tests.evaluation.test_actions import close

        close(e, clerk)
    page = client_for(clerk).get("/evaluation/").content.decode()
    assert 'id="chart-units"' in page and 'id="trend-table"' in page
    assert "0.00%" in page and "100.00%" in page
