"""Who may run 一报告两评议 (the clerks who run meetings: it is a rating meeting), and fetching
within the user's data scope."""

from django.utils.translation import gettext as _

from gongxin.accounts.scope import unit_q
from gongxin.core.errors import Forbidden, NotFound
from gongxin.meetings.permissions import can_manage_meetings

from .models import Evaluation, FollowUp, Report


def require_manage(user) -> None:
    if not can_manage_meetings(user):
        raise Forbidden("evaluation.forbidden", _("您没有管理一报告两评议的权限。"))


def reports_for_user(user):
    require_manage(user)
    return Report.objects.filter(unit_q(user, "org_unit")).select_related("org_unit")


def evaluations_for_user(user):
    require_manage(user)
    return Evaluation.objects.filter(unit_q(user, "org_unit")).select_related("org_unit", "meeting", "report")


def get_report_for_user(user, report_id) -> Report:
    try:
        return reports_for_user(user).get(pk=report_id)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise NotFound("report.not_found", _("没有找到这份报告，或它不在您的管理范围内。")) from None


def get_evaluation_for_user(user, evaluation_id) -> Evaluation:
    try:
        return evaluations_for_user(user).get(pk=evaluation_id)
    except (Evaluation.DoesNotExist, ValueError, TypeError):
        raise NotFound("evaluation.not_found", _("没有找到这次民主评议，或它不在您的管理范围内。")) from None


def get_follow_up_for_user(user, follow_up_id) -> FollowUp:
    require_manage(user)
    try:
        return FollowUp.objects.filter(unit_q(user, "evaluated__evaluation__org_unit")).select_related(
            "evaluated__cadre", "evaluated__evaluation").get(pk=follow_up_id)
    except (FollowUp.DoesNotExist, ValueError, TypeError):
        raise NotFound("follow_up.not_found", _("没有找到这项核实。")) from None
