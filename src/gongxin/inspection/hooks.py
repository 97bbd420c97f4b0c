"""What inspection plugs into the case workflow: the decision-stage guard, per-candidate
blockers, the eligibility facts (substantiated problem files) and dossier subjects."""

from importlib.util import find_spec

from gongxin.cases import guards


def _decision_guard(case) -> list[str]:
    from .queries import decision_blockers

    return decision_blockers(case)


def _candidate_blockers(candidate) -> list[str]:
    from .queries import candidate_blockers

    return candidate_blockers(candidate)


def _dossier_subjects(case) -> list[tuple[str, str]]:
    from .models import Inspection

    ids = Inspection.objects.filter(candidate__case=case).values_list("pk", flat=True)
    return [("inspection.inspection", str(pk)) for pk in ids]


def register() -> None:
    guards.register_guard("decision", _decision_guard)
    guards.register_candidate_blockers(_candidate_blockers)
    guards.register_dossier_subjects(_dossier_subjects)
    if find_spec("gongxin.cases.facts") is not None:
        from gongxin.cases.facts import register_facts_provider

        from .facts import problem_file_facts

        register_facts_provider(problem_file_facts)
