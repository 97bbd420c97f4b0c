"""Who may browse the ledger. The ledger spans every app and unit, so ``ledger.view`` is an
auditor's capability: it sees every event (there is no data scope to apply)."""

from django.utils.translation import gettext as _

from gongxin.core.errors import Forbidden


def can_view_ledger(user) -> bool:
    return user.is_authenticated and user.has_capability("ledger.view")


def require_view(user) -> None:
    if not user.is_authenticated:
        raise Forbidden("auth.required", _("请先登录。"))
    if not can_view_ledger(user):
        raise Forbidden("permission.denied", _("您的角色无权查看账本。"))
