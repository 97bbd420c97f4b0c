from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "gongxin.publicity"
    label = "publicity"
