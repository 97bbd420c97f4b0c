"""Replay catches what the tree cannot (issue 21): a bundle whose recorded tally, decision
outcome or publicity end date was changed, every leaf recomputed and every checkpoint re-signed
with the office's own key, passes the tree and signature checks — and replay names the event.
The verifier runs in a fresh interpreter where importing Django is impossible."""

import io
import json

import pytest
from django.core.management import call_command

from gongxin.cases.models import CaseStage
from gongxin.ledger import keys
from gongxin.meetings import actions as meeting_actions
from gongxin.publicity import actions as publicity_actions
from tests.cases.conftest import admin, case, drive, eligible, members, own_guards_only  # noqa: F401
from tests.ledger.test_integrity import _offline
from tests.meetings.conftest import SEED, close_with_shares, electors, nominees, open_with_shares  # noqa: F401

from . import forge

pytestmark = pytest.mark.django_db


def _meeting(clerk, lizhuang, people, voters):
    meeting = meeting_actions.create_meeting(acting_user=clerk, title="李庄镇海选推荐会", org_unit=lizhuang)
    meeting_actions.add_post(acting_user=clerk, meeting=meeting, title="李庄镇党委书记", k=1)
    meeting_actions.add_electors(acting_user=clerk, meeting=meeting, cadres=voters)
    meeting, _seed, _shares = open_with_shares(acting_user=clerk, meeting=meeting, seed=SEED)
    meeting_actions.check_in(acting_user=clerk, meeting=meeting, electors=list(meeting.electors.all()))
    codes = meeting_actions.generate_codes(acting_user=clerk, meeting=meeting, count=6)
    for code, n in zip(codes, [0, 0, 0, 1, 1, 2], strict=True):
        meeting_actions.cast_ballot(code=code, selections=[[people[n].pk]])
    close_with_shares(acting_user=clerk, meeting=meeting, slips_issued=6)
    meeting_actions.reveal_seed(acting_user=clerk, meeting=meeting, seed=SEED)
    meeting_actions.publish_results(acting_user=clerk, meeting=meeting)
    return meeting


@pytest.fixture
def bundles(tmp_path, cast, own_guards_only, admin, case, eligible, members, nominees, electors):  # noqa: F811
    """A ledger holding a published meeting, a decision and a pre-appointment notice, exported."""
    _meeting(admin, cast["lizhuang"], nominees, electors)
    case = drive(case, admin, CaseStage.PUBLICITY, candidates=[eligible("甲")], members=members)
    publicity_actions.create_publicity_notice_for_case(acting_user=admin, case=case, publish=True)
    call_command("ledger", "checkpoint", "--reason", "test", stdout=io.StringIO())
    out = {}
    for audience in ("public", "auditor"):
        out[audience] = tmp_path / f"{audience}.jsonl"
        call_command("ledger", "export", str(out[audience]), "--audience", audience, stdout=io.StringIO())
    return out


def test_untouched_bundles_replay_every_result_equal(bundles):
    auditor = _offline(bundles["auditor"], "--key", keys.verifier_key(), "--list")
    assert auditor.returncode == 0, auditor.stderr
    summary = next(line for line in auditor.stdout.splitlines() if line.startswith("replayed and equal:"))
    for what in ("1 meeting tally", "1 meeting slate", "1 meeting nominees", "1 decision", "1 publicity period"):
        assert what in summary, summary
    assert "differs" not in auditor.stdout and "not replayable" not in auditor.stdout
    # the public bundle has no private content: the decision (a private event) is not replayed there
    public = _offline(bundles["public"], "--key", keys.verifier_key())
    assert public.returncode == 0, public.stderr
    summary = next(line for line in public.stdout.splitlines() if line.startswith("replayed and equal:"))
    assert "1 meeting tally" in summary and "1 publicity period" in summary and "decision" not in summary


def _forged(bundles, tmp_path, kind, edit, audience="auditor"):
    lines = forge.read(bundles[audience])
    target = forge.events(lines, kind)[0]
    seq = forge.change(target, edit)
    forge.resign(lines, keys.signing_key(), keys.key_name())
    return seq, forge.write(lines, tmp_path / f"forged-{kind}.jsonl")


def _caught(path, seq, what):
    plain = _offline(path, "--key", keys.verifier_key(), "--no-replay")
    assert plain.returncode == 0, plain.stderr  # the tree and the signatures hold: only replay can see it
    result = _offline(path, "--key", keys.verifier_key())
    assert result.returncode == 1
    failed = result.stderr.strip().splitlines()[-1]
    assert failed.startswith(f"FAILED: seq {seq}: replay: {what} of "), failed
    return failed


def test_a_changed_tally_is_caught_and_named(bundles, tmp_path, nominees):  # noqa: F811
    def add_a_vote(payload):
        votes = payload["tally"]["posts"][0]["votes"]
        votes[str(nominees[1].pk)] += 1

    seq, path = _forged(bundles, tmp_path, "meetings.meeting.closed", add_a_vote, audience="public")
    failed = _caught(path, seq, "meeting tally")
    assert f"votes.{nominees[1].pk}: recorded 3, replayed 2" in failed


def test_a_changed_decision_outcome_is_caught_and_named(bundles, tmp_path):
    def refuse(payload):
        row = payload["candidates"][0]
        assert row["passed"] is True
        row["passed"] = False

    seq, path = _forged(bundles, tmp_path, "cases.decision.taken", refuse)
    failed = _caught(path, seq, "decision")
    assert "passed: recorded False, replayed True" in failed


def test_changed_attendance_is_caught_against_the_recorded_outcome(bundles, tmp_path):
    """The stances are inputs in their own events: drop three members from the attendance and
    the recorded 9 agree votes no longer follow."""
    def fewer_present(payload):
        payload["present"] = payload["present"][:6]

    seq, path = _forged(bundles, tmp_path, "cases.decision_meeting.attendance_recorded", fewer_present)
    decision = forge.events(forge.read(path), "cases.decision.taken")[0]
    failed = _caught(path, json.loads(decision["data"])["seq"], "decision")
    assert "candidates[0].agree: recorded 9, replayed 6" in failed
    assert seq < json.loads(decision["data"])["seq"]


def test_a_changed_publicity_end_date_is_caught_and_named(bundles, tmp_path):
    import datetime as dt

    def one_day_shorter(payload):
        payload["period_end"] = (dt.date.fromisoformat(payload["period_end"]) - dt.timedelta(days=1)).isoformat()

    seq, path = _forged(bundles, tmp_path, "publicity.notice.published", one_day_shorter, audience="public")
    failed = _caught(path, seq, "publicity period")
    assert "period_end: recorded" in failed
