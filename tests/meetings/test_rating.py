"""Rating meetings (评议): items answered with one option each, counted by the same tally, sealed
like every ballot, published and recounted from the ballot file."""

import json
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongxin import recount
from gongxin.core.errors import DomainError
from gongxin.meetings import actions, rating, tally
from gongxin.meetings.models import MeetingMode, MeetingStatus

from .conftest import close_with_shares, open_with_shares

WORK = [{"key": "satisfied", "label": "满意", "kind": "favourable"},
        {"key": "basically_satisfied", "label": "基本满意", "kind": "favourable"},
        {"key": "dissatisfied", "label": "不满意", "kind": "unfavourable"},
        {"key": "unknown", "label": "不了解", "kind": "unknown"}]
CADRE = [{"key": "endorse", "label": "认同", "kind": "favourable"},
         {"key": "basically_endorse", "label": "基本认同", "kind": "favourable"},
         {"key": "not_endorse", "label": "不认同", "kind": "unfavourable"},
         {"key": "unknown", "label": "不了解", "kind": "unknown"}]


def rate(votes, options=CADRE, **kw):
    return rating.rate_item(rating.options_from(options), votes, **kw)


# ---- the pure rates ------------------------------------------------------------------------

def test_all_unknown_rate_is_zero_with_unknown_reported_apart_and_no_flag():
    out = rate({"unknown": 9}, WORK)
    assert out["valid"] == 9 and out["rate"] == "0" and out["unknown_share"] == "1"
    assert out["flagged"] is False


def test_exactly_one_third_unfavourable_is_not_flagged_one_more_is():
    assert rate({"endorse": 6, "not_endorse": 3})["flagged"] is False          # 3/9 = exactly 1/3
    assert rate({"endorse": 5, "not_endorse": 3, "unknown": 1})["unfavourable_share"] == "1/3"
    assert rate({"endorse": 5, "not_endorse": 4})["flagged"] is True           # 4/9 > 1/3
    at_least = rating.RatingRules(Fraction(1, 3), flag_strict=False)
    assert rate({"endorse": 6, "not_endorse": 3}, rules=at_least)["flagged"] is True


def test_rate_counts_favourable_over_valid_ballots():
    out = rate({"satisfied": 5, "basically_satisfied": 2, "dissatisfied": 1, "unknown": 2}, WORK, blank=1, invalid=1)
    assert out["rate"] == "7/10" and out["unknown_share"] == "1/5" and (out["blank"], out["invalid"]) == (1, 1)


def test_no_valid_ballot_has_no_rate():
    out = rate({})
    assert out["rate"] is None and out["flagged"] is False and rating.percent(out["rate"]) == "—"


@pytest.mark.parametrize("bad", [
    [{"key": "a", "label": "甲"}],                                      # one option
    [{"key": "a", "label": "甲"}, {"key": "a", "label": "乙"}],          # same key
    [{"key": "a,b", "label": "甲"}, {"key": "c", "label": "乙"}],        # a separator
    [{"key": "a", "label": ""}, {"key": "c", "label": "乙"}],            # no label
    [{"key": "a", "label": "甲", "kind": "good"}, {"key": "c", "label": "乙"}],
])
def test_bad_options_are_refused(bad):
    with pytest.raises(ValueError):
        rating.options_from(bad)


@given(st.lists(st.sampled_from(["endorse", "basically_endorse", "not_endorse", "unknown"]), max_size=60))
def test_rate_agrees_with_a_plain_count(marks):
    out = rate({k: marks.count(k) for k in set(marks)})
    n = len(marks)
    if not n:
        assert out["rate"] is None
        return
    fav = marks.count("endorse") + marks.count("basically_endorse")
    assert tally.as_fraction(out["rate"]) == Fraction(fav, n)
    assert out["flagged"] == (Fraction(marks.count("not_endorse"), n) > Fraction(1, 3))


# ---- a rating meeting through the database -------------------------------------------------

@pytest.fixture
def rating_meeting(cast, electors, nominees):
    clerk = cast["users"]["clerk"]
    meeting = actions.create_meeting(acting_user=clerk, title="年度评议", org_unit=cast["lizhuang"],
                                     mode=MeetingMode.RATING, rules={**tally.Rules().to_dict(), "flag_share": "1/3"})
    actions.add_post(acting_user=clerk, meeting=meeting, title="年度选人用人工作", options=WORK)
    actions.add_post(acting_user=clerk, meeting=meeting, subject=nominees[0], options=CADRE)
    actions.add_electors(acting_user=clerk, meeting=meeting, cadres=electors)
    return meeting


def test_a_rating_meeting_votes_closes_publishes_and_recounts(cast, rating_meeting, nominees):
    clerk = cast["users"]["clerk"]
    meeting, _seed, _shares = open_with_shares(acting_user=clerk, meeting=rating_meeting)
    actions.check_in(acting_user=clerk, meeting=meeting, electors=list(meeting.electors.all()))
    codes = actions.generate_codes(acting_user=clerk, meeting=meeting, count=6)
    votes = [("satisfied", "endorse"), ("satisfied", "not_endorse"), ("basically_satisfied", "not_endorse"),
             ("unknown", "endorse"), ("dissatisfied", "unknown")]
    for code, (w, c) in zip(codes, votes, strict=False):
        actions.cast_ballot(code=code, selections=[[w], [c]])
    # a phone ballot must answer every item, with one of its options
    with pytest.raises(DomainError) as err:
        actions.cast_ballot(code=codes[5], selections=[["satisfied"], []])
    assert err.value.code == "ballot.item_unanswered"
    with pytest.raises(DomainError) as err:
        actions.cast_ballot(code=codes[5], selections=[["satisfied"], ["excellent"]])
    assert err.value.code == "ballot.not_option"
    actions.spoil_code(acting_user=clerk, meeting=meeting, code=codes[5])
    result = close_with_shares(acting_user=clerk, meeting=meeting, slips_issued=6)
    work, cadre = result.tally["posts"]
    assert work["votes"] == {"satisfied": 2, "basically_satisfied": 1, "unknown": 1, "dissatisfied": 1}
    assert cadre["votes"] == {"endorse": 2, "not_endorse": 2, "unknown": 1}
    # no seed to reveal: a rating meeting publishes at once
    actions.publish_results(acting_user=clerk, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED
    doc = recount.load(bytes(meeting.result.ballots_file))
    assert doc["meeting"]["mode"] == "rating" and doc["posts"][1]["subject"] == nominees[0].name
    assert "satisfied" not in json.dumps(doc["candidates"])
    again = recount.recount(doc)
    assert again["ballots_sha256"] == result.ballots_sha256
    work_item, cadre_item = again["items"]
    assert work_item["rate"] == "3/5" and work_item["unknown_share"] == "1/5"
    assert cadre_item["unfavourable_share"] == "2/5" and cadre_item["flagged"] is True
    text = recount.render(doc, again, "0" * 64)
    assert "FLAGGED" in text and "60.00%" in text


def test_rating_items_need_options_and_recommendation_posts_refuse_them(cast, rating_meeting, draft_meeting):
    clerk = cast["users"]["clerk"]
    with pytest.raises(DomainError) as err:
        actions.add_post(acting_user=clerk, meeting=rating_meeting, title="缺等次", options=[{"key": "a", "label": "甲"}])
    assert err.value.code == "meeting.bad_options"
    with pytest.raises(DomainError) as err:
        actions.add_post(acting_user=clerk, meeting=draft_meeting, title="镇长", options=WORK)
    assert err.value.code == "meeting.not_rating"


def test_paper_rating_ballots_are_keyed_by_number_or_label(cast, rating_meeting):
    from gongxin.meetings.tokens import parse_paper_tokens

    clerk = cast["users"]["clerk"]
    meeting, _seed, _shares = open_with_shares(acting_user=clerk, meeting=rating_meeting)
    work, cadre = actions.posts_of(meeting)
    assert parse_paper_tokens(meeting, work, "2") == ["basically_satisfied"]
    assert parse_paper_tokens(meeting, cadre, "不认同") == ["not_endorse"]
    with pytest.raises(DomainError):
        parse_paper_tokens(meeting, cadre, "很好")
    actions.check_in(acting_user=clerk, meeting=meeting, electors=list(meeting.electors.all())[:1])
    for teller, user in ((1, clerk), (2, cast["users"]["org_admin"])):
        actions.enter_paper_ballot(acting_user=user, meeting=meeting, teller=teller, pile_no=1,
                                   selections=[["satisfied"], ["endorse", "not_endorse"]])
    result = close_with_shares(acting_user=clerk, meeting=meeting, slips_issued=1)
    assert result.tally["posts"][1]["invalid"] == 1 and result.tally["posts"][0]["votes"] == {"satisfied": 1}
