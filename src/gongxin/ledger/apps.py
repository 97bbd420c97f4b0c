from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "gongxin.ledger"
    label = "ledger"
    verbose_name = "账本"
    menu = [("账本", "ledger:event_list", "ledger.view")]
