"""The evaluation through real actions: the ballot generated from the year's appointments, the
rates and the flag at close, follow-up into a problem file, the report, the recount."""

import datetime as dt
import hashlib
import json

import pytest

from gongxin import recount
from gongxin.cases.models import Rule
from gongxin.core.errors import DomainError
from gongxin.evaluation import actions
from gongxin.evaluation.models import FollowUpStatus, ReportStatus
from gongxin.inspection.models import ComplaintChannel, ProblemFile
from gongxin.ledger.models import Event
from gongxin.meetings import actions as meeting_actions
from gongxin.meetings.models import MeetingStatus

from .conftest import open_with_shares


def payload(event) -> dict:
    return json.loads(bytes(event.data))["payload"]


def vote(evaluation, clerk, marks):
    """Open the meeting, check everyone in, cast one ballot per entry of ``marks``
    (work option, then one option per cadre item), spoil the unused codes."""
    meeting, _seed, _shares = open_with_shares(acting_user=clerk, meeting=evaluation.meeting)
    actions_electors = list(meeting.electors.all())
    meeting_actions.check_in(acting_user=clerk, meeting=meeting, electors=actions_electors)
    codes = meeting_actions.generate_codes(acting_user=clerk, meeting=meeting, count=len(actions_electors))
    for code, ballot in zip(codes, marks, strict=False):
        meeting_actions.cast_ballot(code=code, selections=[[m] for m in ballot])
    for code in codes[len(marks):]:
        meeting_actions.spoil_code(acting_user=clerk, meeting=meeting, code=code)
    return meeting


def close(evaluation, clerk):
    from tests.meetings.conftest import KEY_SHARES

    return actions.close_evaluation(acting_user=clerk, evaluation=evaluation, slips_issued=evaluation.meeting.electors.count(),
                                    key_shares=KEY_SHARES[evaluation.meeting.pk][1:])


def test_ballot_holds_the_years_appointments_31_december_in_1_january_out(evaluation, promoted):
    a, b, c = promoted
    items = meeting_actions.posts_of(evaluation.meeting)
    assert [p.subject_id for p in items] == [None, a.pk, b.pk]
    assert items[0].options[0]["label"] == "满意" and items[1].options[2]["label"] == "不认同"
    assert evaluation.cadres.get(cadre=b).appointed_on == dt.date(2025, 12, 31)
    assert not evaluation.cadres.filter(cadre=c).exists()
    assert evaluation.flag_rule["flag_share"] == "1/3" and evaluation.flag_rule["flag_strict"] is True
    assert "民主评议" in evaluation.flag_rule["source"]


def test_the_next_year_holds_the_1_january_appointment(cast, members, promoted):
    nxt = actions.create_evaluation(acting_user=cast["users"]["clerk"], org_unit=cast["lizhuang"], year=2026,
                                    meeting_date=dt.date(2026, 12, 30), electors=members)
    assert list(nxt.cadres.values_list("cadre__name", flat=True)) == ["丙三"]


def test_the_ballot_holds_leading_posts_only(cast, members, promoted, make_cadre, ranks):
    """A unit's competitive posting fills middle-level posts in the same year: the year's
    appointments count them, the plenary's ballot of newly appointed leading cadres does not."""
    from gongxin.evaluation import figures
    from gongxin.people import actions as people_actions
    from gongxin.people.models import PostKind
    from gongxin.publicity import actions as publicity_actions

    head = people_actions.create_post(acting_user=None, org_unit=cast["lizhuang_office"], title="党政办主任",
                                      rank=ranks["zhengke"], kind=PostKind.MIDDLE)
    d = make_cadre(cast["lizhuang_office"], name="丁四", birth=dt.date(1990, 1, 1))
    publicity_actions.appoint(acting_user=cast["users"]["clerk"], cadre=d, post=head, start=dt.date(2026, 3, 1),
                              probation=False)
    assert {r["cadre"].name for r in figures.appointments_in_year(cast["lizhuang"], 2026)} == {"丙三", "丁四"}
    assert [r["cadre"].name for r in actions.ballot_items(cast["lizhuang"], 2026)] == ["丙三"]
    nxt = actions.create_evaluation(acting_user=cast["users"]["clerk"], org_unit=cast["lizhuang"], year=2026,
                                    meeting_date=dt.date(2026, 12, 30), electors=members)
    assert list(nxt.cadres.values_list("cadre__name", flat=True)) == ["丙三"]


def test_one_evaluation_per_year_and_jurisdiction(cast, evaluation):
    with pytest.raises(DomainError) as err:
        actions.create_evaluation(acting_user=cast["users"]["clerk"], org_unit=cast["lizhuang"], year=2025)
    assert err.value.code == "evaluation.exists"


def test_close_computes_rates_flags_past_one_third_and_opens_follow_ups(cast, evaluation, promoted):
    clerk = cast["users"]["clerk"]
    a, b, _c = promoted
    # given 9 ballots: 甲一 3 不认同 of 9 (exactly one third: not flagged), 乙二 4 of 9 (flagged)
    marks = [("satisfied", "endorse", "not_endorse"), ("satisfied", "endorse", "not_endorse"),
             ("satisfied", "not_endorse", "not_endorse"), ("basically_satisfied", "not_endorse", "not_endorse"),
             ("basically_satisfied", "not_endorse", "endorse"), ("dissatisfied", "basically_endorse", "endorse"),
             ("unknown", "unknown", "unknown"), ("unknown", "endorse", "basically_endorse"),
             ("satisfied", "endorse", "endorse")]
    vote(evaluation, clerk, marks)
    # when the tellers close it
    evaluation = close(evaluation, clerk)
    # then the satisfaction rate is 满意+基本满意 over valid ballots, 不了解 apart
    res = evaluation.results
    assert res["satisfaction_rate"] == "2/3" and res["unknown_share"] == "2/9"
    ca, cb = (res["cadres"][evaluation.cadres.get(cadre=x).item_key] for x in (a, b))
    assert ca["unfavourable_share"] == "1/3" and ca["flagged"] is False
    assert cb["unfavourable_share"] == "4/9" and cb["flagged"] is True and cb["endorsement_rate"] == "4/9"
    assert list(evaluation.cadres.filter(flagged=True).values_list("cadre", flat=True)) == [b.pk]
    assert evaluation.cadres.get(cadre=b).follow_up.status == FollowUpStatus.OPEN
    assert not hasattr(evaluation.cadres.get(cadre=a), "follow_up") or evaluation.cadres.get(cadre=a).follow_up is None
    event = Event.objects.filter(kind="evaluation.evaluation.closed").get()
    assert payload(event)["flagged"][0]["cadre"] == b.pk and payload(event)["satisfaction_rate"] == "2/3"
    # and the published ballot file recounts to the same evaluation
    actions.publish_evaluation(acting_user=clerk, evaluation=evaluation)
    evaluation.meeting.refresh_from_db()
    assert evaluation.meeting.status == MeetingStatus.PUBLISHED
    data = bytes(evaluation.meeting.result.ballots_file)
    published = Event.objects.get(kind="evaluation.evaluation.published")
    assert payload(published)["ballots_file_sha256"] == hashlib.sha256(data).hexdigest() and payload(published)["flagged"] == 1
    again = recount.recount(recount.load(data))
    assert again["items"][0]["rate"] == res["satisfaction_rate"]
    assert [i["flagged"] for i in again["items"][1:]] == [ca["flagged"], cb["flagged"]]
    assert [i["unfavourable_share"] for i in again["items"][1:]] == ["1/3", "4/9"]


def test_all_unknown_gives_zero_rate_and_no_flag(cast, evaluation):
    clerk = cast["users"]["clerk"]
    vote(evaluation, clerk, [("unknown", "unknown", "unknown")] * 9)
    evaluation = close(evaluation, clerk)
    assert evaluation.results["satisfaction_rate"] == "0" and evaluation.results["unknown_share"] == "1"
    assert evaluation.results["flagged"] == [] and not evaluation.cadres.filter(flagged=True).exists()


def test_the_rule_row_sets_the_threshold(cast, members, promoted):
    Rule.objects.filter(code="R30", variant="evaluation").update(parameters={"flag_share": "1/3", "flag_strict": False})
    evaluation = actions.create_evaluation(acting_user=cast["users"]["clerk"], org_unit=cast["lizhuang"], year=2025,
                                           meeting_date=dt.date(2026, 1, 20), electors=members)
    clerk = cast["users"]["clerk"]
    vote(evaluation, clerk, [("satisfied", "not_endorse", "endorse")] * 3 + [("satisfied", "endorse", "endorse")] * 6)
    evaluation = close(evaluation, clerk)
    assert evaluation.flag_rule["flag_strict"] is False
    assert evaluation.cadres.filter(flagged=True).count() == 1   # exactly one third, "at least" now flags


def test_follow_up_analysis_then_problem_file_through_inspection(cast, evaluation, promoted):
    clerk = cast["users"]["clerk"]
    vote(evaluation, clerk, [("satisfied", "endorse", "not_endorse")] * 9)
    evaluation = close(evaluation, clerk)
    follow_up = evaluation.cadres.get(flagged=True).follow_up
    with pytest.raises(DomainError) as err:
        actions.close_follow_up(acting_user=clerk, follow_up=follow_up)
    assert err.value.code == "follow_up.analysis_required"
    actions.record_analysis(acting_user=clerk, follow_up=follow_up, analysis="群众对其作风有意见，需进一步核实。")
    problem = actions.refer_to_problem_file(acting_user=clerk, follow_up=follow_up, text="评议中不认同票较多，反映其工作作风问题。")
    assert problem.channel == ComplaintChannel.EVALUATION and problem.cadre_id == promoted[1].pk
    assert ProblemFile.objects.filter(pk=problem.pk).exists()
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.REFERRED and follow_up.problem_file_id == problem.pk
    with pytest.raises(DomainError):
        actions.refer_to_problem_file(acting_user=clerk, follow_up=follow_up, text="again")
    actions.close_follow_up(acting_user=clerk, follow_up=follow_up)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.CLOSED


def test_report_draft_from_data_edit_kept_and_final_text_in_ledger(cast, promoted):
    clerk = cast["users"]["clerk"]
    report = actions.generate_report(acting_user=clerk, org_unit=cast["lizhuang"], year=2025)
    assert report.figures["appointments"]["count"] == 2
    assert "任用干部 2 人次" in report.text
    assert "联审" not in report.text   # no inspection data this year: the paragraph is left out, not printed as 0
    actions.save_report(acting_user=clerk, report=report, text=report.text + "\n\n补充：本段由经办人添加。")
    again = actions.generate_report(acting_user=clerk, org_unit=cast["lizhuang"], year=2025)
    assert again.pk == report.pk and again.edited_text_kept and "本段由经办人添加" in again.text
    with pytest.raises(DomainError):
        actions.save_report(acting_user=clerk, report=report, text="   ")
    final = actions.finalize_report(acting_user=clerk, report=report)
    assert final.status == ReportStatus.FINAL
    event = Event.objects.get(kind="evaluation.report.finalized")
    assert payload(event)["text"] == final.text
    assert payload(event)["text_sha256"] == hashlib.sha256(final.text.encode()).hexdigest()
    with pytest.raises(DomainError) as err:
        actions.save_report(acting_user=clerk, report=final, text="改动")
    assert err.value.code == "report.final"


def test_out_of_scope_unit_is_refused(cast, members):
    with pytest.raises(DomainError) as err:
        actions.create_evaluation(acting_user=cast["users"]["clerk"], org_unit=cast["hefang"], year=2025)
    assert err.value.code == "evaluation.unit_out_of_scope"


def test_a_meeting_closed_on_the_meetings_page_has_its_results_read(cast, evaluation):
    from tests.meetings.conftest import KEY_SHARES

    clerk = cast["users"]["clerk"]
    vote(evaluation, clerk, [("satisfied", "endorse", "not_endorse")] * 9)
    with pytest.raises(DomainError):
        actions.record_results(acting_user=clerk, evaluation=evaluation)   # still open
    meeting_actions.close_meeting(acting_user=clerk, meeting=evaluation.meeting, slips_issued=9,
                                  key_shares=KEY_SHARES[evaluation.meeting.pk][:2])
    evaluation = actions.record_results(acting_user=clerk, evaluation=evaluation)
    assert evaluation.results["satisfaction_rate"] == "1" and evaluation.cadres.filter(flagged=True).count() == 1
    assert evaluation.cadres.get(flagged=True).follow_up.status == FollowUpStatus.OPEN
