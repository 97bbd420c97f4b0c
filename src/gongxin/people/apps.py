from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "gongxin.people"
    label = "people"
    verbose_name = _("干部与单位")
    menu = [
        (_("干部名册"), "people:cadre_list", "people.view", "people"),
        (_("单位"), "people:unit_tree", "people.edit", "people"),
        (_("职位"), "people:post_list", "people.edit", "people"),
    ]
    # core/links.py: the capability a page needs, so a link is shown only to who may open it
    link_capabilities = {"people:": "people.view", "people:cadre_create": "people.edit", "people:cadre_edit": "people.edit",
                         "people:unit_": "people.edit", "people:post_": "people.edit", "people:post_pick": "people.view"}
