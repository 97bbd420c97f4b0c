"""Seams with other apps, each guarded so publicity works while they are being built:
cases (rules, guards, candidates), inspection (problem-file intake) and the ledger
(checkpoints, public proof pages)."""

import logging
from importlib import import_module
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from gongxin.cases.eligibility import probation_months as months_of_probation  # pure: R18's reading
from gongxin.core.errors import DomainError

log = logging.getLogger(__name__)

DEFAULT_WORKING_DAYS = 5


def _module(name):
    try:
        return import_module(name)
    except ImportError:
        return None


def rule(code: str, *, case=None, default: dict) -> tuple[dict, str]:
    """(parameters, source) of a rule in force; the statutory default if rules are missing."""
    rules = _module("gongxin.cases.rules")
    if rules is not None:
        try:
            params = rules.rule_params(code, case=case) if case is not None else rules.rule_params(code)
            return {**default, **params}, code
        except Exception as exc:  # no rule set yet, or the row is missing: fall back, say so
            log.info("rule %s not available: %s", code, exc)
    return dict(default), f"{code}（默认值）"


def publicity_working_days(case=None) -> tuple[int, str]:
    params, source = rule("R17", case=case, default={"working_days": DEFAULT_WORKING_DAYS})
    try:
        return int(params["working_days"]), source
    except (TypeError, ValueError):
        raise DomainError("rules.bad_parameter", _("规则 R17 的“公示期（工作日）”不是整数（%(v)s），请在“规则管理”中改正。") % {
            "v": params["working_days"]}) from None


def probation_months(case=None) -> tuple[int, str]:
    params, source = rule("R18", case=case, default={})
    return months_of_probation(params), source


def get_case(case_id):
    models = _module("gongxin.cases.models")
    if models is None or case_id is None:
        return None
    return models.Case.objects.filter(pk=case_id).first()


def case_candidate(case, entry):
    """The case's candidate behind a notice entry (whatever the case's stage or the candidate's
    status: the cases app says why it cannot be appointed yet)."""
    if case is None or entry is None or not entry.candidate_id:
        return None
    return case.candidates.filter(pk=entry.candidate_id).select_related("cadre", "post").first()


def appoint_candidate(*, acting_user, candidate, start, probation=None):
    from gongxin.cases import actions as case_actions

    return case_actions.appoint_candidate(acting_user=acting_user, candidate=candidate, start=start,
                                          probation=probation)


def checkpoint_after_commit(reason: str) -> None:
    """Ask the ledger to sign a checkpoint once the action commits (a milestone)."""
    checkpoints = _module("gongxin.ledger.checkpoints")
    fn = getattr(checkpoints, "checkpoint_after_commit", None)
    if fn is not None:
        fn(reason)


def problem_file_intake():
    """The inspection app's intake as ``fn(*, acting_user, cadre, text, reference)``, if the
    app has one yet (``intake_complaint``), else None."""
    actions = _module("gongxin.inspection.actions")
    intake = getattr(actions, "intake_complaint", None)
    if not callable(intake):
        return None

    def _intake(*, acting_user, cadre, text: str, reference: str):
        return intake(acting_user=acting_user, cadre=cadre, channel="publicity_feedback", text=text,
                      source_ref=reference)

    return _intake


def problem_file_url(ref: str) -> str | None:
    if not ref or not ref.isdigit():
        return None
    try:
        return reverse("inspection:problem_detail", args=[int(ref)])
    except NoReverseMatch:
        return None


def inclusion_proof_url(seq: int | None, leaf_hash: str = "") -> str | None:
    """The ledger's public page proving that event ``seq`` (leaf ``leaf_hash``) is in the log."""
    if seq is None:
        return None
    try:
        return f"{reverse('ledger_public:index')}?{urlencode({'q': leaf_hash or seq})}"
    except NoReverseMatch:
        return None


def public_url(*names: str) -> str | None:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None
