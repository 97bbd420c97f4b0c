from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "gongxin.inspection"
    label = "inspection"
