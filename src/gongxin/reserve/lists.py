"""The reserve pool list under the list convention (core/lists)."""

from functools import cache

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import label_of
from gongxin.core.lists.filters import choice_field, narrow, search_field
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


# ---- training classes (中青班) ----------------------------------------------------------------

class ClassFilterForm(forms.Form):
    q = search_field(_("班次名称"))
    state = choice_field(_("状态"), [("open", _("在办")), ("graduated", _("已结业"))])


def filter_classes(qs, form):
    return narrow(qs, form, {"q": "name__contains", "state": lambda qs, v: qs.filter(graduated_on__isnull=v == "open")})


@cache
def class_list_spec() -> ListSpec:
    return ListSpec(
        name="reserve.classes", table_id="classes", default_sort="-starts_on",
        models=("reserve.TrainingClass", "reserve.Trainee"), export_name="training-classes", empty=_("还没有班次。"),
        columns=[
            Column("name", _("班次"), lambda c: c.name, link=link_to("reserve:class_detail"), sort=("name",)),
            Column("starts_on", _("开班"), lambda c: c.starts_on, sort=("starts_on",)),
            Column("ends_on", _("结业"), lambda c: c.ends_on, sort=("ends_on",)),
            Column("n", _("学员"), lambda c: c.n, sort=("n",), css="num"),
            Column("graduates", _("结业人数"), lambda c: c.graduates, sort=("graduates",), css="num"),
            Column("state", _("状态"), lambda c: _("已结业") if c.graduated_on else _("在办")),
        ])


# ---- the pool's review (复核): who no longer meets R24's bars --------------------------------------

class ReviewFilterForm(forms.Form):
    q = search_field(_("姓名或单位"))
    tier = choice_field(_("层次"), ReserveCadre._meta.get_field("tier").choices)


def _reasons(r):
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((x,) for x in r.reasons)))


@cache
def review_list_spec() -> ListSpec:
    return ListSpec(
        name="reserve.review", table_id="review-table", default_sort="unit",
        models=("reserve.ReserveCadre", "people.Cadre"), export_name="reserve-review",
        empty=_("在库后备干部均符合条件"),
        columns=[
            Column("name", _("姓名"), lambda r: r.cadre.name, link=link_to("reserve:detail"), sort=("cadre__name_pinyin",)),
            Column("unit", _("工作单位"), lambda r: r.cadre.org_unit.name, sort=("cadre__org_unit__path", "cadre__name_pinyin")),
            Column("tier", _("层级"), label_of(ReserveCadre, "tier"), sort=("tier",)),
            Column("reasons", _("不符合的条件"), _reasons, html=True, export=lambda r: "；".join(str(x) for x in r.reasons)),
        ])
