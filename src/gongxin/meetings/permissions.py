"""Who may run meetings, and fetching a meeting within the user's data scope."""

from django.utils.translation import gettext as _

from gongxin.accounts.roles import DataScope
from gongxin.accounts.scope import unit_q
from gongxin.core.errors import Forbidden, NotFound

from .models import Meeting

CAPABILITY = "meetings.manage"


def can_manage_meetings(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_capability(CAPABILITY))


def require_manage(user) -> None:
    if not can_manage_meetings(user):
        raise Forbidden("meetings.forbidden", _("您没有管理推荐会议的权限。"))


def unit_in_scope(user, unit) -> bool:
    if user is None:  # the system
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.data_scope == DataScope.ALL:
        return True
    units = list(user.org_units.all())
    if user.data_scope == DataScope.SUBTREE:
        return any(unit.path.startswith(u.path) for u in units)
    if user.data_scope == DataScope.UNIT:
        return any(unit.pk == u.pk for u in units)
    return False


def meetings_for_user(user):
    require_manage(user)
    return Meeting.objects.filter(unit_q(user, "org_unit")).select_related("org_unit", "case")


def get_meeting_for_user(user, meeting_id, *, for_update: bool = False) -> Meeting:
    qs = meetings_for_user(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=meeting_id)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise NotFound("meeting.not_found", _("没有找到这次推荐会议，或它不在您的管理范围内。")) from None
