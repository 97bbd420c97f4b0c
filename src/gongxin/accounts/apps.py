from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongxin.accounts"
    label = "accounts"
    verbose_name = _("账号")
    menu = [(_("账号管理"), "accounts:user_list", "accounts.manage", "settings")]

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .models import User
        from .scope import forget_scope_units

        m2m_changed.connect(forget_scope_units, sender=User.org_units.through, dispatch_uid="gx_scope_units_m2m")
        post_save.connect(forget_scope_units, sender="people.OrgUnit", dispatch_uid="gx_scope_units_save")
        post_delete.connect(forget_scope_units, sender="people.OrgUnit", dispatch_uid="gx_scope_units_delete")
