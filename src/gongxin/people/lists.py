"""The cadre list under the list convention (core/lists): its columns, sorts and export."""

from functools import cache

from django.db import connection
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import label_of
from gongxin.core.lists.columns import today as local_today

from .idnumber import mask
from .models import Cadre
from .queries import _collate_c


def _birth(row):
    b = row.birth_date
    if b is None:
        return ""
    today = local_today()
    age = today.year - b.year - ((today.month, today.day) < (b.month, b.day))
    return f"{b:%Y.%m}（{age}）"


def _month(name):
    def get(row):
        value = getattr(row, name)
        return f"{value:%Y.%m}" if value else ""
    return get


def _order(qs, order, request):
    if request.GET.get("q") and connection.vendor == "postgresql":
        # A search matches few rows; ordering by the "C" collation, which the name_pinyin index
        # cannot serve, makes PostgreSQL fetch the matches and sort them instead of walking the
        # whole index hoping to meet 50 of them early (queries.cadres_for_user).
        return qs.order_by(*(_collate_c(o) for o in order))
    return qs.order_by(*order)


def _can_export(user):
    from .permissions import can_export_cadres

    return can_export_cadres(user)


def _on_export(request, fmt):
    from .access import log_access
    from .models import AccessLog

    query = request.GET.copy()
    query.pop("export", None)
    log_access(request, what=AccessLog.What.EXPORT, detail=f"cadre list {fmt} {query.urlencode()}")


@cache
def cadre_list_spec() -> ListSpec:
    return ListSpec(
        name="people.cadres", table_id="cadre-table", default_sort="name", models=("people.Cadre", "people.OrgUnit"),
        export_name="cadres", values=(
            "name", "sex", "birth_date", "ethnicity", "political_status", "fulltime_education", "current_post_title",
            "id_number", "native_place", "work_started", "party_joined", "professional_title", "org_unit__name",
            "rank__name"), can_export=_can_export, on_export=_on_export, order=_order,
        empty=_("没有符合条件的干部。可以换个姓名、拼音或放宽筛选条件。"),
        columns=[
            Column("name", _("姓名"), lambda r: r.name, link=link_to("people:cadre_detail"), sort=("name_pinyin",)),
            Column("sex", _("性别"), label_of(Cadre, "sex")),
            Column("age", _("出生年月"), _birth, sort=("birth_date",)),
            Column("ethnicity", _("民族"), lambda r: r.ethnicity),
            Column("political_status", _("政治面貌"), label_of(Cadre, "political_status")),
            Column("education", _("学历"), label_of(Cadre, "fulltime_education")),
            Column("unit", _("工作单位"), lambda r: r.org_unit__name, sort=("org_unit__path", "name_pinyin")),
            Column("post", _("现任职务"), lambda r: r.current_post_title),
            Column("rank", _("职级"), lambda r: r.rank__name or "", sort=("-rank__level", "name_pinyin")),
            Column("id_number", _("身份证号码"), lambda r: mask(r.id_number), css="mono"),
            Column("native_place", _("籍贯"), lambda r: r.native_place, default=False),
            Column("work", _("参加工作时间"), _month("work_started"), sort=("work_started",), default=False),
            Column("party_joined", _("入党时间"), _month("party_joined"), default=False),
            Column("title", _("专业技术职务"), lambda r: r.professional_title, default=False),
        ],
    )
