"""Eligibility facts from inspection (``gongxin.cases.facts.register_facts_provider``):

- ``substantiated_problems``: each problem file found substantiated, named, so the engine
  fails with the problem written out;
- ``four_checks``: the R13 checks recorded for the cadre's current candidacy ("done"), and
  "problem" for the complaints check while a problem file on the cadre is still open."""

from django.utils.translation import gettext as _

from .models import CheckRecord, Finding, ProblemFile, ProblemStatus


def problem_file_facts(cadre, on=None) -> dict:
    files = list(ProblemFile.objects.filter(cadre=cadre).exclude(
        finding=Finding.UNSUBSTANTIATED).order_by("received_at", "id"))
    substantiated = [
        _("%(date)s %(channel)s反映：%(text)s") % {
            "date": f"{p.found_on:%Y-%m-%d}" if p.found_on else "", "channel": p.get_channel_display(),
            "text": p.headline}
        for p in files if p.finding == Finding.SUBSTANTIATED and (on is None or p.found_on is None or p.found_on <= on)
    ]
    checks = {}
    latest = (CheckRecord.objects.filter(candidate__cadre=cadre).exclude(candidate__status__in=["withdrawn", "appointed"])
              .order_by("-candidate__added_at").values_list("candidate_id", flat=True).first())
    if latest is not None:
        for item in CheckRecord.objects.filter(candidate_id=latest).values_list("item", flat=True):
            checks[item] = "done"
    if any(p.status != ProblemStatus.CLOSED for p in files):
        checks["complaints"] = "problem"
    out = {"substantiated_problems": substantiated}
    if checks:
        out["four_checks"] = checks
    return out
