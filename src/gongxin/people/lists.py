"""The cadre list under the list convention (core/lists): its columns, sorts and export."""

from functools import cache

from django import forms
from django.db import connection
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import label_of
from gongxin.core.lists.columns import today as local_today

from .idnumber import mask
from .models import Cadre, OrgUnit, Post
from .pickers import UnitTreePicker
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
        export_name="cadres", keys_first=True, values=(
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


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("单位名称"), required=False, max_length=50, widget=forms.TextInput(attrs={"type": "search"}))


class PostFilterForm(forms.Form):
    q = forms.CharField(label=_("职位名称"), required=False, max_length=50, widget=forms.TextInput(attrs={"type": "search"}))
    unit = forms.ModelChoiceField(label=_("单位（含下级）"), queryset=OrgUnit.objects.none(), required=False,
                                  empty_label=_("全部"), widget=UnitTreePicker())
    vacant = forms.BooleanField(label=_("只看有空缺的"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


def _unit_name(u):
    return format_html('<span class="tree-indent" style="padding-left:{}em">{}{}</span>', u.depth,
                       "└ " if u.depth else "", u.name)


def _cadre_count(u):
    return format_html('<a href="{}?unit={}">{}</a>', _cadre_list_url(), u.pk, u.cadre_count)


def _posts_link(u):
    return format_html('<a href="{}?unit={}">{}</a>', _post_list_url(), u.pk, _("职位"))


@cache
def _cadre_list_url():
    from django.urls import reverse

    return reverse("people:cadre_list")


@cache
def _post_list_url():
    from django.urls import reverse

    return reverse("people:post_list")


@cache
def unit_list_spec() -> ListSpec:
    return ListSpec(
        name="people.units", default_sort="tree", models=("people.OrgUnit", "people.Cadre"), export_name="units",
        page_size=200, empty=_("没有符合条件的单位。"),
        columns=[
            Column("name", _("单位名称"), _unit_name, html=True, export=lambda u: u.name, sort=("path",)),
            Column("kind", _("类型"), label_of(OrgUnit, "kind"), sort=("kind", "path")),
            Column("cadres", _("在职干部"), _cadre_count, html=True, export=lambda u: u.cadre_count, css="num",
                   sort=("cadre_count",)),
            Column("posts", _("职位"), _posts_link, html=True, export=lambda u: ""),
        ], sorts={"tree": ("path",)})


def _vacancies(p):
    return format_html('<span class="badge warn">{}</span>', p.vacancies) if p.vacancies > 0 else "0"


def _post_state(p):
    parts = []
    if p.vacancies > 0:
        parts.append(format_html('<span class="badge warn">{}</span>', _("空缺")))
    if p.in_case:
        parts.append(format_html('<a class="badge" href="/cases/{}/">{}</a>', p.case_id, _("选任中")))
    if p.vacancies <= 0 and not p.in_case:
        parts.append(format_html('<span class="badge ok">{}</span>', _("已满")))
    return format_html(" ".join(["{}"] * len(parts)), *parts)


def _post_state_text(p):
    return "、".join(str(x) for x in ((_("空缺") if p.vacancies > 0 else None), (_("选任中") if p.in_case else None),
                                     (_("已满") if p.vacancies <= 0 and not p.in_case else None)) if x)


@cache
def post_list_spec() -> ListSpec:
    return ListSpec(
        name="people.posts", default_sort="unit", models=("people.Post", "people.OrgUnit"), export_name="posts",
        empty=_("无职位"),
        columns=[
            Column("unit", _("单位"), lambda p: p.org_unit.name, sort=("org_unit__path", "-rank__level", "title")),
            Column("title", _("职位名称"), lambda p: p.title, sort=("title",), link=link_to("cases:post_eligible")),
            Column("rank", _("职级"), lambda p: p.rank.name if p.rank_id else "", sort=("rank__level",)),
            Column("kind", _("类别"), label_of(Post, "kind")),
            Column("headcount", _("职数"), lambda p: p.headcount, css="num"),
            Column("filled", _("在任"), lambda p: p.filled, css="num"),
            Column("in_case", _("选任中"), lambda p: p.in_case, css="num"),
            Column("vacancies", _("空缺"), _vacancies, html=True, export=lambda p: p.vacancies, css="num",
                   sort=("vacancies",)),
            Column("state", _("状态"), _post_state, html=True, export=_post_state_text),
        ])
