"""A case's candidates: adding them (nomination checks), eligibility and recorded exceptions,
their status, and appointing one (the one door: publicity plugs in through a hook)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import Conflict, DomainError, full_clean_or_raise
from gongxin.ledger.recording import record_event

from .. import eligibility as core
from .. import guards, workflow
from ..facts import post_for, run_eligibility
from ..models import (
    Candidate,
    CandidateStatus,
    Case,
    CaseStage,
    CaseStatus,
    Channel,
)
from .common import STAGES_OPEN_FOR_CANDIDATES, _lock_case, _reason, _store

# ---- candidates ---------------------------------------------------------------------------------

def nomination_blockers(case: Case, cadre, channel: str, evidence: dict) -> list[str]:
    """Why ``cadre`` cannot enter ``case`` through ``channel``: the channel must be one the motion
    chose (issue 11 defect 5), then every check other apps registered (guards.register_nomination_check)."""
    out = []
    if channel not in case.channels:
        out.append(_("提名渠道“%(c)s”不在本案件动议确定的提名渠道中（本案件：%(allowed)s）。") % {
            "c": Channel(channel).label,
            "allowed": "、".join(str(Channel(c).label) for c in case.channels if c in Channel.values) or _("未选择")})
    for fn in guards.nomination_check_fns():
        out.extend(str(b) for b in (fn(case, cadre, channel, evidence) or []))
    return out


@transaction.atomic
def add_candidate(*, acting_user, case: Case, cadre, channel: str, evidence: dict | None = None,
                  post=None) -> Candidate:
    """A candidate enters the case through a channel, with its evidence; eligibility runs at once
    and its result is stored (DOMAIN §2.3)."""
    case = _lock_case(case)
    if case.status != CaseStatus.ACTIVE:
        raise Conflict("case.not_active", _("案件%(status)s，不能添加人选。") % {"status": case.get_status_display()})
    if case.stage not in STAGES_OPEN_FOR_CANDIDATES:
        raise Conflict("case.candidates_fixed", _("案件已进入“%(stage)s”阶段，不能再添加人选。") % {
            "stage": case.get_stage_display()})
    if channel not in Channel.values:
        raise DomainError("candidate.bad_channel", _("未知的提名渠道：%(c)s。") % {"c": channel})
    refused = nomination_blockers(case, cadre, channel, evidence or {})
    if refused:
        raise DomainError("candidate.not_allowed", refused[0], {"blockers": refused})
    if post is not None and not case.case_posts.filter(post=post).exists():
        raise DomainError("candidate.bad_post", _("%(post)s 不是本案件的拟选职位。") % {"post": post})
    if case.candidates.filter(cadre=cadre).exists():
        raise Conflict("candidate.duplicate", _("%(name)s 已是本案件的人选。") % {"name": cadre.name})
    candidate = Candidate(case=case, cadre=cadre, channel=channel, evidence=evidence or {}, post=post,
                          added_by=acting_user)
    full_clean_or_raise(candidate, exclude=["case"])
    summary = _store(candidate, run_eligibility(candidate))
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:
        raise Conflict("candidate.duplicate", _("%(name)s 已是本案件的人选。") % {"name": cadre.name}) from exc
    record_event(kind="cases.candidate.added", subject=candidate, actor=acting_user,
                 payload={"case": case.pk, "cadre": cadre.pk, "name": cadre.name, "channel": channel,
                          "post": post.pk if post else None, "evidence": candidate.evidence, "eligibility": summary})
    return candidate


@transaction.atomic
def check_eligibility(*, acting_user, candidate: Candidate, moment: str = "entry") -> Candidate:
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("case__rule_set", "cadre").get(pk=candidate.pk)
    summary = _store(candidate, run_eligibility(candidate, moment=moment))
    candidate.save(update_fields=["eligibility", "eligibility_passed", "eligibility_checked_at"])
    record_event(kind="cases.candidate.eligibility_checked", subject=candidate, actor=acting_user,
                 payload={"case": candidate.case_id, "moment": moment, **summary})
    return candidate


@transaction.atomic
def record_exception(*, acting_user, candidate: Candidate, reason: str, approval: str,
                     items: list[str] | None = None) -> Candidate:
    """破格 (R2): the reason and the higher department's approval; eligibility runs again and the
    engine decides whether the exception is allowed (never across two levels, not in probation...)."""
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("case__rule_set", "cadre").get(pk=candidate.pk)
    if not reason.strip() or not approval.strip():
        raise DomainError("exception.incomplete", _("破格须填写理由和上级组织部门的批准文件。"))
    candidate.exception_reason, candidate.exception_approval = reason.strip(), approval.strip()
    candidate.exception_rules = list(items or [])
    summary = _store(candidate, run_eligibility(candidate))
    candidate.save(update_fields=["exception_reason", "exception_approval", "exception_rules", "eligibility",
                                  "eligibility_passed", "eligibility_checked_at"])
    record_event(kind="cases.candidate.exception_recorded", subject=candidate, actor=acting_user,
                 payload={"case": candidate.case_id, "reason": candidate.exception_reason,
                          "approval": candidate.exception_approval, "items": candidate.exception_rules, **summary})
    return candidate


def _set_candidate_status(acting_user, candidate, new, allowed_from, reason, kind, message):
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("cadre").get(pk=candidate.pk)
    if candidate.status not in allowed_from:
        raise Conflict("candidate.bad_status", message % {"name": candidate.cadre.name,
                                                          "status": candidate.get_status_display()})
    old = candidate.status
    candidate.status, candidate.status_reason = new, _reason(reason)
    candidate.save(update_fields=["status", "status_reason"])
    record_event(kind=kind, subject=candidate, actor=acting_user,
                 payload={"case": candidate.case_id, "from": old, "reason": candidate.status_reason})
    return candidate


@transaction.atomic
def suspend_candidate(*, acting_user, candidate: Candidate, reason: str) -> Candidate:
    return _set_candidate_status(acting_user, candidate, CandidateStatus.SUSPENDED, {CandidateStatus.ACTIVE}, reason,
                                 "cases.candidate.suspended", _("%(name)s 当前状态为“%(status)s”，不能暂停。"))


@transaction.atomic
def resume_candidate(*, acting_user, candidate: Candidate, reason: str) -> Candidate:
    return _set_candidate_status(acting_user, candidate, CandidateStatus.ACTIVE, {CandidateStatus.SUSPENDED}, reason,
                                 "cases.candidate.resumed", _("%(name)s 当前状态为“%(status)s”，不需要恢复。"))


@transaction.atomic
def disqualify_candidate(*, acting_user, candidate: Candidate, reason: str) -> Candidate:
    return _set_candidate_status(acting_user, candidate, CandidateStatus.DISQUALIFIED,
                                 {CandidateStatus.ACTIVE, CandidateStatus.SUSPENDED}, reason,
                                 "cases.candidate.disqualified", _("%(name)s 当前状态为“%(status)s”，不能取消资格。"))


@transaction.atomic
def withdraw_candidate(*, acting_user, candidate: Candidate, reason: str) -> Candidate:
    return _set_candidate_status(acting_user, candidate, CandidateStatus.WITHDRAWN,
                                 {CandidateStatus.ACTIVE, CandidateStatus.SUSPENDED}, reason,
                                 "cases.candidate.withdrawn", _("%(name)s 当前状态为“%(status)s”，不能退出。"))


@transaction.atomic
def appoint_candidate(*, acting_user, candidate: Candidate, start: dt.date | None = None,
                      probation: bool | None = None) -> Candidate:
    """任职: the cadre takes the post (people.appoint_to_post, with R18 probation on a promotion,
    or as ``probation`` says when it is chosen by hand). The one door for a candidate: the hooks
    (``guards.register_on_candidate_appointed``) then run, the new holding on ``candidate.holding``
    (publicity writes its appointment record there)."""
    from gongxin.people.actions import appoint_to_post

    from ..rules import params_in

    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("case__rule_set", "cadre__rank").get(pk=candidate.pk)
    case = candidate.case
    if case.stage != CaseStage.APPOINTMENT or case.status != CaseStatus.ACTIVE:
        raise Conflict("case.not_appointment", _("案件进入“任职”阶段后才能办理任职。"))
    if candidate.status != CandidateStatus.ACTIVE:
        raise Conflict("candidate.bad_status", _("%(name)s 当前状态为“%(status)s”，不能任职。") % {
            "name": candidate.cadre.name, "status": candidate.get_status_display()})
    blockers = workflow.candidate_blockers(candidate)
    if blockers:
        raise DomainError("candidate.blocked", blockers[0], {"blockers": blockers})
    post = post_for(candidate, candidate.post)
    start = start or timezone.localdate()
    old = candidate.cadre.rank if candidate.cadre.rank_id else None
    promotion = core.is_promotion(post.rank.level, post.rank.is_leadership, old and old.level,
                                  old and old.is_leadership)
    probation_end = None
    if promotion if probation is None else probation:
        probation_end = core.probation_end(start, core.probation_months(params_in(case.rule_set, "R18")))
    holding = appoint_to_post(acting_user=acting_user, cadre=candidate.cadre, post=post, start=start,
                              probation_end=probation_end, note=_("选任案件：%(case)s") % {"case": case.title})
    candidate.status = CandidateStatus.APPOINTED
    candidate.save(update_fields=["status"])
    candidate.holding = holding
    record_event(kind="cases.candidate.appointed", subject=candidate, actor=acting_user,
                 payload={"case": case.pk, "post": post.pk, "start": start, "probation_end": probation_end,
                          "holding": holding.pk})
    for fn in guards.on_candidate_appointed_fns():
        fn(candidate, acting_user)
    return candidate
