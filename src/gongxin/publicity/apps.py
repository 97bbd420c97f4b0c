from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "gongxin.publicity"
    label = "publicity"
    verbose_name = _("公示与任职")
    menu = [
        (_("公告与公示"), "publicity:notices", "publicity.manage", "publicity"),
        (_("公示反馈"), "publicity:feedback_queue", "publicity.manage", "publicity"),
        (_("任职与试用期"), "publicity:appointments", "publicity.manage", "publicity"),
        (_("工作日调整"), "publicity:workdays", "config.edit", "settings"),
    ]
    # core/links.py: the capability a page needs, so a link is shown only to who may open it
    link_capabilities = {"publicity:": "publicity.manage"}
    workbench_items = "gongxin.publicity.workbench.items"
    dashboard_figures = "gongxin.publicity.dashboard.figures"

    def ready(self):
        try:
            from gongxin.cases import guards
        except ImportError:  # the cases app is optional while it is being built
            return
        from . import actions
        from .connections import case_connections

        if hasattr(guards, "register_connections"):
            guards.register_connections(case_connections)

        guards.register_on_enter("publicity", actions.on_case_enters_publicity)
        guards.register_guard("appointment", actions.case_appointment_blockers)
        if hasattr(guards, "register_candidate_blockers"):
            guards.register_candidate_blockers(actions.candidate_feedback_blockers,
                                              many=actions.candidate_feedback_blockers_many)
            guards.register_candidate_blockers(actions.candidate_gate_blockers)
        # Every appointment of a case's candidate, whichever door, gets its one record here.
        guards.register_on_candidate_appointed(actions.on_candidate_appointed)
        if hasattr(guards, "register_dossier_subjects"):
            guards.register_dossier_subjects(_dossier_subjects)


def _dossier_subjects(case):
    """Ledger subjects of this app that belong in a case's dossier: its notices, the feedback
    on them and the appointments made from them."""
    from .models import Appointment, Feedback, Notice

    notices = list(Notice.objects.filter(case_id=case.pk).values_list("pk", flat=True))
    return ([("publicity.notice", str(pk)) for pk in notices]
            + [("publicity.feedback", str(pk))
               for pk in Feedback.objects.filter(notice__in=notices).values_list("pk", flat=True)]
            + [("publicity.appointment", str(pk))
               for pk in Appointment.objects.filter(case_id=case.pk).values_list("pk", flat=True)])
