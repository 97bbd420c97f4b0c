"""Who may see and act on cases. Objects are fetched through the user's data scope, so an
out-of-scope case is 404; a missing capability is 403."""

from django.db.models import Q
from django.utils.translation import gettext as _

from gongxin.accounts.scope import NOTHING, unit_q
from gongxin.core.errors import Forbidden, NotFound

from .models import Application, Candidate, Case, DecisionMeeting, VacancyNotice


def can_view_cases(user) -> bool:
    return user.is_authenticated and (user.has_capability("cases.view") or user.has_capability("cases.view_assigned"))


def can_manage_cases(user) -> bool:
    return user.is_authenticated and user.has_capability("cases.manage")


def can_edit_rules(user) -> bool:
    return user.is_authenticated and user.has_capability("config.edit")


def require(user, capability: str) -> None:
    if not user.is_authenticated or not user.has_capability(capability):
        raise Forbidden("permission.denied", _("您没有此项操作的权限。"))


def case_q(user, prefix: str = "") -> Q:
    """Cases the user may see: by unit scope with cases.view; only cases whose decision meeting
    they sit on with cases.view_assigned."""
    if not user.is_authenticated:
        return NOTHING
    if user.has_capability("cases.view"):
        return unit_q(user, f"{prefix}org_unit")
    if user.has_capability("cases.view_assigned"):
        return Q(**{f"{prefix}decision_meetings__members__user": user})
    return NOTHING


def require_view(user) -> None:
    if not can_view_cases(user):
        raise Forbidden("permission.denied", _("您没有查看选任案件的权限。"))


def get_case_for_user(user, case_id, *, manage: bool = False) -> Case:
    require_view(user)
    if manage:
        require(user, "cases.manage")
    case = (Case.objects.filter(case_q(user)).select_related("org_unit", "rule_set").filter(pk=case_id).distinct()
            .first())
    if case is None:
        raise NotFound("case.not_found", _("没有找到该案件，或不在您的管理范围内。"))
    return case


def get_candidate_for_user(user, candidate_id, *, manage: bool = False) -> Candidate:
    require_view(user)
    if manage:
        require(user, "cases.manage")
    cand = (Candidate.objects.filter(case_q(user, "case__")).filter(pk=candidate_id)
            .select_related("case__rule_set", "case__org_unit", "cadre__org_unit", "cadre__rank", "post__rank")
            .distinct().first())
    if cand is None:
        raise NotFound("candidate.not_found", _("没有找到该人选，或不在您的管理范围内。"))
    return cand


def get_meeting_for_user(user, meeting_id, *, manage: bool = False) -> DecisionMeeting:
    require_view(user)
    if manage:
        require(user, "cases.manage")
    meeting = (DecisionMeeting.objects.filter(case_q(user, "case__")).filter(pk=meeting_id)
               .select_related("case__rule_set").distinct().first())
    if meeting is None:
        raise NotFound("decision.not_found", _("没有找到该会议，或不在您的管理范围内。"))
    return meeting


def notice_q(user) -> Q:
    """Staff see notices of cases in scope; cadres (self-service) see every open notice."""
    if user.has_capability("cases.manage"):
        return case_q(user, "case__")
    if user.has_capability("self.service"):
        return Q(status=VacancyNotice.Status.OPEN) | Q(applications__cadre=user.cadre_id)
    return NOTHING


def get_notice_for_user(user, notice_id) -> VacancyNotice:
    if not user.is_authenticated or not (user.has_capability("cases.manage") or user.has_capability("self.service")):
        raise Forbidden("permission.denied", _("您没有查看职位空缺公告的权限。"))
    notice = (VacancyNotice.objects.filter(notice_q(user)).filter(pk=notice_id)
              .select_related("case__rule_set", "post__rank", "post__org_unit").distinct().first())
    if notice is None:
        raise NotFound("notice.not_found", _("没有找到该公告。"))
    return notice


def get_application_for_user(user, application_id) -> Application:
    require(user, "cases.manage")
    app = (Application.objects.filter(case_q(user, "notice__case__")).filter(pk=application_id)
           .select_related("notice__case", "cadre").distinct().first())
    if app is None:
        raise NotFound("application.not_found", _("没有找到该报名。"))
    return app
