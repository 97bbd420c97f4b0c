from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "gongxin.meetings"
    label = "meetings"
    verbose_name = _("推荐会议")
    # core/links.py: the capability a page needs, so a link is shown only to who may open it
    link_capabilities = {"meetings:": "meetings.manage"}
    menu = [(_("推荐会议"), "meetings:list", "meetings.manage", "meetings")]
    workbench_items = "gongxin.meetings.workbench.items"
    dashboard_figures = "gongxin.meetings.dashboard.figures"

    def ready(self):
        import logging

        from .access_log import drop_voting_requests

        for name in ("django.request", "django.server"):  # 4xx warnings name the path, and the log stamps a time
            logging.getLogger(name).addFilter(drop_voting_requests)
        try:
            from gongxin.cases import guards
        except ImportError:  # meetings work without the cases app
            return
        from .connections import case_connections
        from .integration import meeting_subjects, unpublished_meeting_blockers

        if hasattr(guards, "register_connections"):
            guards.register_connections(case_connections)

        guards.register_guard("candidates", unpublished_meeting_blockers)
        guards.register_dossier_subjects(meeting_subjects)
