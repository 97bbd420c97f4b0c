"""The replay engine on its own (no database): the shipped working-day calendar equals the
product's, a recorded result is compared field by field, and what cannot be replayed says why."""

import datetime as dt
import json

import chinese_calendar
import pytest

from gongxin.ledger.canonical import canonical_json
from gongxin.meetings import tally
from gongxin.publicity import workdays
from gongxin.replay import DIFFERS, EQUAL, NOT_REPLAYABLE, Replayer
from gongxin.replay import publicity as replay_publicity
from gongxin.replay.engine import first_difference


def _event(seq, kind, subject, payload):
    return canonical_json({"seq": seq, "kind": kind, "subject": {"type": subject[0], "id": str(subject[1])},
                           "actor": None, "time": "2026-01-01T00:00:00+00:00", "payload": payload})


def test_the_shipped_calendar_is_the_products_calendar_for_every_year_it_knows():
    shipped = replay_publicity.calendar_lookup(replay_publicity.load_calendar())
    data = replay_publicity.load_calendar()
    assert data["source"] == f"chinesecalendar {chinese_calendar.__version__}", \
        "the package changed: run python -m gongxin.replay.make_calendar"
    for year in data["years"]:
        day = dt.date(year, 1, 1)
        while day.year == year:
            assert shipped(day) == chinese_calendar.is_workday(day), day
            day += dt.timedelta(days=1)
    unknown = max(data["years"]) + 1
    assert shipped(dt.date(unknown, 3, 2)) is None  # a year it does not know: Monday to Friday, with a warning


@pytest.mark.parametrize("start", [dt.date(2026, 9, 28), dt.date(2026, 12, 28), dt.date(2025, 1, 24)])
def test_publicity_periods_across_holidays_replay_as_the_product_counts_them(start):
    period = workdays.period_end(start, 5)   # the product's calendar (the package)
    rep = Replayer()
    rep.feed(1, _event(1, "publicity.notice.published", ("publicity.notice", 7), {
        "kind": "pre_appointment", "period_start": start.isoformat(), "period_end": period.end.isoformat(),
        "working_days": 5}))
    [result] = rep.finish()
    assert (result.status, result.what, result.subject, result.seq) == (EQUAL, "publicity period", "notice 7", 1)


def test_a_working_day_change_recorded_before_the_notice_counts_and_one_after_does_not():
    start = dt.date(2026, 6, 1)   # Monday; 5 working days end on Friday 5 June
    rep = Replayer()
    rep.feed(1, _event(1, "publicity.workday_override.set", ("publicity.workdayoverride", 1),
                       {"date": "2026-06-03", "is_workday": False, "note": "防汛"}))
    rep.feed(2, _event(2, "publicity.notice.published", ("publicity.notice", 1), {
        "kind": "pre_appointment", "period_start": start.isoformat(), "period_end": "2026-06-08", "working_days": 5}))
    rep.feed(3, _event(3, "publicity.workday_override.removed", ("publicity.workdayoverride", 1), {"date": "2026-06-03"}))
    rep.feed(4, _event(4, "publicity.notice.published", ("publicity.notice", 2), {
        "kind": "pre_appointment", "period_start": start.isoformat(), "period_end": "2026-06-08", "working_days": 5}))
    first, second = rep.finish()
    assert first.status == EQUAL
    assert second.status == DIFFERS and second.detail == "period_end: recorded '2026-06-08', replayed '2026-06-05'"
    assert rep.first_differing() is second


def _meeting_events(ballots, seed="s" * 16, tamper=None):
    posts = [tally.PostSpec("p1", "镇长", 1)]
    rules = tally.Rules()
    res = tally.result(posts=posts, ballots=ballots, rules=rules, expected=6, present=len(ballots), seed=seed)
    closed = {**res, "posts": [{k: v for k, v in p.items() if k != "slate"} for p in res["posts"]]}
    slates = {p["key"]: p["slate"] for p in res["posts"]}
    nominees = [{"post": "p1", "post_title": "镇长", "cadre": int(c), "name": "x", "votes": res["posts"][0]["votes"][c],
                 "valid": res["posts"][0]["valid"], "share": res["posts"][0]["shares"][c],
                 "competitive": slates["p1"]["competitive"]} for c in slates["p1"]["nominees"]]
    payloads = [
        ("meetings.meeting.opened", {"mode": "open", "rules": rules.to_dict(), "seed_hash": tally.seed_hash(seed),
                                     "posts": [{"key": "p1", "title": "镇长", "k": 1}], "candidates": {}, "expected": 6}),
        ("meetings.meeting.closed", {"accounting": {"present": len(ballots)}, "tally": closed,
                                     "ballots_sha256": res["ballots_sha256"]}),
        ("meetings.seed.revealed", {"seed": seed, "valid": res["valid"], "slates": slates}),
        ("meetings.meeting.published", {"ballots": ballots, "nominees": nominees, "valid": res["valid"],
                                        "ballots_sha256": res["ballots_sha256"]}),
    ]
    if tamper:
        tamper(dict(payloads))
    return [_event(i, kind, ("meetings.meeting", 3), p) for i, (kind, p) in enumerate(payloads, 10)]


def test_a_meeting_with_a_tie_broken_by_the_seed_replays_equal():
    rep = Replayer()
    for seq, data in enumerate(_meeting_events(["1", "1", "2", "2", "3", ""]), 10):
        rep.feed(seq, data)
    results = rep.finish()
    assert [(r.what, r.status) for r in results] == [
        ("meeting tally", EQUAL), ("meeting slate", EQUAL), ("meeting nominees", EQUAL)]


def test_a_slate_that_the_seed_does_not_give_is_named():
    def swap(payloads):
        slate = payloads["meetings.seed.revealed"]["slates"]["p1"]
        slate["nominees"] = list(reversed(slate["nominees"]))

    rep = Replayer()
    for seq, data in enumerate(_meeting_events(["1", "1", "2", "2", "3", ""], tamper=swap), 10):
        rep.feed(seq, data)
    rep.finish()
    bad = rep.first_differing()
    assert (bad.what, bad.seq) == ("meeting slate", 12) and bad.detail.startswith("slates.p1.nominees[0]")


def test_a_meeting_published_before_replay_existed_is_not_replayable_and_says_why():
    def old(payloads):
        del payloads["meetings.meeting.published"]["ballots"]

    rep = Replayer()
    for seq, data in enumerate(_meeting_events(["1", "2", "2", ""], tamper=old), 10):
        rep.feed(seq, data)
    [result] = rep.finish()
    assert result.status == NOT_REPLAYABLE and "no ballot list" in result.detail and rep.first_differing() is None


def _rating_events(ballots, tamper=None):
    """A rating survey as the product records it (evaluation's 民主评议): items with options, the
    flag rule beside the meeting rules, no seed and no slate."""
    options = [{"key": "y", "label": "认同", "kind": "favourable"}, {"key": "n", "label": "不认同", "kind": "unfavourable"}]
    items = [{"key": "p1", "title": "选人用人工作", "k": 1, "options": options},
             {"key": "p2", "title": "张三", "k": 1, "options": options, "subject": 7}]
    rules = {**tally.Rules().to_dict(), "flag_share": "1/3", "flag_strict": True}
    res = tally.result(posts=[tally.PostSpec(i["key"], i["title"], 1) for i in items], ballots=ballots,
                       rules=tally.Rules(), expected=5, present=len(ballots), allowed={"p1": {"y", "n"}, "p2": {"y", "n"}})
    payloads = {
        "meetings.meeting.opened": {"mode": "rating", "rules": rules, "seed_hash": "", "posts": items,
                                    "candidates": {}, "expected": 5},
        "meetings.meeting.closed": {"accounting": {"present": len(ballots)}, "tally": res,
                                    "ballots_sha256": res["ballots_sha256"]},
        "meetings.meeting.published": {"ballots": ballots, "nominees": [], "valid": res["valid"],
                                       "ballots_sha256": res["ballots_sha256"]},
    }
    if tamper:
        tamper(payloads)
    return [_event(i, kind, ("meetings.meeting", 5), p) for i, (kind, p) in enumerate(payloads.items(), 10)]


def test_a_rating_survey_is_recounted_without_a_seed():
    # before: "the bundle lacks the meeting's seed event" for every 评议 (a survey commits no seed)
    rep = Replayer()
    for seq, data in enumerate(_rating_events(["y|y", "y|n", "n|n", "y|", "y|y"]), 10):
        rep.feed(seq, data)
    assert [(r.what, r.status) for r in rep.finish()] == [("meeting tally", EQUAL), ("meeting nominees", EQUAL)]


def test_a_rating_survey_whose_recorded_tally_was_changed_is_named():
    def more_favourable(payloads):
        votes = payloads["meetings.meeting.closed"]["tally"]["posts"][1]["votes"]
        votes["y"], votes["n"] = votes["y"] + 1, votes["n"] - 1

    rep = Replayer()
    for seq, data in enumerate(_rating_events(["y|y", "y|n", "n|n", "y|n"], tamper=more_favourable), 10):
        rep.feed(seq, data)
    rep.finish()
    bad = rep.first_differing()
    assert (bad.what, bad.seq) == ("meeting tally", 11) and "posts[1].votes" in bad.detail


def test_events_replay_does_not_read_cost_no_decoding():
    rep = Replayer()
    rep.feed(0, _event(0, "people.cadre.updated", ("people.cadre", 1), {"name": "张三"}))
    rep.feed(1, b'not json at all')
    assert rep.events == 0 and rep.finish() == []


def test_first_difference_says_where_in_words():
    assert first_difference({"a": [1, {"b": 2}]}, {"a": [1, {"b": 3}]}) == "a[1].b: recorded 2, replayed 3"
    assert first_difference({"v": True}, {"v": 1}) == "v: recorded True, replayed 1"
    assert first_difference([1, 2], [1]) == ": 2 items recorded, 1 replayed"
    assert first_difference(json.loads('{"x": 1}'), {"x": 1}) is None


def _decision_events(present, recorded_quorum_met, *, rule=True):
    members = [f"委员{i}" for i in range(9)]
    subject = ("cases.decisionmeeting", 4)
    taken = {"case": 1, "members": 9, "present": len(present), "quorum": "2/3", "quorum_met": recorded_quorum_met,
             "mode": "open", "candidates": []}
    if rule:
        taken["rule"] = {"code": "R15", "rule_set": {"jurisdiction": "county", "version": 2},
                         "parameters": {"quorum": "2/3", "pass": "1/2"}}
    return [_event(1, "cases.decision_meeting.created", subject, {"case": 1, "members": members, "mode": "open"}),
            _event(2, "cases.decision_meeting.attendance_recorded", subject, {"members": 9, "present": present}),
            _event(3, "cases.decision_meeting.not_held", subject, taken)]


@pytest.mark.parametrize(("present", "recorded", "status"), [(5, False, EQUAL), (6, True, DIFFERS), (5, True, DIFFERS)])
def test_a_meeting_recorded_as_not_held_is_checked_against_r15s_quorum(present, recorded, status):
    rep = Replayer()
    for seq, data in enumerate(_decision_events([f"委员{i}" for i in range(present)], recorded), 1):
        rep.feed(seq, data)
    [result] = rep.finish()
    assert (result.what, result.seq, result.status) == ("decision quorum", 3, status)
    if present == 6:   # 6 of 9 is exactly two thirds: a quorum, so "not held" is not what R15 gives
        assert result.detail == "held: recorded False, replayed True"


def test_a_decision_recorded_before_replay_existed_names_what_is_missing():
    rep = Replayer()
    for seq, data in enumerate(_decision_events(["委员0"], False, rule=False), 1):
        rep.feed(seq, data)
    [result] = rep.finish()
    assert result.status == NOT_REPLAYABLE and "R15" in result.detail
