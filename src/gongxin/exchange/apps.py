from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "gongxin.exchange"
    label = "exchange"
    verbose_name = _("数据交换")
    menu = [
        (_("导入导出"), "exchange:home", "people.edit", "people"),
    ]
    # core/links.py: the capability a page needs, so a link is shown only to who may open it
    link_capabilities = {"exchange:": "people.edit", "exchange:cadre_": "people.view"}
    cadre_sections = "gongxin.exchange.cadre_page.cadre_sections"
