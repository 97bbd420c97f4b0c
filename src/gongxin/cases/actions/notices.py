"""Vacancy notices and self-nomination: publishing and closing a notice, applying, accepting
and rejecting an application."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import Conflict, DomainError, full_clean_or_raise
from gongxin.ledger.recording import record_event

from .. import eligibility as core
from ..facts import evaluate_cadre, run_eligibility
from ..models import (
    Application,
    Case,
    CaseStage,
    CaseStatus,
    Channel,
    VacancyNotice,
)
from .candidates import add_candidate
from .common import _lock_case, _reason, _store

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
