"""What inspection plugs into the case workflow (registered in AppConfig.ready()):

- per-candidate blockers for the decision stage and later: the R13 checks still missing and
  every joint-review department not clear (silent, needs verification, open problem);
- a guard on entering "decision": an inspection opened for an active candidate whose report
  the team leader has not signed off;
- eligibility facts: substantiated problem files and the four checks;
- dossier subjects: the inspections of the case's candidates."""

from django.utils.translation import gettext as _

from gongxin.cases import guards
from gongxin.cases.facts import register_facts_provider
from gongxin.core.errors import DomainError

from .facts import problem_file_facts, problem_file_facts_bulk
from .models import Inspection, InspectionKind, InspectionStatus, ReviewRequest
from .queries import candidate_blockers as _candidate_blockers
from .queries import candidate_blockers_many as _candidate_blockers_many


def decision_guard(case) -> list[str]:
    """Reports not signed off for active candidates; and, when no candidate is left active,
    those suspended by joint review or a problem file, with the reason they wait."""
    out = []
    if not case.candidates.filter(status="active").exists():
        for candidate in case.candidates.filter(status="suspended").select_related("cadre"):
            out.append(guards.blocker(_("%(name)s 已暂停（%(reason)s），没有可提交讨论决定的人选。") % {
                "name": candidate.cadre.name, "reason": candidate.status_reason}, "cases:candidate_detail", candidate.pk))
    out.extend(missing_reports(case))
    unsigned = (Inspection.objects.filter(candidate__case=case, candidate__status="active")
                .exclude(status=InspectionStatus.SIGNED).select_related("cadre"))
    for inspection in unsigned:
        out.append(guards.blocker(_("%(name)s：%(kind)s报告尚未由考察组组长签发。") % {
            "name": inspection.cadre.name, "kind": inspection.get_kind_display()}, "inspection:inspection_detail", inspection.pk))
    return out


R11_DEFAULT = {"required_kind": "any", "by_channel": {}, "signed": True}


def missing_reports(case) -> list[str]:
    """R11: every active candidate needs a signed inspection report of the kind their channel
    requires (any kind by default) before the decision (issue 11 defect 4)."""
    from gongxin.cases.rules import get_rule

    try:
        rule = get_rule(case.rule_set, "R11")
        params, source = {**R11_DEFAULT, **rule.parameters}, f"R11 {rule.source}"
    except DomainError:
        params, source = dict(R11_DEFAULT), _("R11（默认）")
    labels = dict(InspectionKind.choices)
    # An inspection opened but not signed is named by the guard's own "not signed off" line.
    signed: dict[int, set] = {}
    for cand_id, kind in Inspection.objects.filter(candidate__case=case).values_list("candidate_id", "kind"):
        signed.setdefault(cand_id, set()).add(kind)
    out = []
    for cand in case.candidates.filter(status="active").select_related("cadre"):
        kind = (params.get("by_channel") or {}).get(cand.channel) or params.get("required_kind") or "any"
        have = signed.get(cand.pk, set())
        if (kind == "any" and have) or kind in have:
            continue
        out.append(guards.blocker(_("%(name)s：没有%(kind)s报告，须经考察并签发报告后才能提交讨论决定（依据 %(source)s）。") % {
            "name": cand.cadre.name, "kind": labels.get(kind, _("考察")), "source": source}, "inspection:inspection_new"))
    return out


def candidate_blockers(candidate) -> list[str]:
    page = ("inspection:review_candidate", candidate.pk)
    return [guards.blocker(b, *page) for b in _candidate_blockers(candidate)]


def candidate_blockers_many(candidates) -> dict[int, list[str]]:
    return {pk: [guards.blocker(b, "inspection:review_candidate", pk) for b in found]
            for pk, found in _candidate_blockers_many(candidates).items()}


def dossier_subjects(case) -> list[tuple[str, str]]:
    """The case's inspections and the problem files its joint review opened."""
    ids = Inspection.objects.filter(candidate__case=case).values_list("pk", flat=True)
    problems = (ReviewRequest.objects.filter(candidate__case=case, problem_file__isnull=False)
                .values_list("problem_file_id", flat=True))
    return ([("inspection.inspection", str(pk)) for pk in ids]
            + [("inspection.problemfile", str(pk)) for pk in sorted(set(problems))])


def register() -> None:
    guards.register_guard("decision", decision_guard)
    guards.register_candidate_blockers(candidate_blockers, many=candidate_blockers_many)
    from .connections import case_connections

    guards.register_connections(case_connections)
    guards.register_dossier_subjects(dossier_subjects)
    register_facts_provider(problem_file_facts, bulk=problem_file_facts_bulk)
