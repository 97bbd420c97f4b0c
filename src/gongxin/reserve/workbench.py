"""The reserve's lines on the workbench (``workbench_items`` hook): training classes past their
end date to graduate."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from gongxin.workbench.items import Item, line

from . import permissions
from .models import TrainingClass


def items(user, today: dt.date) -> list[Item]:
    if not permissions.can_manage_reserve(user):
        return []
    ended = TrainingClass.objects.filter(graduated_on__isnull=True, ends_on__lte=today)
    found = line(ended, today=today, key="reserve.graduate", title=_("中青班已到结业日期，待结业鉴定"),
                 list_url=reverse("reserve:class_list"), deadline="ends_on",
                 object_url=lambda c: reverse("reserve:class_detail", args=[c.pk]),
                 why=lambda c: _("%(name)s，%(date)s 结业") % {"name": c.name, "date": c.ends_on.isoformat()},
                 action=_("结业鉴定"), fields=("name", "ends_on"))
    return [found] if found else []
