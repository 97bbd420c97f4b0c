from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "gongxin.people"
    label = "people"
    verbose_name = "干部与单位"
    menu = [
        ("干部名册", "people:cadre_list", "people.view"),
        ("单位", "people:unit_tree", "people.edit"),
        ("职位", "people:post_list", "people.edit"),
    ]
