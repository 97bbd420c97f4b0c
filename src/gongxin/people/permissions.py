"""Who may do what with cadres, units and posts. Objects are fetched through
``get_<noun>_for_user``, which checks the capability (403) and the data scope (404)."""

from django.utils.translation import gettext as _

from gongxin.accounts.scope import cadre_q, unit_q
from gongxin.core.errors import Forbidden, NotFound

from .models import Cadre, OrgUnit, Post


def can_view_cadres(user) -> bool:
    return user.is_authenticated and user.has_capability("people.view")


def can_edit_cadres(user) -> bool:
    return user.is_authenticated and user.has_capability("people.edit")


def can_export_cadres(user) -> bool:
    return user.is_authenticated and user.has_capability("people.export")


def can_view_id_number(user, cadre: Cadre | None = None) -> bool:
    if not user.is_authenticated:
        return False
    if user.has_capability("people.view_id_number"):
        return True
    return cadre is not None and user.cadre_id == cadre.pk


def require(user, allowed: bool) -> None:
    if not user.is_authenticated:
        raise Forbidden("auth.required", _("请先登录。"))
    if not allowed:
        raise Forbidden("permission.denied", _("您的角色无权进行此项操作。"))


def get_cadre_for_user(user, cadre_id, *, for_update: bool = False, edit: bool = False) -> Cadre:
    require(user, can_edit_cadres(user) if edit else can_view_cadres(user))
    qs = Cadre.objects.select_related("org_unit", "rank").filter(cadre_q(user))
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=cadre_id)
    except (Cadre.DoesNotExist, ValueError, TypeError):
        raise NotFound("cadre.not_found", _("没有找到这名干部，或不在您的数据范围内。")) from None


def units_for_user(user):
    return OrgUnit.objects.filter(unit_q(user, "self"))


def get_unit_for_user(user, unit_id, *, edit: bool = False) -> OrgUnit:
    require(user, can_edit_cadres(user) if edit else can_view_cadres(user))
    try:
        return OrgUnit.objects.filter(unit_q(user, "self")).get(pk=unit_id)
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise NotFound("org_unit.not_found", _("没有找到该单位，或不在您的数据范围内。")) from None


def get_post_for_user(user, post_id, *, edit: bool = False) -> Post:
    require(user, can_edit_cadres(user) if edit else can_view_cadres(user))
    try:
        return Post.objects.select_related("org_unit", "rank").filter(unit_q(user, "org_unit")).get(pk=post_id)
    except (Post.DoesNotExist, ValueError, TypeError):
        raise NotFound("post.not_found", _("没有找到该职位，或不在您的数据范围内。")) from None
