"""The sealed ballot box through the database (issue 13): opening gives the tally of the ballots
cast; a copy of the database taken while the meeting is open, or after close, links no receipt
or code to a ballot's contents by any order it keeps.

The forensic tests play a database administrator who copies the database during voting and
again after close, and who also knows, for each voter, the receipt and the moment they voted
(the strongest position short of holding the tellers' key shares). They try every order the
copies keep to pair receipts with ballot contents: SQLite rowid and position in the file,
PostgreSQL ctid and xmin, the order of the published lists, and the true order of casting.
Chance pairs about 1 of 50 (a random permutation has 1 fixed point on average); the bound is
at most 5. The shuffles draw on ``secrets``; here they draw on a seeded generator instead so
that the test gives the same answer every run (a leak would link all 50 whatever the seed).
As a control, the same attack with the tellers' key (a teller quorum colluding with the
administrator, which sealing does not claim to stop) links every ballot on PostgreSQL."""

import itertools
import json
import random
import re
import sqlite3
import types

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongxin import recount
from gongxin.ledger.models import Event
from gongxin.meetings import actions, codes, ingest, sealing, tally
from gongxin.meetings.models import Ballot, MeetingMode, SealedBallot

from .conftest import SEED

N = 50


@pytest.fixture
def fifty_electors(cast, make_cadre):
    return [make_cadre(cast["lizhuang_office"], name=f"投票人{i:02d}") for i in range(N)]


def _meeting(cast, electors, *, k=2, n=3):
    clerk = cast["users"]["clerk"]
    meeting = actions.create_meeting(acting_user=clerk, title="密封票箱", org_unit=cast["lizhuang"],
                                     mode=MeetingMode.OPEN)
    actions.add_post(acting_user=clerk, meeting=meeting, title="李庄镇党委书记", k=1)
    actions.add_post(acting_user=clerk, meeting=meeting, title="李庄镇镇长", k=2)
    actions.add_electors(acting_user=clerk, meeting=meeting, cadres=electors)
    opened = actions.open_meeting(acting_user=clerk, meeting=meeting, seed=SEED, shares_needed=k, shares_total=n)
    actions.check_in(acting_user=clerk, meeting=meeting, electors=list(meeting.electors.all()))
    return opened


def _distinct_selections(nominees, count, rng):
    ids = [c.pk for c in nominees]
    firsts = [[]] + [[i] for i in ids]
    seconds = [[]] + [[i] for i in ids] + [list(p) for p in itertools.combinations(ids, 2)]
    combos = [[a, b] for a in firsts for b in seconds]
    rng.shuffle(combos)
    return combos[:count]


# ---- opening gives the tally of what was cast ---------------------------------------------

@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_published_tally_after_opening_is_the_tally_of_the_ballots_cast(cast, nominees, fifty_electors, data):
    # given a meeting sealed to any k of n shares, and any number of ballots
    n = data.draw(st.integers(1, 5), label="n")
    k = data.draw(st.integers(1, n), label="k")
    clerk = cast["users"]["clerk"]
    meeting, seed, shares = _meeting(cast, fifty_electors, k=k, n=n)
    picks = st.lists(st.sampled_from([c.pk for c in nominees]), max_size=2, unique=True)
    cast_ballots = data.draw(st.lists(st.tuples(picks.map(lambda p: p[:1]), picks), max_size=N), label="ballots")
    slips = actions.generate_codes(acting_user=clerk, meeting=meeting, count=N)
    receipts = [actions.cast_ballot(code=code, selections=list(sel)) for code, sel in zip(slips, cast_ballots, strict=False)]
    # when any k of the shares open the box
    chosen = data.draw(st.permutations(shares), label="order")[:k]
    actions.close_meeting(acting_user=clerk, meeting=meeting, slips_issued=N, key_shares=chosen)
    actions.reveal_seed(acting_user=clerk, meeting=meeting, seed=seed)
    result = actions.publish_results(acting_user=clerk, meeting=meeting)
    # then the published file recounts to the tally of exactly the ballots cast
    posts = [tally.PostSpec("1", "", 1), tally.PostSpec("2", "", 2)]
    expected = tally.tally(posts, [tally.encode_ballot([sorted(a), sorted(b)]) for a, b in cast_ballots]).as_dict()
    doc = recount.load(bytes(result.ballots_file))
    assert tally.tally(posts, doc["ballots"]).as_dict() == expected
    assert recount.recount(doc)["posts"] == result.tally["posts"]
    # and the published receipts are the receipts handed out, each one found by the check
    published = bytes(result.receipts_file).decode().split()
    assert sorted(r.replace("-", "") for r in published) == sorted(receipts)
    assert not SealedBallot.objects.filter(meeting=meeting).exists()


def test_a_wrong_or_missing_share_leaves_the_box_sealed_and_a_later_opening_works(cast, nominees, fifty_electors):
    clerk = cast["users"]["clerk"]
    meeting, _seed, shares = _meeting(cast, fifty_electors[:6])
    slips = actions.generate_codes(acting_user=clerk, meeting=meeting, count=6)
    for code, cadre in zip(slips, nominees, strict=True):
        actions.cast_ballot(code=code, selections=[[cadre.pk], []])
    boxes = sorted(bytes(b) for b in SealedBallot.objects.values_list("box", flat=True))
    mistyped = shares[1][:-1] + ("A" if shares[1][-1] != "A" else "B")
    other = _meeting(cast, fifty_electors[6:9]).key_shares
    for attempt, code, words in (([shares[0]], "meeting.key_shares_missing", "至少 2 份"),
                                 ([shares[0], mistyped], "meeting.key_share_check", "第 2 份"),
                                 ([other[0], other[1]], "meeting.key_share_check", "第 1 份"),
                                 (["1-HELLO", shares[2]], "meeting.key_share_format", "第 1 份")):
        with pytest.raises(actions.DomainError) as err:
            actions.close_meeting(acting_user=clerk, meeting=meeting, slips_issued=6, key_shares=attempt)
        assert err.value.code == code and words in err.value.message and "投票箱仍保持密封" in err.value.message
        meeting.refresh_from_db()
        assert meeting.is_open and not Ballot.objects.filter(meeting=meeting).exists()
        assert sorted(bytes(b) for b in SealedBallot.objects.filter(meeting=meeting).values_list("box", flat=True)) \
            == boxes  # nothing lost, nothing changed
    result = actions.close_meeting(acting_user=clerk, meeting=meeting, slips_issued=6, key_shares=[shares[2], shares[0]])
    assert result.tally["ballots"] == 6 and result.tally["posts"][0]["votes"] == {str(c.pk): 1 for c in nominees}


def test_the_opened_event_declares_the_public_key_and_k_of_n(cast, fifty_electors):
    meeting, _seed, shares = _meeting(cast, fifty_electors[:3], k=3, n=5)
    payload = json.loads(bytes(Event.objects.get(kind="meetings.meeting.opened", subject_id=str(meeting.pk)).data))
    sealed = payload["payload"]["sealing"]
    assert sealed == {"format": sealing.FORMAT, "public_key": meeting.seal_public_key, "k": 3, "n": 5,
                      "padded_length": meeting.seal_length}
    assert len(shares) == 5
    private = sealing.key_from_shares(bytes.fromhex(sealed["public_key"]), shares[2:], 3)
    assert sealing.public_of(private).hex() == sealed["public_key"]


# ---- forensics ----------------------------------------------------------------------------

def _seeded_shuffles(monkeypatch, seed=13):
    rng = random.Random(seed)
    monkeypatch.setattr(ingest, "secrets", types.SimpleNamespace(token_bytes=rng.randbytes))


def _vote_through_the_phone_page(client, code, selections):
    data = {"code": code, "step": "cast", "pick-1": selections[0], "pick-2": selections[1]}
    page = client.post(reverse("meetings_public:vote"), data).content.decode()
    return re.search(r'id="receipt">([A-Z0-9-]+)<', page).group(1).replace("-", "")


def _cast_fifty(cast, client_for, nominees, fifty_electors):
    """Fifty distinct ballots cast through the phone page; returns the meeting, its shares and
    the truth: receipt → contents, in the order of casting."""
    clerk = cast["users"]["clerk"]
    meeting, _seed, shares = _meeting(cast, fifty_electors)
    slips = actions.generate_codes(acting_user=clerk, meeting=meeting, count=N)
    selections = _distinct_selections(nominees, N, random.Random(50))
    sessions, events = Session.objects.count(), Event.objects.count()
    truth = []
    for code, sel in zip(slips, selections, strict=True):
        receipt = _vote_through_the_phone_page(client_for(None), code, sel)
        truth.append((receipt, codes.code_hash(code), tally.encode_ballot([sorted(s) for s in sel])))
    assert len({c for _r, _h, c in truth}) == N
    # voting left no session row and no ledger event: nothing with a time per ballot
    assert Session.objects.count() == sessions and Event.objects.count() == events
    return meeting, shares, truth


def _best_linking(receipt_orders: dict, ballot_orders: dict, truth) -> tuple[int, str]:
    """The most receipts any pairing of a receipt order with a ballot order (either way round)
    puts next to their own ballot."""
    contents_of = {r: c for r, _h, c in truth}
    best, how = 0, ""
    for (rname, rorder), (bname, border) in itertools.product(receipt_orders.items(), ballot_orders.items()):
        for label, b in (("", border), (" reversed", border[::-1])):
            hits = sum(1 for r, c in zip(rorder, b, strict=True) if contents_of.get(r) == c)
            if hits > best:
                best, how = hits, f"{rname} × {bname}{label}"
    return best, how


def _receipt_orders_from_codes(rows, truth) -> list[str]:
    """Code rows (code_hash) in some order → receipts in that order (the administrator reads
    the receipt column, or derives nothing: we give it the truth's receipt for each hash)."""
    receipt_of = {h: r for r, h, _c in truth}
    return [receipt_of[h] for h in rows if h in receipt_of]


def _file_order(path, needles: list[str]) -> list[str]:
    """The needles in the order they first appear in the file's bytes (page position)."""
    data = open(path, "rb").read()
    found = [(data.find(n.encode()), n) for n in needles]
    return [n for pos, n in sorted(found) if pos >= 0]


@pytest.mark.django_db(transaction=True)
def test_sqlite_copies_during_and_after_voting_link_no_receipt_to_a_ballot(
        cast, client_for, nominees, fifty_electors, monkeypatch, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite half of the forensic test")
    _seeded_shuffles(monkeypatch)
    meeting, shares, truth = _cast_fifty(cast, client_for, nominees, fifty_electors)
    receipts = [r for r, _h, _c in truth]
    contents = [c for _r, _h, c in truth]

    def copy(name):  # a page-by-page copy of the live database, free pages included
        connection.ensure_connection()
        path = tmp_path / name
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return path

    during = copy("during.sqlite3")
    actions.close_meeting(acting_user=cast["users"]["clerk"], meeting=meeting, slips_issued=N, key_shares=shares[:2])
    after = copy("after.sqlite3")

    db1, db2 = sqlite3.connect(during), sqlite3.connect(after)
    # during voting no ballot is readable: only boxes, all of one size
    assert db1.execute("SELECT COUNT(*) FROM meetings_ballot").fetchone()[0] == 0
    assert {n for (n,) in db1.execute("SELECT length(box) FROM meetings_sealedballot")} == \
        {meeting.seal_length + sealing.OVERHEAD}
    assert db1.execute("SELECT COUNT(*) FROM meetings_receipt").fetchone()[0] == 0
    for db in (db1, db2):  # no receipt or code in any session row
        blob = " ".join(str(row) for row in db.execute("SELECT session_data FROM django_session"))
        assert not any(r in blob for r in receipts)
    receipt_orders = {"cast order": receipts}
    for label, db, path in (("during", db1, during), ("after", db2, after)):
        used = [h for (h,) in db.execute("SELECT code_hash FROM meetings_ballotcode WHERE status = 'used' ORDER BY rowid")]
        receipt_orders[f"codes by rowid ({label})"] = _receipt_orders_from_codes(used, truth)
        receipt_orders[f"codes by file position ({label})"] = _receipt_orders_from_codes(_file_order(path, used), truth)
    receipt_orders["receipts by rowid (after)"] = [
        r for (r,) in db2.execute("SELECT code FROM meetings_receipt ORDER BY rowid")]
    receipt_orders["receipts by file position (after)"] = _file_order(after, receipts)
    receipt_orders["published receipts"] = [r.replace("-", "") for r in actions.receipts_file(meeting).decode().split()]
    # (after VACUUM SQLite stores each table in rowid order: the ballots' place in the file is
    # their rowid order; receipts and code hashes are long enough to find in the raw bytes)
    ballot_orders = {
        "ballots by rowid (after)": [c for (c,) in db2.execute("SELECT contents FROM meetings_ballot ORDER BY rowid")],
        "published ballots": actions.stored_ballots(meeting.result),
    }
    assert sorted(ballot_orders["ballots by rowid (after)"]) == sorted(contents)
    best, how = _best_linking(receipt_orders, ballot_orders, truth)
    assert best <= 5, f"{best} of {N} linked by {how}"
    # the boxes are gone from the file after close (deleted, the file vacuumed)
    assert db2.execute("SELECT COUNT(*) FROM meetings_sealedballot").fetchone()[0] == 0
    raw = open(after, "rb").read()
    box = db1.execute("SELECT box FROM meetings_sealedballot LIMIT 1").fetchone()[0]
    assert bytes(box)[:32] not in raw


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_copies_during_and_after_voting_link_no_receipt_to_a_ballot(
        cast, client_for, nominees, fifty_electors, monkeypatch):
    assert connection.vendor == "postgresql"
    _seeded_shuffles(monkeypatch)
    meeting, shares, truth = _cast_fifty(cast, client_for, nominees, fifty_electors)
    receipts = [r for r, _h, _c in truth]

    def rows(table, columns, where=""):
        """What a copy with the system columns (a base backup, or pg_dump plus ctid and xmin)
        reads: each row with its place in the heap and the transaction that wrote it."""
        with connection.cursor() as cur:
            cur.execute(f"SELECT ctid::text, xmin::text::bigint, {columns} FROM {table} {where}")
            out = []
            for ctid, xmin, *rest in cur.fetchall():
                page, item = map(int, ctid.strip("()").split(","))
                out.append(((page, item), xmin, *rest))
            return out

    def orders(found, key_index, value_index=2):
        return [r[value_index] for r in sorted(found, key=lambda r: r[key_index])]

    during_codes = rows("meetings_ballotcode", "code_hash", "WHERE status = 'used'")
    during_boxes = rows("meetings_sealedballot", "box")
    assert rows("meetings_ballot", "contents") == [] and rows("meetings_receipt", "code") == []
    assert {len(bytes(b[2])) for b in during_boxes} == {meeting.seal_length + sealing.OVERHEAD}
    # the control: with the tellers' key the copy taken during voting links everything by xmin
    opener = sealing.Opener(sealing.key_from_shares(bytes.fromhex(meeting.seal_public_key), shares[:2], 2))
    box_by_xmin = {x: opener.open(bytes(box)) for _c, x, box in during_boxes}
    code_xmin = {h: x for _c, x, h in during_codes}
    colluding = sum(1 for _r, h, c in truth if box_by_xmin.get(code_xmin[h]) == c)
    assert colluding == N

    actions.close_meeting(acting_user=cast["users"]["clerk"], meeting=meeting, slips_issued=N, key_shares=shares[1:])
    after_codes = rows("meetings_ballotcode", "code_hash", "WHERE status = 'used'")
    after_receipts = rows("meetings_receipt", "code")
    after_ballots = rows("meetings_ballot", "contents")
    assert rows("meetings_sealedballot", "box") == []
    assert len({x for _c, x, _v in after_ballots}) == 1  # one transaction wrote them all
    with connection.cursor() as cur:  # no session row holds a receipt
        cur.execute("SELECT session_data FROM django_session")
        blob = " ".join(r[0] for r in cur.fetchall())
    assert not any(r in blob for r in receipts)
    receipt_orders = {"cast order": receipts,
                      "published receipts": [r.replace("-", "") for r in actions.receipts_file(meeting).decode().split()]}
    for label, found in (("during", during_codes), ("after", after_codes)):
        receipt_orders[f"codes by ctid ({label})"] = _receipt_orders_from_codes(orders(found, 0), truth)
        receipt_orders[f"codes by xmin ({label})"] = _receipt_orders_from_codes(orders(found, 1), truth)
    receipt_orders["receipts by ctid (after)"] = orders(after_receipts, 0)
    ballot_orders = {"ballots by ctid (after)": orders(after_ballots, 0),
                     "published ballots": actions.stored_ballots(meeting.result)}
    best, how = _best_linking(receipt_orders, ballot_orders, truth)
    assert best <= 5, f"{best} of {N} linked by {how}"
