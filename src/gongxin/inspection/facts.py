"""Eligibility facts from inspection (``gongxin.cases.facts.register_facts_provider``):

- ``substantiated_problems``: each problem file found substantiated, named, so the engine
  fails with the problem written out;
- ``four_checks``: the R13 checks recorded for the cadre's current candidacy ("done"), and
  "problem" for the complaints check while a problem file on the cadre is still open.

``problem_file_facts_bulk`` reads a batch of cadres in two queries; the per-cadre form is the
batch form over one cadre."""

from django.utils.translation import gettext as _

from gongxin.cases.facts import Batch

from .models import CheckRecord, ComplaintChannel, Finding, ProblemFile, ProblemStatus, headline_of

CHANNELS = dict(ComplaintChannel.choices)


def problem_file_facts(cadre, on=None) -> dict:
    return problem_file_facts_bulk(Batch([cadre.pk]), on).get(cadre.pk, {})


def problem_file_facts_bulk(batch: Batch, on=None) -> dict[int, dict]:
    files: dict[int, list] = {}
    for cadre_id, *rest in (ProblemFile.objects.filter(batch.q("cadre_id")).exclude(finding=Finding.UNSUBSTANTIATED)
                            .order_by("cadre_id", "received_at", "id")
                            .values_list("cadre_id", "finding", "found_on", "channel", "finding_text", "text", "status")):
        files.setdefault(cadre_id, []).append(rest)
    # The checks of each cadre's latest candidacy still under way (latest by when it was added).
    latest: dict[int, tuple] = {}
    done: dict[int, set] = {}
    for cadre_id, candidate_id, added_at, item in (
            CheckRecord.objects.filter(batch.q("candidate__cadre_id"))
            .exclude(candidate__status__in=["withdrawn", "appointed"]).order_by()
            .values_list("candidate__cadre_id", "candidate_id", "candidate__added_at", "item")):
        key = (added_at, candidate_id)
        if cadre_id not in latest or key > latest[cadre_id]:
            latest[cadre_id] = key
            done[cadre_id] = set()
        if key == latest[cadre_id]:
            done[cadre_id].add(item)
    out = {}
    for cadre_id in set(files) | set(done):
        mine = files.get(cadre_id, ())
        substantiated = [
            _("%(date)s %(channel)s反映：%(text)s") % {
                "date": f"{found_on:%Y-%m-%d}" if found_on else "", "channel": CHANNELS.get(channel, channel),
                "text": headline_of(finding_text, text)}
            for finding, found_on, channel, finding_text, text, _status in mine
            if finding == Finding.SUBSTANTIATED and (on is None or found_on is None or found_on <= on)]
        checks = dict.fromkeys(sorted(done.get(cadre_id, ())), "done")
        if any(status != ProblemStatus.CLOSED for *_r, status in mine):
            checks["complaints"] = "problem"
        facts = {"substantiated_problems": substantiated}
        if checks:
            facts["four_checks"] = checks
        out[cadre_id] = facts
    return out
