from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "gongxin.meetings"
    label = "meetings"
    verbose_name = _("推荐会议")
    menu = [(_("推荐会议"), "meetings:list", "meetings.manage")]

    def ready(self):
        try:
            from gongxin.cases.guards import register_guard
        except ImportError:  # meetings work without the cases app
            return
        from .integration import unpublished_meeting_blockers

        register_guard("candidates", unpublished_meeting_blockers)
