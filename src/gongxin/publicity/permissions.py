"""Who may do what with notices, feedback and appointments; fetching checks the data scope
so out-of-scope objects are 404."""

from django.http import Http404
from django.utils.translation import gettext as _

from gongxin.accounts.scope import unit_q
from gongxin.core.errors import Forbidden, NotFound

from .models import Appointment, Feedback, Notice

CAPABILITY = "publicity.manage"


def can_manage_publicity(user) -> bool:
    return bool(user and user.is_authenticated and user.has_capability(CAPABILITY))


def require_manage(user) -> None:
    if not can_manage_publicity(user):
        raise Forbidden("publicity.forbidden", _("您没有办理公示的权限。"))


def notices_for_user(user):
    require_manage(user)
    return Notice.objects.filter(unit_q(user, "org_unit"))


def feedback_for_user(user):
    require_manage(user)
    return Feedback.objects.filter(unit_q(user, "notice__org_unit"))


def appointments_for_user(user):
    require_manage(user)
    return Appointment.objects.filter(unit_q(user, "org_unit"))


def _one(qs, pk, for_update, what):
    if for_update:
        qs = qs.select_for_update()
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(f"{what}.not_found", _("找不到该记录，或不在您的管理范围内。")) from None


def get_notice_for_user(user, pk, *, for_update=False) -> Notice:
    return _one(notices_for_user(user), pk, for_update, "notice")


def get_feedback_for_user(user, pk, *, for_update=False) -> Feedback:
    return _one(feedback_for_user(user), pk, for_update, "feedback")


def get_appointment_for_user(user, pk, *, for_update=False) -> Appointment:
    return _one(appointments_for_user(user), pk, for_update, "appointment")


def or_404(fn, *args, **kwargs):
    """For HTML views: NotFound → Http404."""
    try:
        return fn(*args, **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc
