"""A code works once, however many requests carry it at the same moment; and the recount tool
agrees with the system on a large random meeting."""

import random

import pytest
from django.db import connection

from gongxin import recount
from gongxin.meetings import actions, ingest, tally
from gongxin.meetings.models import BallotCode, CodeStatus, SealedBallot
from tests.concurrency import at_once

from .conftest import SEED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_submissions_of_one_code_count_once(cast, open_meeting, nominees):
    code = actions.generate_codes(acting_user=cast["users"]["clerk"], meeting=open_meeting, count=1)[0]
    outcomes = at_once(lambda i: actions.cast_ballot(code=code, selections=[[nominees[i % 6].pk], []]), 50)
    assert connection.vendor == "postgresql"
    assert [o for o in outcomes if o[0] == "error"] == []
    assert sum(1 for o in outcomes if o[0] == "ok") == 1
    assert {o[1] for o in outcomes if o[0] == "refused"} == {"ballot.code_used"}
    assert SealedBallot.objects.filter(meeting=open_meeting).count() == 1
    receipt = next(o[1] for o in outcomes if o[0] == "ok")
    assert BallotCode.objects.get(meeting=open_meeting).receipt == receipt
    assert BallotCode.objects.get(meeting=open_meeting).status == CodeStatus.USED


@pytest.mark.slow
def test_recount_equals_the_system_on_100000_random_ballots(cast, open_meeting, nominees):
    # given 100,000 ballots loaded through the bulk path, with over-votes and blanks
    rng = random.Random(100_000)
    pool = [str(n.pk) for n in nominees]
    ballots = []
    for _ in range(100_000):
        parts = [rng.sample(pool, rng.choice([0, 1, 1, 1, 2])), rng.sample(pool, rng.choice([0, 1, 2, 2, 3]))]
        ballots.append(tally.encode_ballot(parts))
    ingest.insert_ballots(open_meeting.pk, ballots)
    # the system's side is what close_meeting runs: read the stored ballots back and count them
    # (close itself would refuse 100,000 ballots from 6 present voters: the accounting equation)
    posts = actions.posts_of(open_meeting)
    system = tally.result(posts=actions.specs_of(posts), ballots=ingest.read_ballots(open_meeting.pk),
                          rules=actions.rules_of(open_meeting), expected=6, present=6, seed=SEED)
    doc = {"format": recount.FORMAT, "rules": open_meeting.rules,
           "posts": [{"key": p.key, "title": p.title, "k": p.k} for p in posts], "candidates": {},
           "allowed": None, "expected": 6, "present": 6, "seed": SEED, "seed_hash": open_meeting.seed_hash,
           "ballots": ballots}
    by_tool = recount.recount(doc)
    assert by_tool["posts"] == system["posts"]
    assert sum(by_tool["posts"][1]["votes"].values()) > 100_000
    assert by_tool["posts"][0]["invalid"] > 10_000  # the two-name parts for a one-seat post
