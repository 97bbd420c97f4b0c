from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "gongxin.meetings"
    label = "meetings"
