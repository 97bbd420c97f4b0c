"""Constants and small date helpers shared by the people demo's planner and writer."""

import datetime as dt
import random

from ..models import (
    OrgUnitKind,
)
from . import data as D

TARGET_CADRES = 2000
GRADE_YEARS = 4

RANK_LEVEL = {"zhengchu": 50, "fuchu": 40, "zhengke": 30, "fuke": 20, D.MIDDLE_RANK: 10, D.STAFF_RANK: 10}
# Leadership ladder below a post's rank, used to draw a career.
LADDER = ["staff", "middle", "fuke", "zhengke", "fuchu", "zhengchu"]

CADRE_FIELDS = [
    "id_number", "name", "sex", "birth_date", "ethnicity", "native_place", "birthplace", "political_status",
    "party_joined", "work_started", "health", "professional_title", "expertise",
    "fulltime_education", "fulltime_degree", "fulltime_education_school", "fulltime_degree_school",
    "parttime_education", "parttime_degree", "parttime_education_school", "parttime_degree_school",
    "current_post_title", "rewards_and_punishments", "annual_assessment_text", "org_unit", "rank", "rank_since",
]
RESUME_FIELDS = ["cadre", "start", "end", "description", "kind", "place", "org_unit", "is_grassroots"]
RELATION_FIELDS = ["cadre", "sort_order", "kind", "title", "name", "birth", "political_status",
                   "work_unit_and_post", "related_cadre", "emigrated"]
HOLDING_FIELDS = ["cadre", "unit", "title", "start", "end", "probation_end", "note"]
UNIT_FIELDS = ["name", "kind", "parent", "short_name", "is_grassroots", "is_remote", "sort_order"]
POST_FIELDS = ["unit", "title", "rank", "kind", "headcount"]

POLITICAL_LABEL = {"cpc": "中共党员", "cpc_probationary": "中共预备党员", "cyl": "共青团员",
                   "democratic_party": "民主党派", "non_party": "无党派人士", "masses": "群众"}
GRADE_LABEL = {"excellent": "优秀", "competent": "称职", "basically_competent": "基本称职", "incompetent": "不称职"}


# ---- small helpers -------------------------------------------------------------------------

def _month(year: int, month: int) -> dt.date:
    return dt.date(year, max(1, min(12, month)), 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    m = day.year * 12 + day.month - 1 + months
    return dt.date(m // 12, m % 12 + 1, 1)


def _months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _weighted(rng: random.Random, table):
    return rng.choices([t[0] for t in table], weights=[t[-1] for t in table])[0]


def _full_unit_name(unit: dict) -> str:
    """How a resume names a unit: 中共惠民县委组织部, 惠民县财政局预算股, 惠民县李庄镇."""
    name = unit["name"]
    if unit["kind"] == OrgUnitKind.SECTION or unit["kind"] == OrgUnitKind.VILLAGE:
        return _full_unit_name(unit["parent_unit"]) + name[len(unit["parent_unit"]["name"]):]
    if name == D.COUNTY:
        return "惠民县"
    if name.startswith("县委"):
        return "中共惠民" + name
    if name.startswith("县"):
        return "惠民" + name
    if unit["kind"] == OrgUnitKind.TOWNSHIP:
        return "惠民县" + name
    return name


