"""The bulk path: random ids, stored in the given order, round trip through executemany /
binary COPY and one aggregate read."""

from collections import Counter

import pytest
from django.db import connection, transaction

from gongxin.meetings import ingest
from gongxin.meetings.models import Ballot, Meeting


def test_random_ids_are_distinct_and_large():
    ids = ingest.random_ids(10_000)
    assert len(set(ids)) == 10_000 and all(0 < i < 2**62 for i in ids)
    assert max(ids) > 2**61  # the top usable bit is drawn too
    assert ids != sorted(ids)  # drawn, not counted


def test_shuffled_is_a_permutation_in_a_new_order():
    items = [str(i) for i in range(1000)]
    out = ingest.shuffled(items)
    assert sorted(out) == sorted(items) and out != items
    assert ingest.shuffled(items) != out  # a fresh permutation each time
    assert ingest.shuffled([]) == []


def test_insert_and_read_back(cast, open_meeting):
    ballots = ["1,2|3", "|", "4|", "x\\y|z\tw", "|5"] * 3  # blanks and COPY's special characters
    with transaction.atomic():
        counted = ingest.insert_ballots(open_meeting.pk, ballots)
    assert counted == Counter(ballots) == Counter(ingest.read_ballots(open_meeting.pk))
    ids = list(Ballot.objects.filter(meeting=open_meeting).values_list("id", flat=True))
    assert len(set(ids)) == len(ballots) and max(ids) > 2**40
    if connection.vendor == "sqlite":  # the id is the rowid: id order is the given order
        by_id = dict(Ballot.objects.filter(meeting=open_meeting).values_list("id", "contents"))
        assert [by_id[i] for i in sorted(by_id)] == ballots
    assert ingest.read_ballots(open_meeting.pk) == ballots  # storage order is the given order


def test_read_back_many_blank_and_large(cast, open_meeting):
    ballots = ["|"] * 5 + ["101,102,103|104"] * 100_000 + ["|"] * 3  # several chunks
    assert ingest.insert_ballots(open_meeting.pk, ballots) == Counter(ballots)
    assert Counter(ingest.read_ballots(open_meeting.pk)) == Counter(ballots)


def other_meeting(meeting):
    return Meeting.objects.create(title="另一次会议", org_unit=meeting.org_unit)


def test_a_single_blank_ballot_and_none(cast, open_meeting):
    assert ingest.read_ballots(open_meeting.pk) == []
    ingest.insert_ballots(open_meeting.pk, [""])
    assert ingest.read_ballots(open_meeting.pk) == [""]
    assert ingest.read_ballots(other_meeting(open_meeting).pk) == []


def test_a_line_break_inside_a_ballot_is_refused(cast, open_meeting):
    for bad in ("1\n2|", "1|\r"):
        with pytest.raises(ValueError, match="line break"):
            ingest.insert_ballots(open_meeting.pk, ["1|2", bad])
    assert ingest.read_ballots(open_meeting.pk) == []


def test_delete_removes_only_that_meeting(cast, open_meeting):
    other = other_meeting(open_meeting)
    ingest.insert_ballots(open_meeting.pk, ["1|"] * 4)
    ingest.insert_ballots(other.pk, ["2|"] * 3)
    assert ingest.delete_ballots(open_meeting.pk) == 4
    assert ingest.read_ballots(open_meeting.pk) == [] and ingest.read_ballots(other.pk) == ["2|"] * 3
