"""A case's life: opening it (headcount checked), moving it through the stages, suspending,
resuming and withdrawing it, and its attachments."""

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import Conflict, DomainError, full_clean_or_raise
from gongxin.ledger.recording import record_event

from .. import guards, workflow
from ..facts import run_eligibility
from ..models import (
    CandidateStatus,
    Case,
    CaseAttachment,
    CasePost,
    CaseStage,
    CaseStatus,
    Channel,
    RuleSet,
)
from ..rules import rule_set_in_force
from .common import _lock_case, _reason, _store

# ---- cases ------------------------------------------------------------------------------------

def headcount_overruns(posts: list) -> list[str]:
    """For each (post, count) a case would fill: why it would exceed the post's headcount,
    counting holders now and places other running cases are filling (issue 11 defect 10)."""
    from gongxin.people.models import PostHolding

    out = []
    for item in posts:
        post, count = item if isinstance(item, (tuple, list)) else (item, 1)
        filled = PostHolding.objects.filter(post=post, end__isnull=True).count()
        running = list(CasePost.objects.filter(post=post, case__status__in=[CaseStatus.ACTIVE, CaseStatus.SUSPENDED])
                       .exclude(case__stage=CaseStage.CLOSED).select_related("case"))
        in_case = sum(cp.count for cp in running)
        if filled + in_case + count > post.headcount:
            out.append(_("%(post)s 职数 %(h)d，在任 %(f)d 人，正在选任 %(c)d 人%(cases)s，本案件再选 %(n)d 人将超出职数。") % {
                "post": post, "h": post.headcount, "f": filled, "c": in_case, "n": count,
                "cases": ("（" + "、".join(cp.case.title for cp in running) + "）") if running else ""})
    return out


@transaction.atomic
def open_case(*, acting_user, title: str, org_unit, posts: list, channels: list[str], motion_reason: str = "",
              motion_date: dt.date | None = None, jurisdiction: str = "county", over_headcount_reason: str = "") -> Case:
    """Motion (动议): the posts, the reason, the channels; the rule set in force is frozen. A
    case that would exceed a post's headcount needs a stated reason (recorded in the event)."""
    motion_date = motion_date or timezone.localdate()
    bad = [c for c in channels if c not in Channel.values]
    if bad:
        raise DomainError("case.bad_channel", _("未知的提名渠道：%(c)s。") % {"c": "、".join(bad)})
    overruns = headcount_overruns(posts)
    over_headcount_reason = (over_headcount_reason or "").strip()
    if overruns and not over_headcount_reason:
        raise DomainError("case.over_headcount", overruns[0] + _("如确需动议，请填写超职数原因。"),
                          {"blockers": overruns, "fields": {"over_headcount_reason": overruns}})
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set_in_force(on=motion_date, jurisdiction=jurisdiction).pk)
    case = Case(title=title, org_unit=org_unit, channels=list(dict.fromkeys(channels)), motion_reason=motion_reason,
                motion_date=motion_date, rule_set=rule_set, created_by=acting_user)
    full_clean_or_raise(case)
    case.save()
    if not rule_set.frozen:
        rule_set.frozen = True
        rule_set.save(update_fields=["frozen"])
    rows = []
    for item in posts:
        post, count = item if isinstance(item, (tuple, list)) else (item, 1)
        cp = CasePost(case=case, post=post, count=count)
        full_clean_or_raise(cp, exclude=["case"])
        cp.save()
        rows.append({"post": post.pk, "title": str(post), "count": count})
    record_event(kind="cases.case.opened", subject=case, actor=acting_user,
                 payload={"title": title, "org_unit": org_unit.pk, "posts": rows, "channels": case.channels,
                          "motion_reason": motion_reason, "motion_date": motion_date,
                          "over_headcount": {"warnings": overruns, "reason": over_headcount_reason} if overruns else None,
                          "rule_set": {"id": rule_set.pk, "version": rule_set.version,
                                       "jurisdiction": rule_set.jurisdiction}})
    return case


@transaction.atomic
def advance_case(*, acting_user, case: Case, to_stage: str) -> Case:
    """Move the case one stage on, if nothing blocks it; otherwise DomainError with the blockers."""
    case = _lock_case(case)
    found = workflow.blockers(case, to_stage)
    if found:
        raise DomainError("case.blocked", _("不能进入“%(stage)s”：%(first)s") % {
            "stage": CaseStage(to_stage).label if to_stage in CaseStage.values else to_stage, "first": found[0]},
            {"blockers": found})
    old = case.stage
    case.stage = to_stage
    case.stage_entered_at = timezone.now()
    if to_stage == CaseStage.CLOSED:
        case.status = CaseStatus.COMPLETED
    case.save(update_fields=["stage", "stage_entered_at", "status"])
    payload = {"from": old, "to": to_stage, "rule_set": case.rule_set.version}
    if to_stage == CaseStage.DECISION:
        # The re-check the guard just passed is stored, and recorded in this move's event.
        # By candidate, not by name: two candidates may share a name (张伟).
        payload["eligibility"] = []
        for cand in case.candidates.filter(status=CandidateStatus.ACTIVE).select_related("cadre", "case__rule_set"):
            passed = _store(cand, run_eligibility(cand))["passed"]
            cand.save(update_fields=["eligibility", "eligibility_passed", "eligibility_checked_at"])
            payload["eligibility"].append({"candidate": cand.pk, "name": cand.cadre.name, "passed": passed})
    record_event(kind="cases.case.advanced", subject=case, actor=acting_user, payload=payload)
    for fn in guards.on_enter_for(to_stage):
        fn(case, acting_user)
    return case


def _set_case_status(acting_user, case, new, allowed_from, reason, kind, code, message):
    case = _lock_case(case)
    if case.status not in allowed_from:
        raise Conflict(code, message % {"status": case.get_status_display()})
    old = case.status
    case.status, case.status_reason = new, _reason(reason)
    case.save(update_fields=["status", "status_reason"])
    record_event(kind=kind, subject=case, actor=acting_user, payload={"from": old, "reason": case.status_reason,
                                                                     "stage": case.stage})
    return case


@transaction.atomic
def suspend_case(*, acting_user, case: Case, reason: str) -> Case:
    return _set_case_status(acting_user, case, CaseStatus.SUSPENDED, {CaseStatus.ACTIVE}, reason,
                            "cases.case.suspended", "case.not_active", _("案件%(status)s，不能暂停。"))


@transaction.atomic
def resume_case(*, acting_user, case: Case, reason: str) -> Case:
    return _set_case_status(acting_user, case, CaseStatus.ACTIVE, {CaseStatus.SUSPENDED}, reason,
                            "cases.case.resumed", "case.not_suspended", _("案件%(status)s，不需要恢复。"))


@transaction.atomic
def withdraw_case(*, acting_user, case: Case, reason: str) -> Case:
    return _set_case_status(acting_user, case, CaseStatus.WITHDRAWN, {CaseStatus.ACTIVE, CaseStatus.SUSPENDED},
                            reason, "cases.case.withdrawn", "case.closed", _("案件%(status)s，不能撤销。"))


def _sha256_of(file) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


@transaction.atomic
def add_attachment(*, acting_user, case: Case, title: str, file, stage: str | None = None) -> CaseAttachment:
    att = CaseAttachment(case=case, stage=stage or case.stage, title=title, file=file, sha256=_sha256_of(file),
                         uploaded_by=acting_user)
    full_clean_or_raise(att, exclude=["sha256"])
    att.save()
    record_event(kind="cases.attachment.added", subject=case, actor=acting_user,
                 payload={"attachment": att.pk, "title": title, "stage": att.stage, "sha256": att.sha256})
    return att


def open_attachment(att: CaseAttachment):
    """The attachment's file, open at its start, if it still hashes to the SHA-256 recorded in
    the ledger at upload: a file changed on disk, or gone, is refused with the reason."""
    try:
        f = att.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise DomainError("attachment.file_missing", _("附件文件已不在存储中，请联系管理员从备份恢复。")) from None
    if _sha256_of(f) != att.sha256:
        f.close()
        raise Conflict("attachment.changed", _("附件文件与上传时记入账本的 SHA-256 不一致，可能已被改动，"
                                               "已拒绝下载。请联系管理员核查。"))
    return f
