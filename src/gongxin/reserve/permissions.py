"""Who may see and do what in the reserve: ``reserve.manage`` (org department admin and clerk),
within their data scope (a township clerk sees that township's reserve cadres and trainees)."""

from django.utils.translation import gettext as _

from gongxin.accounts.scope import cadre_q
from gongxin.core.errors import Forbidden, NotFound

from .models import ClassSession, ReserveCadre, Trainee, TrainingClass


def require(user, allowed: bool) -> None:
    if not user.is_authenticated:
        raise Forbidden("auth.required", _("请先登录。"))
    if not allowed:
        raise Forbidden("permission.denied", _("您的角色无权进行此项操作。"))


def can_manage_reserve(user) -> bool:
    return user.is_authenticated and user.has_capability("reserve.manage")


def can_edit_targets(user) -> bool:
    return can_manage_reserve(user) and user.has_capability("config.edit")


def reserve_cadres_for_user(user):
    require(user, can_manage_reserve(user))
    return ReserveCadre.objects.filter(cadre_q(user, "cadre__"))


def get_reserve_for_user(user, reserve_id) -> ReserveCadre:
    try:
        return reserve_cadres_for_user(user).select_related("cadre__org_unit", "target_rank").get(pk=reserve_id)
    except (ReserveCadre.DoesNotExist, ValueError, TypeError):
        raise NotFound("reserve.not_found", _("没有找到这名后备干部，或不在您的管理范围内。")) from None


def get_class_for_user(user, class_id) -> TrainingClass:
    require(user, can_manage_reserve(user))
    try:
        return TrainingClass.objects.get(pk=class_id)
    except (TrainingClass.DoesNotExist, ValueError, TypeError):
        raise NotFound("training_class.not_found", _("没有找到这个中青班。")) from None


def trainees_for_user(user, training_class):
    require(user, can_manage_reserve(user))
    return training_class.trainees.filter(cadre_q(user, "cadre__"))


def get_trainee_for_user(user, trainee_id) -> Trainee:
    require(user, can_manage_reserve(user))
    try:
        return (Trainee.objects.filter(cadre_q(user, "cadre__")).select_related("cadre", "training_class")
                .get(pk=trainee_id))
    except (Trainee.DoesNotExist, ValueError, TypeError):
        raise NotFound("trainee.not_found", _("没有找到这名学员，或不在您的管理范围内。")) from None


def get_session_for_user(user, session_id) -> ClassSession:
    require(user, can_manage_reserve(user))
    try:
        return ClassSession.objects.select_related("training_class").get(pk=session_id)
    except (ClassSession.DoesNotExist, ValueError, TypeError):
        raise NotFound("session.not_found", _("没有找到这次课程。")) from None
