"""一报告两评议 in the browser: the clerk generates the year's report, edits and prints it, opens
the evaluation (ballot generated from the year's appointments), adds the plenary members, opens
the sealed box; three members vote on phones; the clerk closes it with two tellers' shares; the
results page shows the satisfaction rate, the flagged cadre (exactly one third is not flagged,
two thirds is) and the year-on-year chart; the public page shows the rate and the count."""

import datetime as dt

import pytest

from gongxin.evaluation import actions as evaluation_actions
from gongxin.evaluation.models import Evaluation
from gongxin.meetings import actions as meeting_actions
from gongxin.people import actions as people_actions
from gongxin.people.models import PostKind
from gongxin.publicity import actions as publicity_actions
from tests.browser.conftest import login

PHONE = (390, 844)


@pytest.mark.django_db(transaction=True)
def test_report_evaluation_phones_results(cast, make_cadre, posts, ranks, new_page, shot):
    def opened(**kw):  # the machine is shared: give a loaded server time
        page = new_page(**kw)
        page.set_default_timeout(60_000)
        return page

    clerk = cast["users"]["clerk"]
    town = cast["lizhuang"]
    year = dt.date.today().year - 1
    # the year's appointments: 甲一 in spring, 乙二 on 31 December; 丙三 on 1 January after it
    a = make_cadre(town, name="甲一", rank="zhengke", birth=dt.date(1982, 1, 1))
    b = make_cadre(town, name="乙二", rank="zhengke", birth=dt.date(1983, 1, 1))
    c = make_cadre(town, name="丙三", rank="zhengke", birth=dt.date(1984, 1, 1))
    deputy = people_actions.create_post(acting_user=None, org_unit=town, title="副镇长", rank=ranks["zhengke"],
                                        kind=PostKind.LEADERSHIP)
    for cadre, post, day in ((a, posts["lizhuang_secretary"], dt.date(year, 4, 1)),
                             (b, posts["lizhuang_head"], dt.date(year, 12, 31)), (c, deputy, dt.date(year + 1, 1, 1))):
        publicity_actions.appoint(acting_user=clerk, cadre=cadre, post=post, start=day, probation=False)
    members = [make_cadre(cast["lizhuang_office"], name=f"委员{i}", birth=dt.date(1970 + i, 2, 3)) for i in range(3)]
    # last year's evaluation, for the year-on-year chart (run through the actions: 1 of 3 satisfied)
    _previous_year(clerk, town, year - 1, members)

    # the clerk generates the report from the data, edits it and prints it
    page = opened()
    login(page, "clerk")
    page.goto(f"{page.base}/evaluation/")
    page.fill("#report-year", str(year))  # the reports list's own filter has a year field too
    page.select_option("#report-org_unit", label=town.name)
    page.click("#generate-report")
    assert "任用干部 2 人次" in page.input_value("#id_text")
    page.fill("#id_text", page.input_value("#id_text") + "\n\n全县新提拔干部均经任前公示。")
    page.click("#save-report")
    assert "报告已保存" in page.inner_text("main")
    shot(page, "report")
    page.click("#print-report")
    assert "全县新提拔干部均经任前公示" in page.inner_text("#report-print")
    page.emulate_media(media="print")
    shot(page, "report-print")
    page.emulate_media(media="screen")

    # the clerk opens the evaluation: the ballot comes from the year's appointments
    page.goto(f"{page.base}/evaluation/")
    form = page.locator("#evaluations form")
    form.locator("input[name=year]").fill(str(year))
    form.locator("select[name=org_unit]").select_option(label=town.name)
    form.locator("input[name=meeting_date]").fill(f"{year + 1}-01-20")
    page.click("#create-evaluation")
    cadres = page.inner_text("#cadres")
    assert "甲一" in cadres and "乙二" in cadres and "丙三" not in cadres
    assert f"{year}-12-31" in cadres
    shot(page, "evaluation-draft")
    evaluation = Evaluation.objects.get(year=year)

    # the plenary members, chosen by search; everyone checks in; the box is sealed
    page.click("#electorate-link")
    page.fill("#q", "委员")
    page.click("button:has-text('查找')")
    for box in page.locator("input[name=cadre]").all():
        box.check()
    page.click("button:has-text('加入应到人员')")
    page.goto(f"{page.base}/meetings/{evaluation.meeting_id}/check-in/")
    for box in page.locator("input[name=elector]").all():
        box.check()
    page.click("#check-in")
    page.goto(f"{page.base}/meetings/{evaluation.meeting_id}/")
    page.click("#open-meeting")
    page.locator(".key-share .share").nth(2).wait_for()  # all_inner_texts does not wait for the page
    shares = [s.strip() for s in page.locator(".key-share .share").all_inner_texts()]
    page.click("#to-meeting")
    page.fill("input[name=count]", "3")
    page.click("#generate-codes")
    page.locator(".slip .code").nth(2).wait_for()
    slips = [s.strip() for s in page.locator(".slip .code").all_inner_texts()]
    assert len(slips) == 3

    # three members vote on their phones: 甲一 gets one 不认同 in three (exactly one third), 乙二 two
    votes = [("satisfied", "endorse", "not_endorse"), ("basically_satisfied", "not_endorse", "not_endorse"),
             ("unknown", "basically_endorse", "endorse")]
    for n, (code, picks) in enumerate(zip(slips, votes, strict=True)):
        phone = opened(viewport=PHONE)
        phone.goto(phone.base + "/public/meetings/vote/")
        phone.fill("#code", code)
        phone.click("button[type=submit]")
        if n == 0:
            phone.click("#review")   # nothing chosen: each item asks for an answer
            assert "请对" in phone.inner_text("main")
        for item, key in enumerate(picks, start=1):
            phone.check(f"#post-{item} input[value={key}]")
        if n == 0:
            shot(phone, "phone-ballot")
        phone.click("#review")
        assert "请核对您的选票" in phone.inner_text("h1")
        phone.click("#cast")
        assert phone.inner_text("#receipt").strip()
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
        if n == 0:
            shot(phone, "phone-receipt")

    # the clerk closes it: two of the three tellers' shares open the box
    page.goto(f"{page.base}/evaluation/{evaluation.pk}/")
    page.fill("input[name=slips_issued]", "3")
    page.fill("input[name=share_1]", shares[2])
    page.fill("input[name=share_2]", shares[0])
    page.click("#close-evaluation")
    assert page.inner_text("#satisfaction-rate") == "66.67%"
    rows = {r.split("\t")[0]: r for r in page.locator("#cadres tbody tr").all_inner_texts()}
    assert "需了解核实" in rows["乙二"] and "66.67%" in rows["乙二"]
    assert "需了解核实" not in rows["甲一"] and "33.33%" in rows["甲一"]
    assert page.locator("#chart-units circle").count() == 2
    assert page.locator("#trend-table tbody tr").count() == 2
    shot(page, "results")
    page.click("#publish-evaluation")
    assert "已公布" in page.inner_text("#evaluation-status")

    # the public page: the rate and how many were flagged, no names, the ballot file
    visitor = opened(viewport=PHONE)
    visitor.goto(f"{visitor.base}/public/evaluation/")
    table = visitor.inner_text("#public-evaluations")
    assert "66.67%" in table and "乙二" not in table
    assert visitor.evaluate("document.documentElement.scrollWidth") <= PHONE[0]   # the wide table scrolls inside
    shot(visitor, "public")


def _previous_year(clerk, town, year, members):

    evaluation = evaluation_actions.create_evaluation(acting_user=clerk, org_unit=town, year=year,
                                                      meeting_date=dt.date(year + 1, 1, 15), electors=members)
    meeting, _seed, shares = meeting_actions.open_meeting(acting_user=clerk, meeting=evaluation.meeting)
    meeting_actions.check_in(acting_user=clerk, meeting=meeting, electors=list(meeting.electors.all()))
    for code, work in zip(meeting_actions.generate_codes(acting_user=clerk, meeting=meeting, count=3),
                          ("satisfied", "dissatisfied", "dissatisfied"), strict=True):
        meeting_actions.cast_ballot(code=code, selections=[[work]])
    evaluation_actions.close_evaluation(acting_user=clerk, evaluation=evaluation, key_shares=shares[:2], slips_issued=3)
