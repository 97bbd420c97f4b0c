"""Exam rankings replay offline (issue 21, now that exams have landed): the published results
ranked again from their own scores, weights and tie order; a forged bundle that moves the
candidate for inspection, re-signed with the office's key, is caught and named."""

import io
import re

import pytest
from django.core.management import call_command

from gongxin.exams import actions
from gongxin.exams.ranking import ABSENT
from gongxin.ledger import keys
from tests.exams.conftest import announce, qualified, today  # noqa: F401
from tests.exams.test_actions import _people, _run_to_written
from tests.ledger.test_integrity import _offline

from .test_tamper import _caught, _forged

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundles(tmp_path, cast, announce, qualified):  # noqa: F811
    admin = cast["users"]["org_admin"]
    exam = announce()
    regs = _run_to_written(exam, admin, _people(qualified, cast["lizhuang"], 4))
    actions.record_scores(acting_user=admin, exam=exam, component="written",
                          scores={r.pk: s for r, s in zip(regs, [9000, 8500, 8000, 8000], strict=True)})
    exam = actions.rank_written(acting_user=admin, exam=exam)
    actions.record_scores(acting_user=admin, exam=exam, component="interview",
                          scores={regs[0].pk: 7000, regs[1].pk: 8500, regs[2].pk: 9000, regs[3].pk: ABSENT})
    exam = actions.rank_final(acting_user=admin, exam=exam)
    actions.publish_results(acting_user=admin, exam=exam)
    call_command("ledger", "checkpoint", "--reason", "test", stdout=io.StringIO())
    path = tmp_path / "public.jsonl"
    call_command("ledger", "export", str(path), "--audience", "public", stdout=io.StringIO())
    return {"public": path}


def test_published_exam_results_replay_equal(bundles):
    result = _offline(bundles["public"], "--key", keys.verifier_key(), "--list")
    assert result.returncode == 0, result.stderr
    summary = next(line for line in result.stdout.splitlines() if line.startswith("replayed and equal:"))
    assert "1 exam ranking" in summary, summary


def test_a_moved_candidate_for_inspection_is_caught_and_named(bundles, tmp_path):
    def swap_the_top_two(payload):
        rows = [r for r in payload["results"] if r["outcome"] in ("for_inspection", "not_selected")]
        first = next(r for r in rows if r["outcome"] == "for_inspection")
        second = next(r for r in rows if r["rank"] == 2)
        first["outcome"], second["outcome"] = "not_selected", "for_inspection"
        first["rank"], second["rank"] = 2, 1

    seq, path = _forged(bundles, tmp_path, "exams.results.published", swap_the_top_two, audience="public")
    failed = _caught(path, seq, "exam ranking")
    assert re.search(r"\[1\]: recorded ([12]), replayed (?!\1)[12]\)", failed), failed  # the rank, named per ticket


def test_a_published_note_that_claims_a_shared_rank_is_caught(bundles, tmp_path):
    def claim_a_tie(payload):
        row = next(r for r in payload["results"] if r["outcome"] == "for_inspection")
        row["note"] = "并列"  # as results were published before the notes were codes

    seq, path = _forged(bundles, tmp_path, "exams.results.published", claim_a_tie, audience="public")
    failed = _caught(path, seq, "exam ranking")
    assert re.search(r"\[3\]: recorded tied, replayed \)?", failed) or "tied" in failed, failed
