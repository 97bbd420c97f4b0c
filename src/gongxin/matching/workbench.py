"""The matching app's lines on the workbench (``workbench_items`` hook): rankings to submit
(staff and section heads, due by the round's deadline) and rounds past their deadline to match."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from gongxin.workbench.items import Item, line

from . import permissions
from .models import RoundStatus


def items(user, today: dt.date) -> list[Item]:
    out: list[Item | None] = []
    staff = permissions.my_staff_entries(user).filter(round__status=RoundStatus.RANKING, ranked_at__isnull=True)
    out.append(line(staff.select_related("round"), today=today, key="matching.rank_staff", title=_("双向选择：填报科室志愿"),
                    list_url=reverse("matching:round_list"), deadline="round__ranking_deadline",
                    object_url=lambda e: reverse("matching:rank_staff", args=[e.round_id]),
                    why=lambda e: e.round.title, action=_("填报志愿"), fields=("round__title",)))
    sections = permissions.my_sections(user).filter(round__status=RoundStatus.RANKING, ranked_at__isnull=True)
    out.append(line(sections.select_related("round", "section"), today=today, key="matching.rank_section",
                    title=_("双向选择：科室对人员排序"), list_url=reverse("matching:round_list"),
                    deadline="round__ranking_deadline",
                    object_url=lambda s: reverse("matching:rank_section", args=[s.round_id, s.pk]),
                    why=lambda s: _("%(section)s · %(round)s") % {"section": s.section.name, "round": s.round},
                    action=_("排序"), fields=("section__name", "round__title")))
    if permissions.can_manage_matching(user):
        due = permissions.rounds_managed_by(user).filter(status=RoundStatus.RANKING, ranking_deadline__lt=today)
        out.append(line(due, today=today, key="matching.close", title=_("双向选择排序已截止，待匹配"),
                        list_url=reverse("matching:round_list"), deadline="ranking_deadline",
                        object_url=lambda r: reverse("matching:round_detail", args=[r.pk]), why=str,
                        action=_("进行匹配"), fields=("title",)))
    return [i for i in out if i is not None]
