"""A case's (or a candidate's) inspections, joint-review answers and four checks, for its
关联记录 (registered in AppConfig.ready())."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import (
    CheckRecord,
    FourCheck,
    Inspection,
    InspectionStatus,
    ReviewAnswer,
    ReviewRequest,
)


def case_connections(case, candidate=None):
    from gongxin.cases.guards import Connection, states_of

    where = {"candidate": candidate} if candidate is not None else {"candidate__case": case}
    out = []
    inspections = list(Inspection.objects.filter(**where).select_related("cadre").order_by("id"))
    items = [(f"{i.cadre.name} · {i.get_kind_display()}", reverse("inspection:inspection_detail", args=[i.pk]))
             for i in inspections[:6]]
    out.append(Connection(_("考察"), len(inspections), items[0][1] if len(items) == 1 else reverse("inspection:inspection_list"),
                          states_of([i.status for i in inspections], dict(InspectionStatus.choices)), items, order=30))
    answers = list(ReviewRequest.objects.filter(**where).values_list("answer", flat=True))
    review_url = (reverse("inspection:review_candidate", args=[candidate.pk]) if candidate is not None
                  else reverse("inspection:review_overview"))
    out.append(Connection(_("联审答复"), len(answers), review_url, states_of(answers, dict(ReviewAnswer.choices)), order=40))
    done = CheckRecord.objects.filter(**where).count()
    if candidate is not None:
        total = len(FourCheck.choices)
        states = _("%(done)d / %(total)d 项已查核") % {"done": done, "total": total}
    else:
        states = _("已查核 %(done)d 项") % {"done": done}
    out.append(Connection(_("凡提四必"), done, review_url, states, order=45))
    return out
