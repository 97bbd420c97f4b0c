from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "gongxin.meetings"
    label = "meetings"
    verbose_name = _("推荐会议")
    menu = [(_("推荐会议"), "meetings:list", "meetings.manage")]
