"""Rounds through their actions: sections from posts, sealed rankings, bad input refused in
Chinese, close with a certificate the offline verifier can recompute, committee assignment and
standby, nothing lost on a crash."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from gongxin.core.errors import DomainError
from gongxin.ledger.models import Event
from gongxin.matching import actions, core, queries
from gongxin.matching.models import Outcome, RoundStatus

from .conftest import entry_of, section_of

STAFF_PREFS = {"赵一": ["编研科", "档案管理科"], "钱二": ["编研科", "办公室"], "孙三": ["档案管理科"],
               "李四": ["编研科", "档案管理科", "办公室"], "周五": ["办公室"]}
SECTION_PREFS = {"档案管理科": ["孙三", "赵一", "李四"], "编研科": ["李四", "钱二", "赵一"], "办公室": ["周五", "钱二"]}


def rank_everyone(round_, unit):
    sec = {s.section.name: s for s in round_.sections.select_related("section")}
    ent = {e.cadre.name: e for e in round_.staff.select_related("cadre")}
    for name, prefs in STAFF_PREFS.items():
        actions.submit_staff_ranking(acting_user=unit["accounts"][name], entry=ent[name],
                                     ranking=[sec[s].pk for s in prefs])
    for name, prefs in SECTION_PREFS.items():
        actions.submit_section_ranking(acting_user=unit["heads"][name], section=sec[name],
                                       ranking=[ent[p].pk for p in prefs])
    return sec, ent


def test_round_takes_sections_and_headcounts_from_posts(open_round, unit):
    got = {s.section.name: s.headcount for s in open_round.sections.select_related("section")}
    assert got == {"档案管理科": 2, "编研科": 1, "办公室": 1}
    assert sorted(open_round.staff.values_list("cadre__name", flat=True)) == sorted(STAFF_PREFS)
    event = Event.objects.filter(kind="matching.round.created").get()
    assert json.loads(event.data)["payload"]["rule"] == core.STAFF_OPTIMAL


def test_close_matches_certifies_and_logs_what_the_verifier_needs(open_round, unit):
    rank_everyone(open_round, unit)
    round_ = actions.close_round(acting_user=unit["clerk"], round_=open_round)
    outcome = {e.cadre.name: (e.section.section.name if e.section else None, e.outcome)
               for e in round_.staff.select_related("cadre", "section__section")}
    assert outcome == {"赵一": ("档案管理科", Outcome.MATCHED), "钱二": (None, Outcome.UNMATCHED),
                       "孙三": ("档案管理科", Outcome.MATCHED), "李四": ("编研科", Outcome.MATCHED),
                       "周五": ("办公室", Outcome.MATCHED)}
    assert round_.outputs["certificate"]["stable"] is True
    payload = json.loads(Event.objects.get(kind="matching.round.closed").data)["payload"]
    assert core.verify_round(payload["inputs"], payload["outputs"]) == []
    lines = queries.why_not_lines(round_, entry_of(round_, unit["staff"][1]))
    assert lines == ["科室 编研科 已满，其排序中你位于第 2，录取到第 1", "科室 办公室 已满，其排序中你位于第 2，录取到第 1"]


def test_submissions_are_sealed_in_the_ledger(open_round, unit):
    rank_everyone(open_round, unit)
    for event in Event.objects.filter(kind="matching.preference.submitted"):
        payload = json.loads(event.data)["payload"]
        assert set(payload) == {"round", "side", "entry", "length", "digest"}


@pytest.mark.parametrize("make,code,words", [
    (lambda sec, ent: [sec["编研科"].pk, sec["编研科"].pk], "matching.ranking.tie", "不能并列"),
    (lambda sec, ent: [[sec["编研科"].pk, sec["办公室"].pk]], "matching.ranking.tie", "不能并列"),
    (lambda sec, ent: [999999], "matching.ranking.unknown_section", "不是本轮双向选择的科室"),
])
def test_bad_staff_ranking_refused_and_old_one_kept(open_round, unit, make, code, words):
    sec = {s.section.name: s for s in open_round.sections.select_related("section")}
    ent = {e.cadre.name: e for e in open_round.staff.select_related("cadre")}
    actions.submit_staff_ranking(acting_user=None, entry=ent["赵一"], ranking=[sec["办公室"].pk])
    with pytest.raises(DomainError) as exc:
        actions.submit_staff_ranking(acting_user=None, entry=ent["赵一"], ranking=make(sec, ent))
    assert exc.value.code == code and words in exc.value.message
    ent["赵一"].refresh_from_db()
    assert ent["赵一"].ranking == [sec["办公室"].pk]


def test_section_ranking_a_person_out_of_scope_refused(open_round, unit, cast):
    sec = section_of(open_round, unit["sections"]["编研科"])
    with pytest.raises(DomainError) as exc:
        actions.submit_section_ranking(acting_user=None, section=sec, ranking=[cast["cadres"]["li"].pk + 10_000])
    assert exc.value.code == "matching.ranking.out_of_scope" and "不是本轮双向选择的人员" in exc.value.message


def test_round_with_a_person_from_another_unit_refused(unit, cast):
    with pytest.raises(DomainError) as exc:
        actions.create_round(acting_user=None, org_unit=unit["unit"], title="x",
                             ranking_deadline=timezone.localdate(), cadres=[unit["staff"][0], cast["cadres"]["li"]])
    assert exc.value.code == "matching.staff.out_of_scope" and "李四" in exc.value.message


def test_round_closed_twice_refused(open_round, unit):
    actions.close_round(acting_user=unit["clerk"], round_=open_round)
    with pytest.raises(DomainError) as exc:
        actions.close_round(acting_user=unit["clerk"], round_=open_round)
    assert exc.value.code == "matching.round.closed" and "不能重复结束" in exc.value.message
    assert Event.objects.filter(kind="matching.round.closed").count() == 1
    with pytest.raises(DomainError) as exc:
        actions.submit_staff_ranking(acting_user=None, entry=open_round.staff.first(), ranking=[])
    assert "不能再修改" in exc.value.message


def test_ranking_after_the_deadline_refused(open_round):
    open_round.ranking_deadline = timezone.localdate() - dt.timedelta(days=1)
    open_round.save(update_fields=["ranking_deadline"])
    with pytest.raises(DomainError) as exc:
        actions.submit_staff_ranking(acting_user=None, entry=open_round.staff.first(), ranking=[])
    assert "截止日期" in exc.value.message


def test_crash_during_close_loses_no_submitted_ranking(open_round, unit, monkeypatch):
    # given every ranking submitted
    sec, ent = rank_everyone(open_round, unit)
    saved = {e.pk: e.ranking for e in open_round.staff.all()}

    # when the match crashes half way through closing
    def boom(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(core, "solve", boom)
    with pytest.raises(RuntimeError):
        actions.close_round(acting_user=unit["clerk"], round_=open_round)
    monkeypatch.undo()

    # then the round is still open with every ranking, and closing again works
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.RANKING
    assert {e.pk: e.ranking for e in open_round.staff.all()} == saved
    assert not Event.objects.filter(kind="matching.round.closed").exists()
    actions.close_round(acting_user=unit["clerk"], round_=open_round)
    assert open_round.staff.filter(outcome=Outcome.MATCHED).count() == 4


def test_committee_assigns_and_puts_on_standby(open_round, unit):
    sec, ent = rank_everyone(open_round, unit)
    round_ = actions.close_round(acting_user=unit["clerk"], round_=open_round)
    qian = entry_of(round_, unit["staff"][1])
    with pytest.raises(DomainError) as exc:   # every seat is taken
        actions.assign_unmatched(acting_user=unit["clerk"], entry=qian, section=sec["编研科"], reason="工作需要")
    assert "已无空余职数" in exc.value.message
    zhou = entry_of(round_, unit["staff"][4])
    with pytest.raises(DomainError) as exc:
        actions.put_on_standby(acting_user=unit["clerk"], entry=zhou, reason="", review_on=None)
    assert "理由" in exc.value.message
    review = timezone.localdate() + dt.timedelta(days=180)
    actions.put_on_standby(acting_user=unit["clerk"], entry=zhou, reason="年度考核不称职，经党委研究待岗", review_on=review)
    with pytest.raises(DomainError) as exc:
        actions.assign_unmatched(acting_user=unit["clerk"], entry=qian, section=sec["办公室"], reason="")
    assert "分配的理由" in exc.value.message
    actions.assign_unmatched(acting_user=unit["clerk"], entry=qian, section=sec["办公室"], reason="党委研究：到办公室工作")
    qian.refresh_from_db()
    zhou.refresh_from_db()
    assert (qian.outcome, qian.section_id) == (Outcome.ASSIGNED, sec["办公室"].pk)
    assert (zhou.outcome, zhou.section_id, zhou.review_on) == (Outcome.STANDBY, None, review)
    with pytest.raises(DomainError) as exc:
        actions.assign_unmatched(acting_user=unit["clerk"], entry=entry_of(round_, unit["staff"][0]),
                                 section=sec["办公室"], reason="x")
    assert "已有去向" in exc.value.message
    kinds = list(Event.objects.filter(kind__startswith="matching.").values_list("kind", flat=True))
    assert "matching.committee_assignment.recorded" in kinds and "matching.standby.decided" in kinds


def test_committee_decisions_wait_for_the_match(open_round, unit):
    with pytest.raises(DomainError) as exc:
        actions.assign_unmatched(acting_user=unit["clerk"], entry=open_round.staff.first(),
                                 section=open_round.sections.first(), reason="x")
    assert "匹配完成后" in exc.value.message


def test_section_optimal_rule_and_differences(unit):
    # given a round where the two stable matchings differ: two staff, two sections crossing
    round_ = actions.create_round(acting_user=unit["clerk"], org_unit=unit["unit"], title="交叉",
                                  ranking_deadline=timezone.localdate(),
                                  cadres=unit["staff"][:2])
    sec = {s.section.name: s for s in round_.sections.select_related("section")}
    a, b = entry_of(round_, unit["staff"][0]), entry_of(round_, unit["staff"][1])
    actions.submit_staff_ranking(acting_user=None, entry=a, ranking=[sec["编研科"].pk, sec["办公室"].pk])
    actions.submit_staff_ranking(acting_user=None, entry=b, ranking=[sec["办公室"].pk, sec["编研科"].pk])
    actions.submit_section_ranking(acting_user=None, section=sec["编研科"], ranking=[b.pk, a.pk])
    actions.submit_section_ranking(acting_user=None, section=sec["办公室"], ranking=[a.pk, b.pk])
    with pytest.raises(DomainError):
        actions.set_round_rule(acting_user=unit["clerk"], round_=round_, rule=core.SECTION_OPTIMAL, reason=" ")
    actions.set_round_rule(acting_user=unit["clerk"], round_=round_, rule=core.SECTION_OPTIMAL, reason="党委会议研究决定")
    round_ = actions.close_round(acting_user=unit["clerk"], round_=round_)
    a.refresh_from_db()
    assert a.section.section.name == "办公室"   # the section-optimal result
    diffs = queries.differences(round_)
    assert {d["name"]: (d["chosen"], d["other"]) for d in diffs} == {"赵一": ("办公室", "编研科"), "钱二": ("编研科", "办公室")}
    payload = json.loads(Event.objects.get(kind="matching.round.closed").data)["payload"]
    assert payload["inputs"]["rule"] == core.SECTION_OPTIMAL
    assert core.verify_round(payload["inputs"], payload["outputs"]) == []
