"""The bulk path: random ids in stored order, round trip through executemany / COPY."""

from collections import Counter

from django.db import transaction

from gongxin.meetings import ingest
from gongxin.meetings.models import Ballot


def test_random_ids_are_distinct_and_large():
    ids = ingest.random_ids(10_000)
    assert len(set(ids)) == 10_000 and all(0 < i <= 2**62 for i in ids)
    assert ids != sorted(ids)  # drawn, not counted


def test_insert_and_stream_back(cast, open_meeting):
    ballots = ["1,2|3", "|", "", "4|", "x\\y|z\tw"] * 3  # blanks and COPY's special characters
    ballots = [b if b.count("|") == 1 else "|" for b in ballots]
    with transaction.atomic():
        stored = ingest.insert_ballots(open_meeting.pk, ballots)
    assert Counter(stored) == Counter(ballots)
    assert Counter(ingest.read_ballots(open_meeting.pk)) == Counter(ballots)
    ids = list(Ballot.objects.filter(meeting=open_meeting).values_list("id", flat=True))
    assert len(ids) == len(ballots) and max(ids) > 2**40
    # the returned (published) order is the order of the new random ids
    by_id = dict(Ballot.objects.filter(meeting=open_meeting).values_list("id", "contents"))
    assert [by_id[i] for i in sorted(by_id)] == stored


def test_stream_back_many_blank_and_large(cast, open_meeting):
    ballots = [""] * 5 + ["101,102,103|104"] * 100_000 + ["|"] * 3  # > 1 MB: several gatherings on PG
    ballots = [b if "|" in b else "|" for b in ballots]
    ingest.insert_ballots(open_meeting.pk, ballots)
    back = list(ingest.iter_ballots(open_meeting.pk))
    assert Counter(back) == Counter(ballots)
