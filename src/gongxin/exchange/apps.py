from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "gongxin.exchange"
    label = "exchange"
    verbose_name = _("数据交换")
    menu = [
        (_("导入导出"), "exchange:home", "people.edit", "people"),
    ]
    cadre_sections = "gongxin.exchange.cadre_page.cadre_sections"
