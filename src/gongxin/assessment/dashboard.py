"""The assessment app's figures on the statistics dashboard (``dashboard_figures`` hook): the
year's grades, and promotions of cadres with long service in hard postings (the source's 8/13/5),
computed from post holdings."""

import datetime as dt

from django.apps import apps
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongxin.people.models import AnnualGrade, Grade, OrgUnit, OrgUnitKind, PostKind
from gongxin.workbench.figures import Bar, Cell, FigureSpec, Records, Scope, cadre_cell, labelled

from . import queries

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
# The source: "8 comrades long at work in townships promoted to important leading posts, 13 young
# comrades long at work at the grassroots front line promoted, 5 comrades long at work in
# townships selected into county departments", in its paragraph on preferring cadres who worked
# in poor, remote townships. Each part asks for long service in hard postings (years from post
# holdings in units marked 偏远或困难地区 or below one, at least R23's ``hard_posting_years``), and
# each appointment is counted once, in the first part it fits: moved from a township to a county
# department or organ; else under 35 on the day of appointment; else to a leadership post.

LONG, YOUNG, TO_COUNTY = "long", "young", "to_county"


def _threshold_years(scope: Scope) -> int:
    from gongxin.cases.rules import rule_params

    try:
        return int(rule_params("R23", variant="difficulty", on=min(scope.end, dt.date.today())).get("hard_posting_years") or 5)
    except Exception:  # no rule set in force yet: the regulation's default
        return 5


def _paths(*kinds) -> tuple[str, ...]:
    """The subtrees of the units of these kinds (the county itself, the tree's root, left out)."""
    return tuple(OrgUnit.objects.filter(kind__in=kinds, parent__isnull=False).values_list("path", flat=True))


def part_of(appointment: dict, holdings: list[dict], *, years: int, hard: tuple, towns: tuple,
            county: tuple) -> str | None:
    """Which part an appointment counts in (or None): ``appointment`` with start, holding_id,
    birth date, the post's unit path and kind; ``holdings`` the cadre's, as
    :func:`queries.holdings_by_cadre` gives them."""
    on = appointment["start"]
    if not hard or queries.hard_days(holdings, on=on, paths=hard, skip=appointment["holding_id"]) < years * 365.25:
        return None
    before = [h for h in holdings if h["pk"] != appointment["holding_id"] and h["start"] < on]
    previous = max(before, key=lambda h: (h["start"], h["pk"]), default=None)
    if previous and towns and previous["path"].startswith(towns) and county \
            and appointment["path"].startswith(county):
        return TO_COUNTY
    birth = appointment["birth"]
    if on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day)) < YOUNG_AGE:
        return YOUNG
    if appointment["post_kind"] == PostKind.LEADERSHIP:
        return LONG
    return None


def classify(scope: Scope) -> dict[str, list[int]]:
    """{part: [appointment ids]}: a handful of queries whatever the number of appointments."""
    from gongxin.publicity.dashboard import appointed

    appointments = list(appointed(scope).values("pk", "cadre_id", "holding_id", "start", "cadre__birth_date",
                                                "post__org_unit__path", "post__kind"))
    holdings = queries.holdings_by_cadre({a["cadre_id"] for a in appointments})
    years, hard = _threshold_years(scope), queries.hard_paths()
    towns, county = _paths(OrgUnitKind.TOWNSHIP), _paths(*COUNTY_KINDS)
    out: dict[str, list[int]] = {LONG: [], YOUNG: [], TO_COUNTY: []}
    for a in appointments:
        part = part_of({"start": a["start"], "holding_id": a["holding_id"], "birth": a["cadre__birth_date"],
                        "path": a["post__org_unit__path"], "post_kind": a["post__kind"]},
                       holdings.get(a["cadre_id"], []), years=years, hard=hard, towns=towns, county=county)
        if part:
            out[part].append(a["pk"])
    return out


def _labels(scope: Scope) -> dict[str, str]:
    n = _threshold_years(scope)
    return {LONG: _("在艰苦乡镇累计工作 %(n)s 年以上的干部提拔到领导岗位") % {"n": n},
            YOUNG: _("在艰苦乡镇累计工作 %(n)s 年以上的 %(age)s 岁以下年轻干部提拔") % {"n": n, "age": YOUNG_AGE},
            TO_COUNTY: _("在艰苦乡镇累计工作 %(n)s 年以上的乡镇干部进入县直部门") % {"n": n}}


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
            note=_("本年度任职的干部中，在艰苦边远乡镇（单位标为“偏远或困难地区”，含其下属单位）累计工作年限达到"
                   "规则 R23 要求的：乡镇干部进入县直部门、35 岁以下年轻干部提拔、其他干部提拔到领导岗位，"
                   "每人只计入一项（按此顺序）。年限由任职记录计算。")))
    return out
