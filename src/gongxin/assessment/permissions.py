"""Who may see and do what in assessment: clerks and admins with ``assessment.manage``, within
their data scope (a township clerk sees that township's units and cadres only)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from gongxin.accounts.scope import cadre_q, unit_q
from gongxin.core.errors import Forbidden, NotFound
from gongxin.people.models import OrgUnit

from .models import Accountability, AssessmentYear


def can_manage_assessment(user) -> bool:
    return user.is_authenticated and user.has_capability("assessment.manage")


def require(user, allowed: bool) -> None:
    if not user.is_authenticated:
        raise Forbidden("auth.required", _("请先登录。"))
    if not allowed:
        raise Forbidden("permission.denied", _("您的角色无权进行此项操作。"))


def can_configure(user) -> bool:
    """Indicator systems and opening a year are county-wide settings: the county's scope."""
    return can_manage_assessment(user) and user.has_capability("config.edit")


def units_for_user(user):
    require(user, can_manage_assessment(user))
    return OrgUnit.objects.filter(unit_q(user, "self"))


def get_year_for_user(user, year) -> AssessmentYear:
    require(user, can_manage_assessment(user))
    try:
        return AssessmentYear.objects.get(year=int(year))
    except (AssessmentYear.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("assessment.year_not_found", _("没有这个考核年度。")) from None


def get_unit_for_user(user, unit_id) -> OrgUnit:
    try:
        return units_for_user(user).get(pk=int(unit_id))
    except (OrgUnit.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("org_unit.not_found", _("没有找到该单位，或不在您的数据范围内。")) from None


def accountabilities_for_user(user):
    require(user, can_manage_assessment(user))
    scope = cadre_q(user, "cadre__")
    return Accountability.objects.filter(scope or Q()).select_related("cadre__org_unit")


def get_accountability_for_user(user, pk) -> Accountability:
    try:
        return accountabilities_for_user(user).get(pk=int(pk))
    except (Accountability.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("accountability.not_found", _("没有找到该问责记录，或不在您的数据范围内。")) from None
