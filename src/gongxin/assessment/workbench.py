"""The assessment app's lines on the workbench (``workbench_items`` hook): accountability cases
under investigation (they block promotion until decided) and assessment years not yet graded."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from gongxin.workbench.items import Item, line

from . import permissions
from .models import AccountabilityStatus, AssessmentYear, YearStatus


def items(user, today: dt.date) -> list[Item]:
    if not permissions.can_manage_assessment(user):
        return []
    out: list[Item | None] = []
    open_cases = permissions.accountabilities_for_user(user).filter(status=AccountabilityStatus.OPEN)
    out.append(line(open_cases, today=today, key="assessment.accountability", title=_("问责调查中，待作出决定"),
                    list_url=reverse("assessment:accountability_list"), deadline=None,
                    object_url=lambda a: reverse("assessment:accountability_detail", args=[a.pk]),
                    why=lambda a: _("%(name)s，%(date)s 立案；决定前不能提拔") % {
                        "name": a.cadre.name, "date": a.opened_on.isoformat()},
                    action=_("作出决定"), fields=("opened_on", "cadre__name")))
    years = AssessmentYear.objects.exclude(status=YearStatus.GRADED).filter(year__lt=today.year)
    out.append(line(years, today=today, key="assessment.years", title=_("年度考核待确定等次"),
                    list_url=reverse("assessment:year_list"), deadline=None,
                    object_url=lambda y: reverse("assessment:year_detail", args=[y.year]),
                    why=lambda y: _("%(year)s 年度：%(status)s") % {"year": y.year, "status": y.get_status_display()},
                    action=_("确定等次"), fields=("year", "status")))
    return [i for i in out if i is not None]
