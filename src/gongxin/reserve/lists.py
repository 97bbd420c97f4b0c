"""The reserve pool list under the list convention (core/lists)."""

from functools import cache

from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import label_of
from gongxin.people.models import Cadre

from .models import ReserveCadre


def _month(row):
    return f"{row.cadre__birth_date:%Y.%m}" if row.cadre__birth_date else ""


def _unit_post(row):
    return f"{row.cadre__org_unit__name} {row.cadre__current_post_title}".strip()


_status = label_of(ReserveCadre, "status")
_exit = label_of(ReserveCadre, "exit_reason")


class _Status:
    """在库, or 已出库（原因）."""

    def __call__(self, row):
        return self.bind()(row)

    def bind(self):
        status, exit_ = _status.bind(), _exit.bind()

        def get(row):
            text = status(row)
            return f"{text}（{exit_(row)}）" if row.exit_reason else text

        return get


def _on_export(request, fmt):
    from gongxin.people.access import log_access
    from gongxin.people.models import AccessLog

    log_access(request, what=AccessLog.What.EXPORT, detail=f"reserve pool {fmt}")


@cache
def pool_list_spec() -> ListSpec:
    return ListSpec(
        name="reserve.pool", table_id="pool-table", default_sort="tier", models=(
            "reserve.ReserveCadre", "people.Cadre", "people.OrgUnit"),
        export_name="reserve-pool", on_export=_on_export, empty=_("没有符合条件的后备干部。"),
        values=("cadre__name", "cadre__sex", "cadre__birth_date", "cadre__fulltime_education", "cadre__org_unit__name",
                "cadre__current_post_title", "tier", "target_rank__name", "source", "entered_on", "ready_soon",
                "status", "exit_reason"),
        columns=[
            Column("name", _("姓名"), lambda r: r.cadre__name, link=link_to("reserve:detail"),
                   sort=("cadre__name_pinyin",)),
            Column("sex", _("性别"), label_of(Cadre, "sex", attr="cadre__sex")),
            Column("birth", _("出生年月"), _month, sort=("cadre__birth_date",)),
            Column("education", _("全日制学历"), label_of(Cadre, "fulltime_education", attr="cadre__fulltime_education")),
            Column("unit", _("工作单位及职务"), _unit_post),
            Column("tier", _("层次"), label_of(ReserveCadre, "tier"), sort=("tier",)),
            Column("target_rank", _("拟培养职级"), lambda r: r.target_rank__name),
            Column("source", _("推荐来源"), label_of(ReserveCadre, "source")),
            Column("entered_on", _("入库日期"), lambda r: r.entered_on, sort=("entered_on",)),
            Column("ready_soon", _("近期可提拔"), lambda r: r.ready_soon),
            Column("status", _("状态"), _Status()),
        ],
    )
