from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "gongxin.ledger"
    label = "ledger"
    verbose_name = _("账本")
    menu = [(_("账本"), "ledger:event_list", "ledger.view", "ledger")]

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
