"""Every write on cases: atomic, keyword-only, ``acting_user`` first, one ledger event per state
change in the same transaction (STYLE.md)."""

import datetime as dt
import hashlib
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import Conflict, DomainError, Forbidden, full_clean_or_raise
from gongxin.ledger.recording import record_event

from . import eligibility as core
from . import guards, workflow
from .facts import evaluate_cadre, post_for, run_eligibility
from .models import (
    Application,
    Candidate,
    CandidateStatus,
    Case,
    CaseAttachment,
    CasePost,
    CaseStage,
    CaseStatus,
    Channel,
    DecisionMeeting,
    DecisionMember,
    DecisionVote,
    Rule,
    RuleSet,
    SecretCount,
    VacancyNotice,
    VotingMode,
)
from .rules import rule_set_in_force

STAGES_OPEN_FOR_CANDIDATES = {CaseStage.MOTION, CaseStage.NOMINATION, CaseStage.CANDIDATES}


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason.required", _("请填写原因。"))
    return reason


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("rule_set").get(pk=case.pk)


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


# ---- candidates ---------------------------------------------------------------------------------

def _store(candidate: Candidate, results: list[core.RuleResult]) -> dict:
    candidate.eligibility = [r.as_dict() for r in results]
    candidate.eligibility_passed = core.passed(results)
    candidate.eligibility_checked_at = timezone.now()
    return {"passed": candidate.eligibility_passed,
            "failed": [r.item for r in results if r.outcome == core.FAIL],
            "pending": [r.item for r in results if r.outcome == core.PENDING],
            "exception": [r.item for r in results if r.outcome == core.EXCEPTION]}


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

    from .rules import params_in

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
    old_level = candidate.cadre.rank.level if candidate.cadre.rank_id else 0
    probation_end = None
    if post.rank.level > old_level if probation is None else probation:
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


# ---- vacancy notices and self-nomination ----------------------------------------------------------

@transaction.atomic
def publish_vacancy_notice(*, acting_user, case: Case, post, qualifications: str, deadline: dt.date,
                           documents: str = "", requirements: dict | None = None) -> VacancyNotice:
    case = _lock_case(case)
    if case.stage not in (CaseStage.MOTION, CaseStage.NOMINATION) or case.status != CaseStatus.ACTIVE:
        raise Conflict("notice.too_late", _("只能在动议或提名阶段发布职位空缺公告。"))
    if not case.case_posts.filter(post=post).exists():
        raise DomainError("notice.bad_post", _("%(post)s 不是本案件的拟选职位。") % {"post": post})
    if deadline < timezone.localdate():
        raise DomainError("notice.deadline_past", _("报名截止日期不能早于今天。"))
    notice = VacancyNotice(case=case, post=post, qualifications=qualifications, deadline=deadline,
                           documents=documents, requirements=requirements or {})
    full_clean_or_raise(notice, exclude=["case"])
    notice.save()
    if Channel.SELF_NOMINATION not in case.channels:
        case.channels = [*case.channels, Channel.SELF_NOMINATION]
        case.save(update_fields=["channels"])
    record_event(kind="cases.vacancy_notice.published", subject=notice, actor=acting_user, public=True,
                 payload={"case": case.pk, "post": str(post), "qualifications": qualifications,
                          "requirements": notice.requirements, "documents": documents, "deadline": deadline})
    return notice


@transaction.atomic
def close_vacancy_notice(*, acting_user, notice: VacancyNotice) -> VacancyNotice:
    notice = VacancyNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.status == VacancyNotice.Status.CLOSED:
        raise Conflict("notice.closed", _("公告已截止。"))
    notice.status = VacancyNotice.Status.CLOSED
    notice.save(update_fields=["status"])
    record_event(kind="cases.vacancy_notice.closed", subject=notice, actor=acting_user, public=True,
                 payload={"case": notice.case_id, "applications": notice.applications.count()})
    return notice


def preview_application(notice: VacancyNotice, cadre) -> list[core.RuleResult]:
    return evaluate_cadre(cadre, notice.post, rule_set=notice.case.rule_set, requirements=notice.requirements)


@transaction.atomic
def apply_to_notice(*, acting_user, notice: VacancyNotice, statement: str = "") -> Application:
    """A cadre self-nominates; the eligibility check runs at once and is shown to them."""
    cadre = getattr(acting_user, "cadre", None)
    if cadre is None:
        raise DomainError("application.no_cadre", _("您的账号没有对应的干部档案，不能报名。"))
    notice = VacancyNotice.objects.select_for_update(of=("self",)).select_related("case__rule_set", "post__rank").get(pk=notice.pk)
    if notice.status != VacancyNotice.Status.OPEN or notice.deadline < timezone.localdate():
        raise Conflict("notice.closed", _("报名已于 %(date)s 截止。") % {"date": notice.deadline})
    if notice.applications.filter(cadre=cadre).exists():
        raise Conflict("application.duplicate", _("您已报名该职位，请勿重复提交。"))
    results = preview_application(notice, cadre)
    app = Application(notice=notice, cadre=cadre, statement=statement,
                      eligibility=[r.as_dict() for r in results], eligibility_passed=core.passed(results))
    app.save()
    record_event(kind="cases.application.submitted", subject=app, actor=acting_user,
                 payload={"notice": notice.pk, "case": notice.case_id, "cadre": cadre.pk,
                          "eligible": app.eligibility_passed,
                          "failed": [r.item for r in results if r.outcome == core.FAIL]})
    return app


@transaction.atomic
def accept_application(*, acting_user, application: Application, reason: str = "") -> Application:
    app = Application.objects.select_for_update(of=("self",)).select_related("notice__case", "cadre").get(pk=application.pk)
    if app.status != Application.Status.SUBMITTED:
        raise Conflict("application.decided", _("该报名已审核。"))
    app.status, app.reason, app.decided_at = Application.Status.ACCEPTED, reason.strip(), timezone.now()
    app.save(update_fields=["status", "reason", "decided_at"])
    record_event(kind="cases.application.accepted", subject=app, actor=acting_user,
                 payload={"notice": app.notice_id, "case": app.notice.case_id, "reason": app.reason})
    candidate = add_candidate(acting_user=acting_user, case=app.notice.case, cadre=app.cadre,
                              channel=Channel.SELF_NOMINATION, post=app.notice.post,
                              evidence={"application": app.pk, "statement": app.statement})
    app.candidate = candidate
    app.save(update_fields=["candidate"])
    candidate.refresh_from_db()
    # The notice's own requirements (age...) join the stored check.
    _store(candidate, run_eligibility(candidate))
    candidate.save(update_fields=["eligibility", "eligibility_passed", "eligibility_checked_at"])
    return app


@transaction.atomic
def reject_application(*, acting_user, application: Application, reason: str) -> Application:
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.status != Application.Status.SUBMITTED:
        raise Conflict("application.decided", _("该报名已审核。"))
    app.status, app.reason, app.decided_at = Application.Status.REJECTED, _reason(reason), timezone.now()
    app.save(update_fields=["status", "reason", "decided_at"])
    record_event(kind="cases.application.rejected", subject=app, actor=acting_user,
                 payload={"notice": app.notice_id, "reason": app.reason})
    return app


# ---- rules --------------------------------------------------------------------------------------

@transaction.atomic
def edit_rule(*, acting_user, rule: Rule, parameters: dict, name: str | None = None, regulation: str | None = None,
              article: str | None = None, source_text: str | None = None, effective_from: dt.date | None = None,
              note: str = "") -> RuleSet:
    """A rule change makes a new rule-set version (cases keep the version they froze)."""
    from .rule_schema import validate

    parameters = validate(rule.code, rule.variant, parameters)
    old_set = RuleSet.objects.select_for_update().get(pk=rule.rule_set_id)
    latest = RuleSet.objects.select_for_update().filter(jurisdiction=old_set.jurisdiction).order_by("-version").first()
    if latest.pk != old_set.pk:
        raise Conflict("rule.stale", _("该规则集已有更新的版本 v%(v)s，请在最新版本上修改。") % {"v": latest.version})
    effective_from = effective_from or timezone.localdate()
    if effective_from < old_set.effective_from:
        raise DomainError("rule.bad_date", _("生效日期不能早于上一版本的生效日期 %(d)s。") % {"d": old_set.effective_from})
    new_set = RuleSet.objects.create(jurisdiction=old_set.jurisdiction, version=old_set.version + 1,
                                     effective_from=effective_from, note=note, created_by=acting_user)
    before = {"parameters": rule.parameters, "name": rule.name, "regulation": rule.regulation, "article": rule.article,
              "source_text": rule.source_text}
    after = {"parameters": parameters, "name": name if name is not None else rule.name,
             "regulation": regulation if regulation is not None else rule.regulation,
             "article": article if article is not None else rule.article,
             "source_text": source_text if source_text is not None else rule.source_text}
    for r in old_set.rules.all():
        fields = dict(code=r.code, variant=r.variant, name=r.name, parameters=r.parameters, regulation=r.regulation,
                      article=r.article, source_text=r.source_text, sort_order=r.sort_order)
        if r.pk == rule.pk:
            fields.update(after)
        else:
            # A bad row carried over from an older version would make the new set unusable too.
            validate(r.code, r.variant, r.parameters)
        new_rule = Rule(rule_set=new_set, **fields)
        full_clean_or_raise(new_rule, exclude=["rule_set"])
        new_rule.save()
    changed = {k: v for k, v in after.items() if before[k] != v}
    record_event(kind="cases.rule_set.versioned", subject=new_set, actor=acting_user, public=True,
                 payload={"jurisdiction": new_set.jurisdiction, "version": new_set.version,
                          "previous": old_set.version, "effective_from": effective_from, "note": note,
                          "rule": rule.code, "variant": rule.variant,
                          "before": {k: before[k] for k in changed}, "after": changed})
    return new_set


# ---- decision meeting ---------------------------------------------------------------------------

@transaction.atomic
def create_decision_meeting(*, acting_user, case: Case, title: str, members: list[dict[str, Any]],
                            held_on: dt.date | None = None, place: str = "", mode: str = VotingMode.OPEN
                            ) -> DecisionMeeting:
    """``members``: [{"name":..., "user": User|None, "cadre": Cadre|None}, ...] — the committee roster."""
    case = _lock_case(case)
    if case.stage != CaseStage.DECISION or case.status != CaseStatus.ACTIVE:
        raise Conflict("decision.wrong_stage", _("案件进入“讨论决定”阶段后才能召开讨论决定会议。"))
    if case.decision_meetings.filter(status=DecisionMeeting.Status.OPEN).exists():
        raise Conflict("decision.already_open", _("已有一个未结束的讨论决定会议。"))
    if not members:
        raise DomainError("decision.no_members", _("请填写应到会成员名单。"))
    meeting = DecisionMeeting(case=case, title=title, held_on=held_on or timezone.localdate(), place=place, mode=mode)
    full_clean_or_raise(meeting, exclude=["case"])
    meeting.save()
    names = []
    for i, m in enumerate(members):
        user, cadre = m.get("user"), m.get("cadre")
        if cadre is None and user is not None:
            cadre = user.cadre
        name = m.get("name") or (cadre.name if cadre else getattr(user, "display_name", ""))
        if name in names:
            raise DomainError("decision.duplicate_member", _("成员 %(n)s 重复。") % {"n": name})
        names.append(name)
        DecisionMember.objects.create(meeting=meeting, name=name, user=user, cadre=cadre, sort_order=i)
    record_event(kind="cases.decision_meeting.created", subject=meeting, actor=acting_user,
                 payload={"case": case.pk, "title": title, "held_on": meeting.held_on, "mode": mode, "members": names})
    return meeting


def _open_meeting(meeting) -> DecisionMeeting:
    meeting = DecisionMeeting.objects.select_for_update(of=("self",)).select_related("case__rule_set").get(pk=meeting.pk)
    if meeting.status == DecisionMeeting.Status.NOT_HELD:
        raise Conflict("decision.not_held", _("该会议不足法定人数，已记为会议无效，不能再修改；请重新召开讨论决定会议。"))
    if meeting.status != DecisionMeeting.Status.OPEN:
        raise Conflict("decision.closed", _("会议已形成决定，不能再修改。"))
    return meeting


@transaction.atomic
def open_voting(*, acting_user, meeting: DecisionMeeting) -> DecisionMeeting:
    """The clerk opens the stances (R15) once attendance shows a quorum; from then on each
    present member records their own agree / disagree / defer on their page."""
    from . import decision_core
    from .rules import params_in

    meeting = _open_meeting(meeting)
    if meeting.voting_open:
        raise Conflict("decision.voting_open", _("表态已经开始。"))
    members = list(meeting.members.all())
    present = sum(1 for m in members if m.present)
    quorum = params_in(meeting.case.rule_set, "R15").get("quorum", "2/3")
    if not decision_core.quorum_met(len(members), present, quorum):
        raise DomainError("decision.no_quorum", _("实到 %(p)d 人，未达到应到 %(m)d 人的法定到会比例 %(q)s，不能开始表态；"
                                                  "请点“结束会议”记为会议无效，再重新召开。") % {
            "p": present, "m": len(members), "q": quorum})
    meeting.voting_open = True
    meeting.save(update_fields=["voting_open"])
    record_event(kind="cases.decision_meeting.voting_opened", subject=meeting, actor=acting_user,
                 payload={"case": meeting.case_id, "members": len(members), "present": present})
    return meeting


def member_of(meeting: DecisionMeeting, user) -> DecisionMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return meeting.members.filter(user=user).first()


@transaction.atomic
def record_own_stance(*, acting_user, meeting: DecisionMeeting, candidate: Candidate, choice: str) -> DecisionVote:
    """A committee member's own stance on one candidate (open mode, after the clerk opened voting)."""
    meeting = _open_meeting(meeting)
    member = member_of(meeting, acting_user)
    if member is None:
        raise Forbidden("decision.not_member", _("您不是本会议的应到会成员，不能表态。"))
    if meeting.mode != VotingMode.OPEN:
        raise Conflict("decision.secret_mode", _("本会议为无记名投票，由工作人员录入计票结果。"))
    if not meeting.voting_open:
        raise Conflict("decision.voting_not_open", _("工作人员尚未开始表态，请稍候。"))
    if not member.present:
        raise DomainError("decision.absent", _("您未登记出席，不能表态。"))
    if candidate.case_id != meeting.case_id or candidate.status != CandidateStatus.ACTIVE:
        raise DomainError("decision.bad_candidate", _("该人选不在本次讨论范围内。"))
    recused = recused_members(meeting, [candidate]).get(candidate.pk, {})
    if member.pk in recused:
        raise DomainError("decision.recused", _("您须回避：%(why)s") % {"why": recused[member.pk]})
    if choice not in ("agree", "disagree", "defer"):
        raise DomainError("decision.bad_choice", _("表态只能是同意、不同意或缓议。"))
    vote, _created = DecisionVote.objects.update_or_create(meeting=meeting, member=member, candidate=candidate,
                                                           defaults={"choice": choice})
    record_event(kind="cases.decision_meeting.stance_recorded", subject=meeting, actor=acting_user,
                 payload={"candidate": candidate.pk, "name": candidate.cadre.name, "member": member.name,
                          "choice": choice})
    return vote


@transaction.atomic
def record_attendance(*, acting_user, meeting: DecisionMeeting, present: list[int],
                      absence_reasons: dict[int, str] | None = None) -> DecisionMeeting:
    meeting = _open_meeting(meeting)
    absence_reasons = absence_reasons or {}
    present = set(int(p) for p in present)
    members = list(meeting.members.all())
    unknown = present - {m.pk for m in members}
    if unknown:
        raise DomainError("decision.unknown_member", _("出席名单中有不是本会议成员的人。"))
    for m in members:
        m.present = m.pk in present
        m.absence_reason = "" if m.present else absence_reasons.get(m.pk, m.absence_reason)
        m.save(update_fields=["present", "absence_reason"])
    meeting.votes.exclude(member__in=present).delete()
    record_event(kind="cases.decision_meeting.attendance_recorded", subject=meeting, actor=acting_user,
                 payload={"members": len(members), "present": [m.name for m in members if m.present],
                          "absent": {m.name: m.absence_reason for m in members if not m.present}})
    return meeting


def recused_members(meeting: DecisionMeeting, candidates) -> dict[int, dict[int, str]]:
    """{candidate id: {member id: Chinese reason}} for members who must step aside (R19–R20)."""
    from .recusal import load_graph, reason_text, recusal_options

    members = [m for m in meeting.members.all() if m.cadre_id]
    candidates = list(candidates)
    graph = load_graph({m.cadre_id for m in members} | {c.cadre_id for c in candidates})
    options = recusal_options(meeting.case.rule_set)
    out: dict[int, dict[int, str]] = {}
    for c in candidates:
        for m in members:
            reasons = graph.recusals(m.cadre_id, c.cadre_id, **options)
            if reasons:
                out.setdefault(c.pk, {})[m.pk] = "；".join(reason_text(r) for r in reasons)
    return out


def _voting_candidates(meeting):
    return list(meeting.case.candidates.filter(status=CandidateStatus.ACTIVE).select_related("cadre"))


@transaction.atomic
def record_votes(*, acting_user, meeting: DecisionMeeting, candidate: Candidate, choices: dict[int, str]) -> DecisionMeeting:
    """Open mode: each present member's agree / disagree / defer on one candidate."""
    meeting = _open_meeting(meeting)
    if meeting.mode != VotingMode.OPEN:
        raise Conflict("decision.secret_mode", _("本会议为无记名投票，请录入计票结果。"))
    if candidate.case_id != meeting.case_id or candidate.status != CandidateStatus.ACTIVE:
        raise DomainError("decision.bad_candidate", _("该人选不在本次讨论范围内。"))
    members = {m.pk: m for m in meeting.members.all()}
    recused = recused_members(meeting, [candidate]).get(candidate.pk, {})
    for member_id, choice in choices.items():
        member = members.get(int(member_id))
        if member is None:
            raise DomainError("decision.unknown_member", _("表态人不是本会议成员。"))
        if not choice:
            continue
        if not member.present:
            raise DomainError("decision.absent", _("%(name)s 未出席，不能表态。") % {"name": member.name})
        if member.pk in recused:
            raise DomainError("decision.recused", _("%(name)s 须回避：%(why)s") % {"name": member.name,
                                                                              "why": recused[member.pk]})
        if choice not in ("agree", "disagree", "defer"):
            raise DomainError("decision.bad_choice", _("表态只能是同意、不同意或缓议。"))
        DecisionVote.objects.update_or_create(meeting=meeting, member=member, candidate=candidate,
                                              defaults={"choice": choice})
    record_event(kind="cases.decision_meeting.votes_recorded", subject=meeting, actor=acting_user,
                 payload={"candidate": candidate.pk, "name": candidate.cadre.name,
                          "choices": {members[int(k)].name: v for k, v in choices.items() if v}})
    return meeting


@transaction.atomic
def record_secret_counts(*, acting_user, meeting: DecisionMeeting, candidate: Candidate, agree: int,
                         disagree: int, defer: int) -> DecisionMeeting:
    meeting = _open_meeting(meeting)
    if meeting.mode != VotingMode.SECRET:
        raise Conflict("decision.open_mode", _("本会议为逐一表态，请录入每位成员的意见。"))
    recused = recused_members(meeting, [candidate]).get(candidate.pk, {})
    voters = meeting.members.filter(present=True).exclude(pk__in=recused.keys()).count()
    if min(agree, disagree, defer) < 0 or agree + disagree + defer > voters:
        raise DomainError("decision.bad_counts", _("票数合计 %(n)d 超过有表决权的到会成员 %(v)d 人。") % {
            "n": agree + disagree + defer, "v": voters})
    SecretCount.objects.update_or_create(meeting=meeting, candidate=candidate,
                                         defaults={"agree": agree, "disagree": disagree, "defer": defer})
    record_event(kind="cases.decision_meeting.counts_recorded", subject=meeting, actor=acting_user,
                 payload={"candidate": candidate.pk, "name": candidate.cadre.name, "agree": agree,
                          "disagree": disagree, "defer": defer})
    return meeting


def compute_tally(meeting: DecisionMeeting):
    from . import decision_core
    from .rules import params_in

    r15 = params_in(meeting.case.rule_set, "R15")
    members = list(meeting.members.all())
    candidates = _voting_candidates(meeting)
    recused = recused_members(meeting, candidates)
    kwargs = {}
    if meeting.mode == VotingMode.SECRET:
        kwargs["secret_counts"] = {s.candidate_id: (s.agree, s.disagree, s.defer) for s in meeting.secret_counts.all()}
    else:
        votes: dict[int, dict[int, str]] = {}
        for v in meeting.votes.all():
            votes.setdefault(v.candidate_id, {})[v.member_id] = v.choice
        kwargs["votes"] = votes
    result = decision_core.tally(
        members=[m.pk for m in members], present=[m.pk for m in members if m.present],
        candidates=[c.pk for c in candidates], recused={k: set(v) for k, v in recused.items()},
        quorum=r15.get("quorum", "2/3"), threshold=r15.get("pass", "1/2"),
        pass_base=r15.get("pass_base", "expected"), **kwargs)
    return result, candidates, recused, members


@transaction.atomic
def close_decision_meeting(*, acting_user, meeting: DecisionMeeting) -> DecisionMeeting:
    """决定: tally under R15, re-run eligibility at decision time (pending checks now fail), mark
    candidates who did not pass; one event. A checkpoint is signed after commit when available."""
    from . import decision_core

    meeting = _open_meeting(meeting)
    result, candidates, recused, members = compute_tally(meeting)
    if not result.quorum_met:
        return _close_not_held(acting_user, meeting, result, members)
    names = {m.pk: m.name for m in members}
    by_id = {c.pk: c for c in candidates}
    checks_by_id = {c.pk: run_eligibility(c, moment="decision") for c in candidates}
    # No more people than posts: among those who passed the vote and the re-check, the most
    # agree votes take each post's places (ties: earlier nomination first).
    selected = decision_core.fill_places(
        [t for t in result.candidates if t.passed and core.passed(checks_by_id[t.candidate])],
        {cp.post_id: cp.count for cp in meeting.case.case_posts.all()},
        {c.pk: c.post_id for c in candidates})
    rows = []
    for t in result.candidates:
        cand = by_id[t.candidate]
        checks = checks_by_id[cand.pk]
        eligible = core.passed(checks)
        passed = t.candidate in selected
        rows.append({**t.as_dict(), "name": cand.cadre.name, "post": cand.post_id, "eligible": eligible, "passed": passed,
                     "vote_passed": t.passed,
                     "eligibility_failed": [r.reason for r in checks if r.outcome == core.FAIL],
                     "recused": {names[m]: recused.get(cand.pk, {}).get(m, "") for m in t.recused}})
        cand.eligibility = [r.as_dict() for r in checks]
        cand.eligibility_passed = eligible
        cand.eligibility_checked_at = timezone.now()
        if not passed:
            cand.status = CandidateStatus.NOT_PASSED
            cand.status_reason = (_("讨论决定未获应到会成员半数以上同意") if not t.passed
                                  else _("讨论决定时资格复核未通过") if not eligible
                                  else _("同意票数未进入拟选职数"))
        cand.save(update_fields=["eligibility", "eligibility_passed", "eligibility_checked_at", "status",
                                 "status_reason"])
    meeting.result = {"members": result.members, "present": result.present, "quorum": result.quorum,
                      "quorum_met": result.quorum_met, "mode": meeting.mode, "candidates": rows,
                      "present_names": [m.name for m in members if m.present],
                      "absent": {m.name: m.absence_reason for m in members if not m.present}}
    meeting.status = DecisionMeeting.Status.CLOSED
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["result", "status", "closed_at"])
    record_event(kind="cases.decision.taken", subject=meeting, actor=acting_user,
                 payload={"case": meeting.case_id, **meeting.result, "rule": _r15_frozen(meeting),
                          "places": [[cp.post_id, cp.count] for cp in meeting.case.case_posts.all()]})
    _checkpoint_after_commit(_("讨论决定：%(case)s") % {"case": meeting.case.title})
    return meeting


def _close_not_held(acting_user, meeting: DecisionMeeting, result, members) -> DecisionMeeting:
    """R15: without a quorum the meeting decides nothing: no candidate changes, and a new
    meeting may be convened."""
    meeting.result = {"members": result.members, "present": result.present, "quorum": result.quorum,
                      "quorum_met": False, "mode": meeting.mode, "candidates": [],
                      "present_names": [m.name for m in members if m.present],
                      "absent": {m.name: m.absence_reason for m in members if not m.present}}
    meeting.status = DecisionMeeting.Status.NOT_HELD
    meeting.voting_open = False
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["result", "status", "voting_open", "closed_at"])
    record_event(kind="cases.decision_meeting.not_held", subject=meeting, actor=acting_user,
                 payload={"case": meeting.case_id, **meeting.result, "rule": _r15_frozen(meeting)})
    return meeting


def _r15_frozen(meeting: DecisionMeeting) -> dict:
    """R15 as frozen in the case's rule set, named by its version: what the offline verifier
    replays the decision under (gongxin.replay.decisions)."""
    from .rules import params_in

    rule_set = meeting.case.rule_set
    return {"code": "R15", "rule_set": {"jurisdiction": rule_set.jurisdiction, "version": rule_set.version},
            "parameters": params_in(rule_set, "R15")}


def _checkpoint_after_commit(reason: str) -> None:
    try:
        from gongxin.ledger.checkpoints import checkpoint_after_commit
    except ImportError:
        return
    checkpoint_after_commit(reason)
