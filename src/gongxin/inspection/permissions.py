"""Who may see and do what in inspection and joint review. Objects are fetched through
``get_<noun>_for_user``: no capability is 403, out of scope is 404.

- Clerks and admins (``inspection.manage`` / ``review.manage``) see what concerns cadres in
  their data scope.
- Inspectors (``inspection.work``) see only inspections of teams they are on.
- Review officers (``review.answer``) see only requests addressed to their department."""

from django.db.models import Q
from django.utils.translation import gettext as _

from gongxin.accounts.scope import cadre_q
from gongxin.cases.models import Candidate
from gongxin.core.errors import Forbidden, NotFound

from .models import Inspection, InspectionTeam, KeyProject, ProblemFile, ReviewRequest


def require(user, allowed: bool) -> None:
    if not user.is_authenticated:
        raise Forbidden("auth.required", _("请先登录。"))
    if not allowed:
        raise Forbidden("permission.denied", _("您的角色无权进行此项操作。"))


def can_manage_inspection(user) -> bool:
    return user.is_authenticated and user.has_capability("inspection.manage")


def can_work_inspection(user) -> bool:
    return user.is_authenticated and (user.has_capability("inspection.work") or can_manage_inspection(user))


def can_manage_review(user) -> bool:
    return user.is_authenticated and user.has_capability("review.manage")


def can_answer_review(user) -> bool:
    return user.is_authenticated and user.has_capability("review.answer") and bool(user.review_department)


def can_edit_config(user) -> bool:
    return user.is_authenticated and user.has_capability("config.edit")


def has_county_scope(user) -> bool:
    """The whole jurisdiction in the user's data scope (全部): a township clerk has not."""
    from gongxin.accounts.roles import DataScope

    return user.is_authenticated and (user.is_superuser or user.data_scope == DataScope.ALL)


def can_edit_review_departments(user) -> bool:
    """The joint-review departments serve the whole county: changing them needs the county's
    scope as well as the capability (issue 11 defect 7)."""
    return (can_edit_config(user) or can_manage_review(user)) and has_county_scope(user)


# ---- inspections -----------------------------------------------------------------------

def inspection_q(user) -> Q:
    """Inspections a user may see: a manager's data scope, or an inspector's own teams."""
    parts = []
    if can_manage_inspection(user):
        scope = cadre_q(user, "cadre__")
        if not scope:  # an empty Q is "everything"; OR-ing it would be dropped
            return Q()
        parts.append(scope)
    if user.is_authenticated and user.has_capability("inspection.work"):
        parts.append(Q(team__members__user=user))
    q = Q(pk__in=[])
    for part in parts:
        q |= part
    return q


def inspections_for_user(user):
    require(user, can_work_inspection(user))
    ids = Inspection.objects.filter(inspection_q(user)).values("pk")
    return Inspection.objects.filter(pk__in=ids).select_related("cadre", "cadre__org_unit", "team", "key_project")


def get_inspection_for_user(user, inspection_id, *, for_update: bool = False) -> Inspection:
    qs = inspections_for_user(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=inspection_id)
    except (Inspection.DoesNotExist, ValueError, TypeError):
        raise NotFound("inspection.not_found", _("没有找到这项考察，或您不是该考察组成员。")) from None


def is_team_member(user, inspection: Inspection) -> bool:
    return inspection.team.members.filter(user=user).exists()


def is_team_leader(user, inspection: Inspection) -> bool:
    return inspection.team.members.filter(user=user, is_leader=True).exists()


def can_record_in(user, inspection: Inspection) -> bool:
    """Team members record interviews and visits; the managing clerk may too."""
    return is_team_member(user, inspection) or can_manage_inspection(user)


def teams_for_user(user):
    require(user, can_work_inspection(user))
    qs = InspectionTeam.objects.prefetch_related("members__user")
    if can_manage_inspection(user):
        return qs
    return qs.filter(members__user=user).distinct()


def get_team_for_user(user, team_id) -> InspectionTeam:
    try:
        return teams_for_user(user).get(pk=team_id)
    except (InspectionTeam.DoesNotExist, ValueError, TypeError):
        raise NotFound("team.not_found", _("没有找到该考察组。")) from None


def get_key_project_for_user(user, project_id) -> KeyProject:
    require(user, can_manage_inspection(user))
    try:
        return KeyProject.objects.get(pk=project_id)
    except (KeyProject.DoesNotExist, ValueError, TypeError):
        raise NotFound("key_project.not_found", _("没有找到该重点工程。")) from None


# ---- joint review --------------------------------------------------------------------------

def review_requests_for_user(user):
    require(user, can_manage_review(user) or can_answer_review(user))
    qs = ReviewRequest.objects.select_related("department", "candidate__cadre", "candidate__case", "problem_file")
    if can_manage_review(user):
        return qs.filter(cadre_q(user, "candidate__cadre__"))
    return qs.filter(department__code=user.review_department)


def get_review_request_for_user(user, request_id, *, for_update: bool = False) -> ReviewRequest:
    qs = review_requests_for_user(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=request_id)
    except (ReviewRequest.DoesNotExist, ValueError, TypeError):
        raise NotFound("review.not_found", _("没有找到这份联审函，或它不是发给您单位的。")) from None


def get_candidate_for_user(user, candidate_id):
    """A case candidate for joint review and the four checks, inside the manager's scope."""
    require(user, can_manage_review(user) or can_manage_inspection(user))
    try:
        return (Candidate.objects.select_related("cadre", "case", "cadre__org_unit")
                .filter(cadre_q(user, "cadre__")).get(pk=candidate_id))
    except (Candidate.DoesNotExist, ValueError, TypeError):
        raise NotFound("candidate.not_found", _("没有找到该人选，或不在您的数据范围内。")) from None


# ---- problem files --------------------------------------------------------------------------

def can_manage_problems(user) -> bool:
    return can_manage_inspection(user) or can_manage_review(user)


def problem_files_for_user(user):
    require(user, can_manage_problems(user))
    return ProblemFile.objects.filter(cadre_q(user, "cadre__")).select_related("cadre", "cadre__org_unit", "assignee")


def get_problem_file_for_user(user, problem_id) -> ProblemFile:
    try:
        return problem_files_for_user(user).get(pk=problem_id)
    except (ProblemFile.DoesNotExist, ValueError, TypeError):
        raise NotFound("problem_file.not_found", _("没有找到该问题档案，或不在您的数据范围内。")) from None
