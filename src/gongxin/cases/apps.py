from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "gongxin.cases"
    label = "cases"
