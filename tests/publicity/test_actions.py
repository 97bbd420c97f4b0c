import datetime as dt
from unittest import mock

import pytest

from gongxin.core.errors import DomainError
from gongxin.ledger.models import Event
from gongxin.people.models import PostHolding
from gongxin.publicity import actions
from gongxin.publicity.models import (
    Appointment,
    FeedbackStatus,
    NoticeStatus,
    ProbationStatus,
)
from tests.publicity.helpers import publish_as_of

AFTER = dt.date(2026, 11, 16)


def test_publish_sets_the_period_from_rule_r17_and_records_a_public_event(publicity):
    notice = publicity["notice"]
    assert notice.status == NoticeStatus.PUBLISHED
    assert notice.working_days == 5
    assert (notice.period_start, notice.period_end) == (dt.date(2026, 11, 9), dt.date(2026, 11, 13))
    event = Event.objects.get(seq=notice.ledger_seq)
    assert event.public and event.kind == "publicity.notice.published"
    assert bytes(event.leaf_hash).hex() == notice.leaf_hash
    assert b"\xe8\xb5\xb5\xe5\x85\xad" in bytes(event.data)  # 赵六 in the public payload


def test_entries_ordered_by_surname_strokes(publicity):
    names = [e.name for e in publicity["notice"].entries.order_by("position")]
    assert names == ["王五", "张三", "赵六"]  # 王 4, 张 7, 赵 9 strokes


def test_entry_carries_the_fields_of_r29(publicity):
    e = publicity["entries"]["zhang"]
    e.refresh_from_db()
    assert (e.sex, e.ethnicity, e.birth, e.political_status, e.work_started) == ("男", "汉族", "1985.06", "中共党员", "2007.07")
    assert e.education == "大学本科" and "李庄镇党委书记" == e.proposed_post


def test_published_notice_cannot_be_edited(publicity):
    with pytest.raises(DomainError) as exc:
        actions.update_notice(acting_user=publicity["clerk"], notice=publicity["notice"], title="改")
    assert exc.value.code == "notice.not_draft"


def test_period_uses_the_rule_parameter_not_a_constant(publicity, monkeypatch):
    from gongxin.publicity import integration

    monkeypatch.setattr(integration, "publicity_working_days", lambda case=None: (7, "R17"))
    notice = actions.create_notice(acting_user=None, kind="pre_appointment", title="t", org_unit=publicity["lizhuang"])
    actions.add_notice_entry(acting_user=None, notice=notice, cadre=publicity["cadres"]["li"])
    notice = publish_as_of(dt.date(2026, 11, 9), acting_user=None, notice=notice)
    assert notice.period_end == dt.date(2026, 11, 17)


def test_period_into_2027_carries_a_warning_until_the_table_covers_it(publicity):
    notice = actions.create_notice(acting_user=None, kind="pre_appointment", title="t", org_unit=publicity["lizhuang"])
    actions.add_notice_entry(acting_user=None, notice=notice, cadre=publicity["cadres"]["li"])
    notice = publish_as_of(dt.date(2026, 12, 28), acting_user=None, notice=notice)
    assert notice.period_end == dt.date(2027, 1, 1) and "2027" in notice.calendar_warnings[0]
    actions.set_workday_override(acting_user=None, date=dt.date(2027, 1, 1), is_workday=False, note="元旦")
    notice2 = actions.create_notice(acting_user=None, kind="pre_appointment", title="t2", org_unit=publicity["lizhuang"])
    actions.add_notice_entry(acting_user=None, notice=notice2, cadre=publicity["cadres"]["li"])
    notice2 = publish_as_of(dt.date(2026, 12, 28), acting_user=None, notice=notice2)
    assert notice2.period_end == dt.date(2027, 1, 4) and notice2.calendar_warnings == []


def test_feedback_blocks_appointment_until_resolved_and_period_over(publicity):
    notice, clerk = publicity["notice"], publicity["clerk"]
    zhang, post = publicity["cadres"]["zhang"], publicity["posts"]["lizhuang_secretary"]
    fb = actions.submit_feedback(notice=notice, entry=publicity["entries"]["zhang"], category="conduct",
                                 text="反映问题", address="10.0.0.1")
    assert len(fb.code) == 16
    # feedback about a person flows into the inspection app's problem files
    from gongxin.inspection.models import ProblemFile

    problem = ProblemFile.objects.get()
    assert (problem.cadre, problem.channel, problem.source_ref) == (zhang, "publicity_feedback", f"publicity:{fb.code}")
    assert fb.status == FeedbackStatus.TRANSFERRED and fb.problem_file_ref == str(problem.pk)
    # during the period: blocked by the period and the open item
    with pytest.raises(DomainError) as exc:
        actions.appoint(acting_user=clerk, cadre=zhang, post=post, start=AFTER, notice=notice, today=dt.date(2026, 11, 12))
    assert len(exc.value.details["blockers"]) == 2
    assert "至 2026-11-13 截止，还剩 2 个工作日" in exc.value.details["blockers"][0]  # Thursday and Friday
    assert "还剩 1 个工作日" in actions.notice_blockers(notice, dt.date(2026, 11, 13))[0]
    # after the period: still blocked by the open item
    with pytest.raises(DomainError) as exc:
        actions.appoint(acting_user=clerk, cadre=zhang, post=post, start=AFTER, notice=notice, today=AFTER)
    assert "未办结" in exc.value.message
    actions.reply_feedback(acting_user=clerk, feedback=fb, reply="经核查，反映问题不属实。", resolve=True)
    appointment = actions.appoint(acting_user=clerk, cadre=zhang, post=post, start=AFTER, notice=notice, today=AFTER)
    zhang.refresh_from_db()
    assert zhang.current_post_title == "李庄镇党委书记" and zhang.rank.code == "zhengke"
    assert appointment.probation_status == ProbationStatus.ON_PROBATION
    assert appointment.probation_end == dt.date(2027, 11, 15)
    assert PostHolding.objects.get(pk=appointment.holding_id).probation_end == dt.date(2027, 11, 15)


def test_feedback_about_the_whole_notice_stays_in_the_queue(publicity):
    fb = actions.submit_feedback(notice=publicity["notice"], category="procedure", text="推荐范围是什么？")
    assert fb.status == FeedbackStatus.RECEIVED and fb.problem_file_ref == ""
    with pytest.raises(DomainError) as exc:
        actions.transfer_feedback(acting_user=publicity["clerk"], feedback=fb)
    assert exc.value.code == "feedback.no_person"


def test_without_the_inspection_intake_person_feedback_stays_in_the_queue(publicity, monkeypatch):
    from gongxin.publicity import integration

    monkeypatch.setattr(integration, "problem_file_intake", lambda: None)
    fb = actions.submit_feedback(notice=publicity["notice"], entry=publicity["entries"]["zhang"], category="other",
                                 text="反映问题")
    assert fb.status == FeedbackStatus.RECEIVED
    with pytest.raises(DomainError) as exc:
        actions.transfer_feedback(acting_user=publicity["clerk"], feedback=fb)
    assert exc.value.code == "feedback.no_intake"


def test_feedback_about_another_person_does_not_block(publicity):
    notice, clerk = publicity["notice"], publicity["clerk"]
    actions.submit_feedback(notice=notice, entry=publicity["entries"]["wang"], category="conduct", text="x")
    actions.appoint(acting_user=clerk, cadre=publicity["cadres"]["zhang"], post=publicity["posts"]["lizhuang_secretary"],
                    start=AFTER, notice=notice, today=AFTER)


def test_promotion_without_publicity_is_refused(publicity):
    with pytest.raises(DomainError) as exc:
        actions.appoint(acting_user=publicity["clerk"], cadre=publicity["cadres"]["li"],
                        post=publicity["posts"]["hefang_secretary"], start=AFTER)
    assert exc.value.code == "appointment.no_publicity"


def test_probation_decisions(publicity):
    clerk = publicity["clerk"]
    appointment = actions.appoint(acting_user=clerk, cadre=publicity["cadres"]["zhang"],
                                  post=publicity["posts"]["lizhuang_secretary"], start=AFTER,
                                  notice=publicity["notice"], today=AFTER)
    with pytest.raises(DomainError):
        actions.decide_probation(acting_user=clerk, appointment=appointment, decision="confirm", note="")
    appointment = actions.decide_probation(acting_user=clerk, appointment=appointment, decision="extend",
                                           note="需继续考察", extend_months=6)
    assert appointment.probation_end == dt.date(2028, 5, 15)
    with pytest.raises(DomainError):
        actions.decide_probation(acting_user=clerk, appointment=appointment, decision="extend", note="再延")
    appointment = actions.decide_probation(acting_user=clerk, appointment=appointment, decision="not_confirm",
                                           note="不胜任", on=dt.date(2028, 5, 16))
    assert appointment.probation_status == ProbationStatus.NOT_CONFIRMED
    assert PostHolding.objects.get(pk=appointment.holding_id).end == dt.date(2028, 5, 16)
    assert Appointment.objects.count() == 1


def test_close_only_after_the_period(publicity):
    with pytest.raises(DomainError):
        actions.close_notice(acting_user=publicity["clerk"], notice=publicity["notice"], today=dt.date(2026, 11, 13))
    notice = actions.close_notice(acting_user=publicity["clerk"], notice=publicity["notice"], today=AFTER)
    assert notice.status == NoticeStatus.CLOSED
    # after the period: still received, as a complaint into problem files (issue 11 defect 8)
    late = actions.submit_feedback(notice=notice, entry=publicity["entries"]["zhang"], category="other", text="晚了")
    assert late.after_period is True
    assert b'"after_period":true' in bytes(Event.objects.get(kind="publicity.feedback.received",
                                                             subject_id=str(late.pk)).data)


def test_feedback_in_the_period_is_not_after_it(publicity):
    fb = actions.submit_feedback(notice=publicity["notice"], category="other", text="期内",
                                 received_at=dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC))
    assert fb.after_period is False


def test_publicity_cannot_start_before_the_day_it_is_published(cast, make_cadre):
    """Issue 11 defect 2: published on 12-06 with the start set to 11-23 is refused."""
    notice = actions.create_notice(acting_user=None, kind="pre_appointment", title="倒签",
                                   org_unit=cast["lizhuang"])
    actions.add_notice_entry(acting_user=None, notice=notice, cadre=make_cadre(cast["lizhuang"], name="钱七"))
    with mock.patch.object(actions, "_today", return_value=dt.date(2026, 12, 6)):
        with pytest.raises(DomainError) as exc:
            actions.publish_notice(acting_user=None, notice=notice, start=dt.date(2026, 11, 23))
        assert exc.value.code == "notice.start_in_past" and "不能倒签" in exc.value.message
        planned = actions.publish_notice(acting_user=None, notice=notice, start=dt.date(2026, 12, 8))
    assert planned.period_start == dt.date(2026, 12, 8)
    assert planned.phase(dt.date(2026, 12, 7)) == "upcoming" and planned.phase(dt.date(2026, 12, 8)) == "in_period"


def test_attachment_checks():
    assert actions.check_attachment("a.pdf", "application/pdf", 10, b"%PDF-1.7") == "application/pdf"
    for name, head in [("a.exe", b"MZ"), ("a.pdf", b"<script>"), ("a.png", b"%PDF-"), ("noext", b"%PDF-")]:
        with pytest.raises(DomainError):
            actions.check_attachment(name, "", 10, head)
    with pytest.raises(DomainError) as exc:
        actions.check_attachment("a.png", "image/png", 6 * 1024 * 1024, b"\x89PNG\r\n\x1a\n")
    assert exc.value.code == "feedback.attachment_size"


def test_publishing_signs_a_ledger_checkpoint_after_commit(publicity, django_capture_on_commit_callbacks):
    checkpoints = pytest.importorskip("gongxin.ledger.checkpoints")
    from gongxin.ledger.models import Checkpoint

    notice = actions.create_notice(acting_user=None, kind="vacancy", title="空缺", org_unit=publicity["lizhuang"])
    with django_capture_on_commit_callbacks(execute=True):
        publish_as_of(dt.date(2026, 11, 9), acting_user=publicity["clerk"], notice=notice)
    latest = checkpoints.latest_checkpoint()
    assert latest is not None and latest.size == Event.objects.count()
    assert Checkpoint.objects.latest("id").reason == f"发布{notice.get_kind_display()}：空缺"  # words, not a code (issue 19)


def test_tracking_codes_are_unguessable_and_forgiving_to_type():
    codes = {actions.new_code() for _ in range(2000)}
    assert len(codes) == 2000 and all(len(c) == 16 and set(c) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for c in codes)
    assert actions.normalise_code(" abcd-0i18 efgh ") == "ABCDOIIBEFGH"
    assert actions.display_code("ABCDEFGHIJKLMNOP") == "ABCD-EFGH-IJKL-MNOP"
