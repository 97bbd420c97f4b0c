"""The assessment app's figures on the statistics dashboard (``dashboard_figures`` hook): the
year's grades, and promotions of cadres from hard postings (the source's 8/13/5: long-serving
cadres of hard postings promoted, young cadres promoted after hard postings, township cadres
moved to county departments), computed from post holdings."""

import datetime as dt

from django.apps import apps
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongxin.people.models import AnnualGrade, Grade, OrgUnitKind, PostHolding
from gongxin.workbench.figures import Bar, Cell, FigureSpec, Records, Scope, cadre_cell, labelled

YOUNG_AGE = 35  # 年轻干部: under 35 on the day of appointment
COUNTY_KINDS = {OrgUnitKind.DEPARTMENT, OrgUnitKind.ORGAN}


# ---- grades ------------------------------------------------------------------------------------

def graded(scope: Scope):
    return AnnualGrade.objects.filter(scope.units("cadre__org_unit"), year=scope.year)


def _grades(scope: Scope) -> list[Bar]:
    return labelled(dict(graded(scope).order_by().values_list("grade").annotate(n=Count("pk"))), Grade)


def _grade_row(g: AnnualGrade) -> list[Cell]:
    return [cadre_cell(g.cadre), Cell(g.cadre.org_unit.name if g.cadre.org_unit_id else ""), Cell(str(g.year)),
            Cell(g.get_grade_display())]


def _grade_records(scope: Scope, part: str) -> Records:
    qs = graded(scope).select_related("cadre__org_unit").order_by("cadre__org_unit__path", "cadre__name_pinyin", "pk")
    if part:
        qs = qs.filter(grade=part)
    return Records([gettext_lazy("姓名"), gettext_lazy("所在单位"), gettext_lazy("年度"), gettext_lazy("等次")], qs, _grade_row)


# ---- promotions from hard postings -------------------------------------------------------------

LONG, YOUNG, TO_COUNTY = "long", "young", "to_county"


def _threshold_years(scope: Scope) -> int:
    from gongxin.cases.rules import rule_params

    try:
        return int(rule_params("R23", variant="difficulty", on=min(scope.end, dt.date.today())).get("hard_posting_years") or 5)
    except Exception:  # no rule set in force yet: the regulation's default
        return 5


def classify(scope: Scope) -> dict[str, list[int]]:
    """{part: [appointment ids]}: three queries whatever the number of appointments."""
    from gongxin.publicity.dashboard import appointed

    appointments = list(appointed(scope).values("pk", "cadre_id", "holding_id", "start", "cadre__birth_date",
                                                "post__org_unit__kind"))
    holdings: dict[int, list[dict]] = {}
    for h in PostHolding.objects.filter(cadre_id__in={a["cadre_id"] for a in appointments}).values(
            "pk", "cadre_id", "start", "end", "post__org_unit__kind", "post__org_unit__is_remote"):
        holdings.setdefault(h["cadre_id"], []).append(h)
    years = _threshold_years(scope)
    out: dict[str, list[int]] = {LONG: [], YOUNG: [], TO_COUNTY: []}
    for a in appointments:
        on = a["start"]
        before = [h for h in holdings.get(a["cadre_id"], []) if h["pk"] != a["holding_id"] and h["start"] < on]
        hard_days = sum((min(h["end"] or on, on) - h["start"]).days for h in before
                        if h["post__org_unit__is_remote"] and min(h["end"] or on, on) > h["start"])
        birth = a["cadre__birth_date"]
        age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
        if hard_days >= years * 365.25:
            out[LONG].append(a["pk"])
        if hard_days > 0 and age < YOUNG_AGE:
            out[YOUNG].append(a["pk"])
        previous = max(before, key=lambda h: h["start"], default=None)
        if (previous and previous["post__org_unit__kind"] == OrgUnitKind.TOWNSHIP
                and a["post__org_unit__kind"] in COUNTY_KINDS):
            out[TO_COUNTY].append(a["pk"])
    return out


def _labels(scope: Scope) -> dict[str, str]:
    return {LONG: _("艰苦岗位累计 %(n)s 年以上的干部提拔") % {"n": _threshold_years(scope)},
            YOUNG: _("%(age)s 岁以下在艰苦岗位历练过的年轻干部提拔") % {"age": YOUNG_AGE},
            TO_COUNTY: _("乡镇干部进入县直部门")}


def _hard(scope: Scope) -> list[Bar]:
    parts = classify(scope)
    return [Bar(label, len(parts[key]), key) for key, label in _labels(scope).items()]


def _hard_records(scope: Scope, part: str) -> Records:
    from gongxin.publicity.dashboard import APPOINTMENT_COLUMNS, appointed, appointment_row

    ids = classify(scope).get(part) if part else sorted({i for ids in classify(scope).values() for i in ids})
    qs = appointed(scope).filter(pk__in=ids or []).select_related("cadre", "post", "org_unit").order_by("start", "pk")
    return Records(APPOINTMENT_COLUMNS, qs, appointment_row)


def figures() -> list[FigureSpec]:
    out = [FigureSpec("grades", _("年度考核等次"), _grades, _grade_records, order=90,
                      note=_("本年度确定的年度考核等次。"))]
    if apps.is_installed("gongxin.publicity"):  # promotions are recorded by the publicity app
        out.append(FigureSpec(
            "hard_postings", _("艰苦岗位干部提拔"), _hard, _hard_records, order=25,
            note=_("本年度任职的干部中：艰苦边远岗位（单位标为“偏远或困难地区”）累计年限达到规则 R23 的要求、"
                   "年轻干部在艰苦岗位历练后提拔、乡镇干部进入县直部门。一人可同时计入多项。")))
    return out
