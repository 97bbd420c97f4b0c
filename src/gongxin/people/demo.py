"""The demo county's people: 惠民县's unit tree, posts and about 2,000 cadres with resumes,
relations, post holdings and annual grades (DOMAIN §7).

Two halves:

* ``plan(seed, today)`` is pure Python: it draws the whole county from ``random.Random``
  streams and returns plain rows (units and posts referred to by name). Same seed, same rows.
* ``build(ctx)`` writes the plan. **This is a bulk import path, not a sequence of actions.**
  The ~40 main units go through ``actions.create_org_unit`` (one ledger event each, as any
  unit would); everything else — villages, sections, posts, cadres, resume entries,
  relations, post holdings, annual grades, some 35,000 rows — is written with
  ``bulk_create`` and recorded by ONE ledger event, ``people.demo.imported``, whose payload
  carries the row counts and the SHA-256 of the imported rows' canonical JSON
  (``rows_digest``). Calling ``create_cadre``/``add_resume_entry``… per row would write
  tens of thousands of events and take minutes on a small machine; one import event keeps
  the ledger honest (anyone can recompute the digest from the database with
  ``database_rows_digest()``) and the build fast. The import runs in one transaction with
  its event, like any action.
"""

import datetime as dt
import hashlib
import random
import time
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError
from gongxin.ledger.canonical import canonical_json
from gongxin.ledger.recording import record_event

from . import actions, idnumber
from . import demo_data as D
from .models import (
    AnnualGrade,
    Cadre,
    OrgUnit,
    OrgUnitKind,
    Post,
    PostHolding,
    PostKind,
    Rank,
    Relation,
    ResumeEntry,
)
from .names import search_keys

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


# ---- the plan --------------------------------------------------------------------------------

class _Planner:
    def __init__(self, seed, today: dt.date, cadres: int = TARGET_CADRES):
        self.seed = seed
        self.today = today
        self.target_cadres = cadres
        self.rng = random.Random(f"{seed}:people")
        self.units: list[dict] = []
        self.unit_by_name: dict[str, dict] = {}
        self.posts: list[dict] = []
        self.post_by_key: dict[tuple[str, str], dict] = {}
        self.cadres: list[dict] = []
        self.resume: list[dict] = []
        self.relations: list[dict] = []
        self.holdings: list[dict] = []
        self.grades: list[dict] = []
        self.used_ids: set[str] = set()
        self.intervals: dict[tuple[str, str], list[tuple[dt.date, dt.date]]] = defaultdict(list)
        self.extra: dict = {}

    # -- units and posts ---------------------------------------------------------------
    def unit(self, name, kind, parent=None, short_name="", grassroots=False, remote=False):
        unit = {"name": name, "kind": kind, "parent": parent["name"] if parent else None, "short_name": short_name,
                "is_grassroots": grassroots, "is_remote": remote, "sort_order": len(self.units),
                "parent_unit": parent, "depth": parent["depth"] + 1 if parent else 0}
        self.units.append(unit)
        self.unit_by_name[name] = unit
        return unit

    def post(self, unit, title, rank, kind=PostKind.LEADERSHIP, headcount=1):
        post = {"unit": unit["name"], "title": title, "rank": rank, "kind": kind, "headcount": headcount,
                "unit_ref": unit, "filled": 0}
        self.posts.append(post)
        self.post_by_key[(unit["name"], title)] = post
        return post

    def build_tree(self):
        root = self.unit(D.COUNTY, OrgUnitKind.ORGAN, short_name="惠民")
        for title, rank, n in D.COUNTY_LEADER_POSTS:
            self.post(root, title, rank, headcount=n)
        groups = [(OrgUnitKind.ORGAN, D.ORGANS), (OrgUnitKind.DEPARTMENT, D.DEPARTMENTS),
                  (OrgUnitKind.INSTITUTION, D.INSTITUTIONS)]
        for kind, table in groups:
            for name, short, sections in table:
                unit = self.unit(name, kind, root, short)
                default = {OrgUnitKind.ORGAN: [("主任", "zhengke", 1), ("副主任", "fuke", 2)],
                           OrgUnitKind.DEPARTMENT: D.DEPARTMENT_POSTS,
                           OrgUnitKind.INSTITUTION: D.INSTITUTION_POSTS}[kind]
                for title, rank, n in D.ORGAN_POSTS.get(name, default):
                    self.post(unit, title, rank, headcount=n)
                for section in sections:
                    self.section(unit, name + section, section)
        for town, is_street, villages in D.TOWNSHIPS:
            unit = self.unit(town, OrgUnitKind.TOWNSHIP, root, town[:-2] if is_street else town[:-1],
                             grassroots=True, remote=town in D.REMOTE_TOWNSHIPS)
            for title, rank, n in (D.STREET_POSTS if is_street else D.TOWN_POSTS):
                self.post(unit, title, rank, headcount=n)
            for section in D.TOWNSHIP_SECTIONS:
                self.section(unit, town + section, section)
            for village in villages:
                self.unit(town + village, OrgUnitKind.VILLAGE, unit, village, grassroots=True)

    def section(self, unit, name, short):
        section = self.unit(name, OrgUnitKind.SECTION, unit, short, grassroots=unit["is_grassroots"])
        head = {"科": "科长", "股": "股长", "室": "主任", "办": "主任", "部": "部长", "处": "主任",
                "队": "大队长"}.get(short[-1], "主任")
        if short.endswith("心"):
            head = "主任"
        self.post(section, head, D.MIDDLE_RANK, PostKind.MIDDLE)
        if not unit["is_grassroots"]:
            self.post(section, "副" + head, D.MIDDLE_RANK, PostKind.MIDDLE)
        return section

    # -- people ---------------------------------------------------------------------------
    def surname(self):
        return _weighted(self.rng, D.SURNAME_WEIGHTS)

    def given(self, sex, birth_year):
        era = "old" if birth_year < 1975 else "mid" if birth_year < 1989 else "young"
        pools = D.GIVEN[era][sex]
        if self.rng.random() < D.SINGLE_GIVEN_SHARE[era]:
            return self.rng.choice(pools["single"])
        first = self.rng.choice(pools["first"])
        second = self.rng.choice(pools["second"])
        while second == first:
            second = self.rng.choice(pools["second"])
        return first + second

    def person_name(self, sex, birth_year, surname=None):
        return (surname or self.surname()) + self.given(sex, birth_year)

    def birth_in(self, year):
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def id_number(self, region, birth, sex):
        while True:
            number = idnumber.make(region, birth, sex, self.rng)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def education(self, birth_year, level_index):
        r = self.rng.random()
        if birth_year < 1972:
            table = [("senior", .05), ("secondary_vocational", .27), ("associate", .35), ("bachelor", .33)]
        elif birth_year < 1986:
            table = [("secondary_vocational", .06), ("associate", .22), ("bachelor", .63), ("master", .09)]
        else:
            table = [("associate", .08), ("bachelor", .72), ("master", .19), ("doctor", .01)]
        if level_index >= 3:  # leaders lean to the higher levels
            table = [(k, w * (1.6 if k in ("bachelor", "master") else 1)) for k, w in table]
        total = sum(w for _, w in table)
        acc = 0
        for level, w in table:
            acc += w / total
            if r <= acc:
                return level
        return table[-1][0]

    def make_cadre(self, *, unit, tier, sex=None, age=None, post=None, extra_posts=(), start=None,
                   from_village=False):
        """A cadre whose career ends in ``post`` (a leadership or middle post), or as staff of
        ``unit`` when ``post`` is None or a staff post."""
        rng = self.rng
        level_index = LADDER.index(tier)
        if sex is None:
            female_share = {"zhengchu": .12, "fuchu": .15, "zhengke": .14, "fuke": .26, "middle": .36,
                            "staff": .44}[tier]
            sex = "F" if rng.random() < female_share else "M"
        if age is None:
            low, high, mode = {"zhengchu": (47, 56, 52), "fuchu": (42, 57, 50), "zhengke": (36, 57, 47),
                               "fuke": (29, 57, 42), "middle": (27, 52, 38), "staff": (25, 58, 34)}[tier]
            age = round(rng.triangular(low, high, mode))
        birth = self.birth_in(self.today.year - age - rng.randint(0, 1))
        youngest = dt.date(self.today.year - 25, self.today.month, 1)
        oldest = dt.date(self.today.year - 59, self.today.month, 1) + dt.timedelta(days=31)
        birth = max(min(birth, youngest), oldest)
        age = self.today.year - birth.year - ((self.today.month, self.today.day) < (birth.month, birth.day))

        home = rng.random() < D.HOME_SHARE
        if home:
            region = D.OLD_HOME_REGION if birth.year < 1985 and rng.random() < 0.3 else D.HOME_REGION[0]
            native = birthplace = D.HOME_REGION[1]
        else:
            region, native = _weighted(rng, [(p[0], p[1], p[2]) for p in D.OTHER_PLACES]), None
            native = next(p[1] for p in D.OTHER_PLACES if p[0] == region)
            birthplace = native
        if rng.random() < 0.08:
            native = _weighted(rng, [(p[1], p[2]) for p in D.OTHER_PLACES])
        name = self.person_name(sex, birth.year)
        cadre = {
            "index": len(self.cadres), "name": name, "sex": sex, "birth_date": birth,
            "id_number": self.id_number(region, birth, sex), "ethnicity": _weighted(rng, D.ETHNICITIES),
            "native_place": native, "birthplace": birthplace, "health": "健康", "professional_title": "",
            "expertise": "", "tier": tier, "unit_ref": unit, "age": age,
        }
        self.cadres.append(cadre)
        self.education_and_work(cadre, level_index, from_village)
        self.politics(cadre, level_index)
        self.career(cadre, tier, post, extra_posts, start, from_village)
        return cadre

    def education_and_work(self, cadre, level_index, from_village=False):
        rng = self.rng
        birth = cadre["birth_date"]
        level = self.education(birth.year, level_index)
        if from_village:  # village cadres rarely hold more than a first degree
            level = rng.choice(["secondary_vocational", "associate", "associate", "bachelor"])
        end_age = {"senior": 18, "secondary_vocational": 19, "associate": 21, "bachelor": 22, "master": 25,
                   "doctor": 28}[level]
        years = {"senior": 3, "secondary_vocational": 3, "associate": 3, "bachelor": 4, "master": 3, "doctor": 3}[level]
        end = _month(birth.year + end_age + (1 if birth.month >= 9 else 0), 7)
        latest = _add_months(_month(self.today.year - 1, 7), 0)
        if end > latest:
            end = latest
        school, majors = rng.choice(D.SCHOOLS[level])
        major = rng.choice(majors)
        cadre["fulltime_education"] = level
        cadre["fulltime_degree"] = {"bachelor": "bachelor", "master": "master", "doctor": "doctor"}.get(level, "")
        if level == "bachelor" and rng.random() < 0.04:
            cadre["fulltime_degree"] = ""
        where = f"{school}{major}专业" if major else school
        cadre["fulltime_education_school"] = where
        cadre["fulltime_degree_school"] = where if cadre["fulltime_degree"] else ""
        study = []
        if level in ("master", "doctor"):
            b_school, b_majors = rng.choice(D.SCHOOLS["bachelor"])
            b_major = rng.choice(b_majors)
            b_end = _add_months(end, -12 * years)
            study.append((_add_months(b_end, -46), b_end, f"{b_school}{b_major}专业学习", b_school))
        study.append((_add_months(end, -12 * years + 2), end,
                      f"{where}学习" + ("，获" + D.DEGREE_WORD[cadre["fulltime_degree"]] + "学位"
                                        if cadre["fulltime_degree"] else ""), school))
        for start, stop, text, place in study:
            self.resume.append({"cadre": cadre["index"], "start": start, "end": stop, "description": text,
                                "kind": "study", "place": place, "org_unit": None, "is_grassroots": False})
        work = _add_months(end, rng.randint(0, 6) if level != "senior" else rng.randint(0, 14))
        if cadre["sex"] == "M" and level in ("senior", "secondary_vocational") and rng.random() < 0.35:
            leave = _add_months(end, 2 + 12 * rng.randint(3, 5))
            self.resume.append({"cadre": cadre["index"], "start": _add_months(end, 2), "end": leave,
                                "description": f"中国人民解放军{rng.choice(['济南军区', '北部战区', '武警山东总队'])}"
                                               f"某部{rng.choice(['战士', '班长', '排长'])}",
                                "kind": "military", "place": "中国人民解放军某部", "org_unit": None,
                                "is_grassroots": False})
            work = _add_months(leave, 2)
        cadre["work_started"] = min(work, _month(self.today.year, max(1, self.today.month - 3)))
        # 在职教育: many with a lower full-time level studied part-time later.
        pt_level = ""
        if level in ("senior", "secondary_vocational", "associate") and rng.random() < 0.75:
            pt_level = "bachelor"
        elif level == "bachelor" and rng.random() < 0.22 and cadre["work_started"].year < self.today.year - 5:
            pt_level = "master"
        cadre["parttime_education"] = pt_level
        cadre["parttime_degree"] = ""
        cadre["parttime_education_school"] = ""
        cadre["parttime_degree_school"] = ""
        if pt_level:
            p_school, p_majors = rng.choice(D.PARTTIME_SCHOOLS[pt_level])
            p_where = f"{p_school}{rng.choice(p_majors)}专业"
            cadre["parttime_education_school"] = p_where
            if pt_level == "master" and "党校" not in p_school:
                cadre["parttime_degree"] = "master"
                cadre["parttime_degree_school"] = p_where
        if rng.random() < 0.12:
            cadre["professional_title"] = rng.choice(["经济师", "会计师", "工程师", "中级讲师", "高级经济师",
                                                      "助理经济师", "高级教师", "主治医师"])
        cadre["expertise"] = rng.choice(["", "", "经济管理", "党建工作", "财务管理", "城乡规划", "文字综合",
                                         "农业农村工作", "招商引资", "法律事务"])

    def politics(self, cadre, level_index):
        rng = self.rng
        age = cadre["age"]
        if level_index >= 2 or rng.random() < 0.84:
            status = "cpc"
        elif age < 30 and rng.random() < 0.5:
            status = "cyl"
        elif rng.random() < 0.15:
            status = "democratic_party"
        else:
            status = "masses"
        joined = None
        if status == "cpc":
            earliest = cadre["birth_date"].year + 19
            latest = min(cadre["birth_date"].year + (30 if level_index >= 2 else 36), self.today.year - 1)
            if level_index < 2 and age < 35 and rng.random() < 0.05 and cadre["work_started"].year < self.today.year:
                status = "cpc_probationary"
                joined = _month(self.today.year, rng.randint(1, max(1, self.today.month - 1)))
            else:
                year = rng.randint(earliest, max(earliest, latest))
                joined = _month(year, rng.choice([1, 3, 5, 6, 7, 10, 12]))
        cadre["political_status"] = status
        cadre["party_joined"] = joined

    # -- careers ---------------------------------------------------------------------------
    def free_post(self, rank, *, grassroots_bias, exclude_unit=None):
        candidates = [p for p in self.posts if p["rank"] == rank and p["unit"] != exclude_unit
                      and p["kind"] == PostKind.LEADERSHIP and p["unit_ref"]["depth"] >= 1]
        if grassroots_bias and self.rng.random() < grassroots_bias:
            town = [p for p in candidates if p["unit_ref"]["kind"] == OrgUnitKind.TOWNSHIP]
            candidates = town or candidates
        if not candidates:
            return None
        return self.rng.choice(candidates)

    def add_history_holding(self, cadre, post, start, end):
        """A past holding, kept only when the post had room then (no overlapping excess)."""
        key = (post["unit"], post["title"])
        busy = sum(1 for s, e in self.intervals[key] if s <= end and start <= e)
        if busy >= post["headcount"]:
            return
        self.intervals[key].append((start, end))
        self.holdings.append({"cadre": cadre["index"], "unit": post["unit"], "title": post["title"], "start": start,
                              "end": end, "probation_end": None, "note": ""})

    def career(self, cadre, tier, post, extra_posts, start, from_village=False):
        """Resume lines from the first job to the current post, and the matching holdings."""
        rng = self.rng
        today = self.today
        work = cadre["work_started"]
        target_unit = cadre["unit_ref"]
        level_index = LADDER.index(tier)
        span = _months_between(work, today)
        if start is None:
            if level_index >= 2:
                start = _add_months(today, -rng.randint(1, min(96, max(2, span // 3))))
            elif tier == "middle":
                start = _add_months(today, -rng.randint(1, min(84, max(2, span // 2))))
            else:
                start = None
        phases = []  # (start, unit dict, title, rank or None, post dict or None)
        if level_index >= 2:
            months = max(1, _months_between(work, start))
            steps = list(range(0, level_index))  # staff, middle, fuke, ...
            if months < 12 * len(steps) and len(steps) > 2:
                steps = [0] + steps[2:]
            # roughly even phases, the first (as staff) a little longer
            weights = [rng.uniform(0.7, 1.3) * (1.4 if i == 0 else 1) for i in range(len(steps))]
            total, acc, starts = sum(weights), 0.0, []
            for w in weights:
                starts.append(_add_months(work, int(months * acc / total)))
                acc += w
            for step, s in zip(steps, starts, strict=True):
                phases.extend(self.phase(cadre, LADDER[step], s, target_unit))
            phases.append((start, target_unit, post["title"], post["rank"], post))
        elif tier == "middle":
            first_unit = target_unit["parent_unit"] if rng.random() < 0.6 else self.random_staff_unit()
            phases.append((work, first_unit, "科员", None, None))
            if _months_between(work, start) > 60 and rng.random() < 0.4:
                phases.append((_add_months(work, _months_between(work, start) // 2), target_unit, "科员", None, None))
            if start <= work:
                start = _add_months(work, 1)
            phases.append((start, target_unit, post["title"], post["rank"], post))
        elif from_village:
            # an outstanding village cadre selected into the township's offices last year (source §2.4)
            town = target_unit["parent_unit"]
            villages = [u for u in self.units if u["parent"] == town["name"] and u["kind"] == OrgUnitKind.VILLAGE]
            slot = from_village - 1  # distinct village posts for the (up to 3) cadres of one township
            title = "村党支部书记" if slot < len(villages) else "村委会主任"
            phases.append((work, villages[slot % len(villages)], title, None, None))
            selected = _month(today.year - 1, rng.randint(3, 10))
            phases.append((selected, target_unit, "科员", None, None))
            cadre["political_status"] = "cpc"
            if cadre["party_joined"] is None or cadre["party_joined"] >= work:
                cadre["party_joined"] = _month(cadre["birth_date"].year + rng.randint(19, 21), 7)
        else:
            # staff: maybe a first job elsewhere, then the current unit
            if span > 48 and rng.random() < 0.45:
                first = self.random_staff_unit()
                moved = _add_months(work, rng.randint(18, max(19, span - 6)))
                phases.append((work, first, "科员", None, None))
                phases.append((moved, target_unit, "科员", None, None))
            else:
                phases.append((work, target_unit, "科员", None, None))
        # 大学生村官: a village line before the first job in the township.
        if tier in ("staff", "middle", "fuke") and 2008 <= work.year <= 2015 and not from_village \
                and rng.random() < 0.12:
            village = rng.choice([u for u in self.units if u["kind"] == OrgUnitKind.VILLAGE])
            phases[0] = (_add_months(work, rng.randint(24, 36)),) + phases[0][1:]
            phases.insert(0, (work, village, "党支部书记助理（大学生村官）", None, None))
        # keep the order strict: a phase that does not start after the previous one replaces it
        cleaned = []
        for ph in phases:
            while cleaned and cleaned[-1][0] >= ph[0]:
                cleaned.pop()
            cleaned.append(ph)
        phases = cleaned
        for i, (s, unit, title, _rank, p) in enumerate(phases):
            e = phases[i + 1][0] if i + 1 < len(phases) else None
            text = self.title_text(unit, title)
            if e is None and extra_posts:
                text = "，".join([self.title_text(unit, title)] + [self.title_text(ep["unit_ref"], ep["title"])
                                                                     for ep in extra_posts])
            grassroots = unit["kind"] in (OrgUnitKind.TOWNSHIP, OrgUnitKind.VILLAGE) or unit["is_grassroots"]
            self.resume.append({"cadre": cadre["index"], "start": s, "end": e, "description": text, "kind": "work",
                                "place": _full_unit_name(unit if unit["kind"] != OrgUnitKind.SECTION
                                                         else unit["parent_unit"]),
                                "org_unit": unit["name"], "is_grassroots": grassroots})
            if p is not None and e is not None and p["kind"] == PostKind.LEADERSHIP:
                self.add_history_holding(cadre, p, s, e - dt.timedelta(days=1))
        # the current holding(s)
        last_start, last_unit, last_title, last_rank, last_post = phases[-1]
        current_posts = [last_post] + list(extra_posts) if last_post else []
        if not current_posts:
            staff_post = self.post_by_key.get((last_unit["name"], "科员"))
            if staff_post is not None:
                current_posts = [staff_post]
        promoted_from = phases[-2][3] if len(phases) >= 2 else None
        for p in current_posts:
            promotion = RANK_LEVEL.get(p["rank"], 0) > RANK_LEVEL.get(promoted_from or "", 0)
            probation = None
            if p["kind"] == PostKind.LEADERSHIP and promotion and _months_between(last_start, today) < 12:
                probation = _add_months(last_start, 12)
            self.holdings.append({"cadre": cadre["index"], "unit": p["unit"], "title": p["title"], "start": last_start,
                                  "end": None, "probation_end": probation, "note": ""})
            p["filled"] += 1
        if current_posts and current_posts[0]["unit"] == D.COUNTY:
            titles = [current_posts[0]["title"]] + [self.title_text(ep["unit_ref"], ep["title"], short=True)
                                                    for ep in extra_posts]
            cadre["current_post_title"] = "，".join(titles)
        elif last_post is not None:
            cadre["current_post_title"] = "，".join(f"{p['unit']}{p['title']}" for p in current_posts)
        else:
            cadre["current_post_title"] = f"{last_unit['name']}科员"
        cadre["unit_ref"] = last_unit
        # rank: leadership rank from the first phase at that level; staff by years of work
        if last_rank in ("zhengchu", "fuchu", "zhengke", "fuke"):
            since = last_start
            for s, _u, _t, r, _p in reversed(phases):
                if r == last_rank:
                    since = s
                else:
                    break
            cadre["rank"], cadre["rank_since"] = last_rank, since
        elif from_village:
            cadre["rank"], cadre["rank_since"] = "yiji_keyuan", phases[-1][0]
        else:
            years = _months_between(work, today) // 12
            if years < 1:
                code, since = None, None
            else:
                r = rng.random()
                code, step = (("yiji_zhurenkeyuan", 26) if years >= 28 and r < .12 else
                              ("erji_zhurenkeyuan", 22) if years >= 24 and r < .5 else
                              ("sanji_zhurenkeyuan", 16) if years >= 16 and r < .6 else
                              ("siji_zhurenkeyuan", 9) if years >= 9 and r < .75 else
                              ("yiji_keyuan", 2) if years >= 2 else ("erji_keyuan", 1))
                since = _add_months(work, 12 * step + rng.randint(0, 11))
                if since > today:
                    since = _month(today.year, 1)
            cadre["rank"], cadre["rank_since"] = code, since

    def phase(self, cadre, step, start, target_unit):
        """One career phase before the current post: where and as what."""
        rng = self.rng
        if step == "staff":
            unit = target_unit if rng.random() < 0.25 and target_unit["depth"] == 1 else self.random_staff_unit(
                grassroots=0.6)
            out = [(start, unit, "科员", None, None)]
            return out
        if step == "middle":
            section = rng.choice([u for u in self.units if u["kind"] == OrgUnitKind.SECTION])
            return [(start, section, self.post_by_key_title(section), D.MIDDLE_RANK, None)]
        rank = step
        post = self.free_post(rank, grassroots_bias=0.65 if rank in ("fuke", "zhengke") else 0,
                              exclude_unit=target_unit["name"])
        if post is None:
            return []
        return [(start, post["unit_ref"], post["title"], rank, post)]

    def post_by_key_title(self, section):
        return next(p["title"] for p in self.posts if p["unit"] == section["name"] and p["kind"] == PostKind.MIDDLE)

    def random_staff_unit(self, grassroots=0.5):
        if self.rng.random() < grassroots:
            pool = [u for u in self.units if u["kind"] == OrgUnitKind.SECTION and u["is_grassroots"]]
        else:
            pool = [u for u in self.units if u["kind"] == OrgUnitKind.SECTION and not u["is_grassroots"]]
        return self.rng.choice(pool)

    def title_text(self, unit, title, short=False):
        if unit["name"] == D.COUNTY:
            return {"县委书记": "中共惠民县委书记", "县委副书记、县长": "中共惠民县委副书记、惠民县人民政府县长",
                    "县委副书记": "中共惠民县委副书记", "县委常委": "中共惠民县委常委",
                    "副县长": "惠民县人民政府副县长"}.get(title, "惠民县" + title)
        if short:
            return unit["short_name"] + title if unit["short_name"] else unit["name"] + title
        if title == "科员" and unit["kind"] == OrgUnitKind.TOWNSHIP:
            return _full_unit_name(unit) + ("人民政府科员" if unit["name"].endswith("镇") else "办事处科员")
        return _full_unit_name(unit) + title

    # -- filling the county -----------------------------------------------------------------
    def fill(self):
        rng = self.rng
        root = self.unit_by_name[D.COUNTY]
        towns = [u for u in self.units if u["kind"] == OrgUnitKind.TOWNSHIP]
        # Vacancies: 2 township Party secretaries and 2 township heads (the source's open
        # nomination fills them), and about one deputy post in ten.
        shuffled = towns[:]
        rng.shuffle(shuffled)
        vacant_secretary = {t["name"] for t in shuffled[:2]}
        vacant_head = {t["name"] for t in shuffled[2:4]}
        self.extra["vacant_secretary_townships"] = [t["name"] for t in towns if t["name"] in vacant_secretary]
        self.extra["vacant_head_townships"] = [t["name"] for t in towns if t["name"] in vacant_head]

        # County leaders: 县委书记, 县长, 副书记, 8 常委 (most head an organ), 4 more 副县长.
        leaders = self.extra["county_leaders"] = []
        for title in ("县委书记", "县委副书记、县长", "县委副书记"):
            post = self.post_by_key[(D.COUNTY, title)]
            tier = post["rank"]
            leaders.append(self.make_cadre(unit=root, tier=tier, post=post))
        for organ, title in D.STANDING_COMMITTEE_ROLES:
            extra = [self.post_by_key[(organ, title)]] if organ else [self.post_by_key[(D.COUNTY, "副县长")]]
            cadre = self.make_cadre(unit=root, tier="fuchu", post=self.post_by_key[(D.COUNTY, "县委常委")],
                                    extra_posts=extra)
            if organ is None:
                cadre["current_post_title"] = "县委常委，常务副县长"
            leaders.append(cadre)
        for _n in range(4):
            leaders.append(self.make_cadre(unit=root, tier="fuchu", post=self.post_by_key[(D.COUNTY, "副县长")]))

        # 正科 heads and deputies of eight county units are vacant too (for publicity and
        # public selection), and about one deputy post in nine.
        county_zhengke = [p for p in self.posts if p["rank"] == "zhengke" and p["unit_ref"]["depth"] == 1
                          and p["unit_ref"]["kind"] != OrgUnitKind.TOWNSHIP and p["filled"] == 0]
        vacant_zhengke = {(p["unit"], p["title"]) for p in rng.sample(county_zhengke, 8)}
        self.extra["vacant_zhengke"] = [(p["unit"], p["title"]) for p in county_zhengke
                                        if (p["unit"], p["title"]) in vacant_zhengke]
        # Leadership posts of every unit, then middle posts, then staff to the target.
        for post in self.posts:
            unit = post["unit_ref"]
            if unit["name"] == D.COUNTY or post["kind"] != PostKind.LEADERSHIP:
                continue
            for _n in range(post["headcount"] - post["filled"]):
                if post["title"] in ("党委书记", "党工委书记") and unit["name"] in vacant_secretary:
                    continue
                if post["title"] in ("镇长", "办事处主任") and unit["name"] in vacant_head:
                    continue
                if (post["unit"], post["title"]) in vacant_zhengke and post["filled"] == post["headcount"] - 1:
                    continue
                if post["rank"] == "fuke" and rng.random() < 0.11:
                    continue
                self.make_cadre(unit=unit, tier=post["rank"], post=post)
        for post in self.posts:
            if post["kind"] == PostKind.MIDDLE and rng.random() < 0.9:
                self.make_cadre(unit=post["unit_ref"], tier="middle", post=post)
        # staff by main unit, spread over its sections
        sections = defaultdict(list)
        for u in self.units:
            if u["kind"] == OrgUnitKind.SECTION:
                sections[u["parent"]].append(u)
        mains = [u for u in self.units if u["depth"] == 1 and u["kind"] != OrgUnitKind.VILLAGE]
        sizes = {}
        for u in mains:
            low, high = D.STAFF_SIZE[u["kind"]]
            sizes[u["name"]] = D.STAFF_SIZE_BY_UNIT.get(u["name"], rng.randint(low, high))
        already = defaultdict(int)
        for c in self.cadres:
            m = c["unit_ref"]
            while m["depth"] > 1:
                m = m["parent_unit"]
            already[m["name"]] += 1
        staff_needed = {n: max(3, sizes[n] - already[n]) for n in sizes}
        total = len(self.cadres) + sum(staff_needed.values())
        names = [u["name"] for u in mains]
        # Never fewer than 3 staff per main unit, whatever the size asked for.
        target = max(self.target_cadres, len(self.cadres) + 3 * len(names))
        while total != target:
            n = rng.choice(names)
            if total > target and staff_needed[n] > 3:
                staff_needed[n] -= 1
                total -= 1
            elif total < target:
                staff_needed[n] += 1
                total += 1
        per_section = {}
        for u in mains:
            secs = sections[u["name"]]
            counts = [0] * len(secs)
            for _n in range(staff_needed[u["name"]]):
                counts[rng.randrange(len(secs))] += 1
            for sec, n in zip(secs, counts, strict=True):
                per_section[sec["name"]] = n
                self.post(sec, "科员", D.STAFF_RANK, PostKind.STAFF, headcount=n + rng.randint(1, 3))
        # 11 village cadres selected into the offices of 4 townships last year
        village_slots = {}
        self.extra["village_cadres_selected"] = []
        chosen_towns = rng.sample([t for t in towns if not t["name"].endswith("街道")], 4)
        for town, n in zip(chosen_towns, (3, 3, 3, 2), strict=True):
            secs = [s for s in sections[town["name"]] if per_section[s["name"]] >= n]
            village_slots[rng.choice(secs)["name"]] = n
        for u in mains:
            for sec in sections[u["name"]]:
                for k in range(per_section[sec["name"]]):
                    from_village = k + 1 if k < village_slots.get(sec["name"], 0) else 0
                    cadre = self.make_cadre(unit=sec, tier="staff", from_village=from_village,
                                            age=rng.randint(32, 46) if from_village else None)
                    if from_village:
                        self.extra["village_cadres_selected"].append(cadre["index"])

    # -- families ----------------------------------------------------------------------------
    def relative(self, sex, birth, surname=None, job=None, political=None):
        rng = self.rng
        age = self.today.year - birth.year
        if job is None:
            if age >= 70:
                town, _street, villages = rng.choice(D.TOWNSHIPS)
                job = rng.choice(D.RELATIVE_JOBS_OLD).format(home="惠民县" + town, village=rng.choice(villages))
                job = job.replace("社区村民", "社区居民")
            else:
                job = rng.choice(D.RELATIVE_JOBS).format(town=rng.choice([t[0] for t in D.TOWNSHIPS]))
        if political is None:
            political = "中共党员" if rng.random() < (0.45 if age >= 40 else 0.3) else "群众"
            if job == "已去世":
                political = ""
        return {"name": self.person_name(sex, birth.year, surname), "sex": sex, "birth": birth, "job": job,
                "political": political, "cadre": None, "emigrated": False}

    def as_relative(self, cadre):
        return {"name": cadre["name"], "sex": cadre["sex"], "birth": cadre["birth_date"],
                "job": cadre["current_post_title"], "political": POLITICAL_LABEL[cadre["political_status"]],
                "cadre": cadre["index"], "emigrated": False}

    def families(self):
        rng = self.rng
        fam = [dict(spouse=None, father=None, mother=None, children=[], siblings=[]) for _ in self.cadres]
        linked = set()
        pairs = self.extra["related_pairs"] = []

        def surname_of(c):
            return c["name"][:2] if c["name"][:2] in ("欧阳", "司马") else c["name"][0]

        adults = [c for c in self.cadres if c["age"] >= 27]
        # parent and child both cadres, two of them county leaders' children
        fathers = [c for c in self.cadres if c["sex"] == "M" and c["age"] >= 50]
        leaders = [c for c in self.extra["county_leaders"] if c["sex"] == "M" and c["age"] >= 50]
        young = [c for c in self.cadres if c["age"] <= 31]
        chosen_fathers = leaders[:2] + rng.sample(fathers, 6)
        for father in chosen_fathers:
            if father["index"] in linked:
                continue
            kids = [c for c in young if surname_of(c) == surname_of(father) and c["index"] not in linked
                    and 24 <= c["birth_date"].year - father["birth_date"].year <= 32]
            if not kids:
                continue
            child = rng.choice(kids)
            linked.update({father["index"], child["index"]})
            fam[father["index"]]["children"].append(self.as_relative(child))
            fam[child["index"]]["father"] = self.as_relative(father)
            pairs.append((father["index"], child["index"], "father"))
        # couples
        men = [c for c in adults if c["sex"] == "M" and c["index"] not in linked]
        women = [c for c in adults if c["sex"] == "F" and c["index"] not in linked]
        rng.shuffle(men)
        for man in men[:160]:
            if len([p for p in pairs if p[2] == "spouse"]) >= 34:
                break
            match = [w for w in women if w["index"] not in linked and abs(w["age"] - man["age"]) <= 4
                     and surname_of(w) != surname_of(man)]
            if not match:
                continue
            woman = rng.choice(match)
            linked.update({man["index"], woman["index"]})
            fam[man["index"]]["spouse"] = self.as_relative(woman)
            fam[woman["index"]]["spouse"] = self.as_relative(man)
            pairs.append((man["index"], woman["index"], "spouse"))
        # siblings
        by_surname = defaultdict(list)
        for c in self.cadres:
            if c["index"] not in linked:
                by_surname[surname_of(c)].append(c)
        sibling_pairs = 0
        for surname in ("王", "张", "李", "刘", "孙", "赵", "高", "魏", "崔", "杨", "陈", "徐", "于", "马"):
            group = by_surname[surname]
            rng.shuffle(group)
            for a in group:
                if sibling_pairs >= 14 or a["index"] in linked:
                    continue
                b = next((x for x in group if x["index"] not in linked and x is not a
                          and abs(x["age"] - a["age"]) <= 9), None)
                if b is None:
                    continue
                linked.update({a["index"], b["index"]})
                fam[a["index"]]["siblings"].append(self.as_relative(b))
                fam[b["index"]]["siblings"].append(self.as_relative(a))
                older = a if a["birth_date"] <= b["birth_date"] else b
                father = self.relative("M", self.birth_in(older["birth_date"].year - rng.randint(24, 30)), surname)
                mother = self.relative("F", self.birth_in(father["birth"].year + rng.randint(-1, 4)))
                for x in (a, b):
                    fam[x["index"]]["father"], fam[x["index"]]["mother"] = father, mother
                pairs.append((a["index"], b["index"], "sibling"))
                sibling_pairs += 1
                break
        # everyone else's family, sharing children within cadre couples
        done_children = set()
        for c in self.cadres:
            f = fam[c["index"]]
            age = c["age"]
            married = f["spouse"] is not None
            if not married and age >= 26 and rng.random() < min(0.96, 0.45 + (age - 26) * 0.12):
                spouse_birth = self.birth_in(c["birth_date"].year + rng.randint(-2, 3) * (1 if c["sex"] == "M" else -1))
                f["spouse"] = self.relative("F" if c["sex"] == "M" else "M", spouse_birth)
                married = True
            if married and c["index"] not in done_children and age >= 28:
                n = rng.choices([0, 1, 2], weights=[8, 55, 37])[0]
                father_surname = surname_of(c) if c["sex"] == "M" else f["spouse"]["name"][0]
                kids = list(f["children"])
                for k in range(n - len(kids)):
                    kb = self.birth_in(c["birth_date"].year + rng.randint(24, 33) + 2 * k)
                    if kb > self.today:
                        continue
                    kage = self.today.year - kb.year
                    sex = rng.choice("MF")
                    job = ("" if kage < 6 else "学生" if kage < 18 else rng.choice(D.CHILD_JOBS[3:]) if kage < 23
                           else rng.choice(D.RELATIVE_JOBS).format(town="李庄镇"))
                    kids.append(self.relative(sex, kb, father_surname, job=job,
                                              political="群众" if kage >= 18 else ("共青团员" if kage >= 14 else "")))
                f["children"] = kids
                if f["spouse"]["cadre"] is not None:
                    other = fam[f["spouse"]["cadre"]]
                    other["children"] = kids
                    done_children.add(f["spouse"]["cadre"])
            if f["father"] is None:
                f["father"] = self.relative("M", self.birth_in(c["birth_date"].year - rng.randint(23, 32)),
                                            surname_of(c))
            if f["mother"] is None:
                f["mother"] = self.relative("F", self.birth_in(f["father"]["birth"].year + rng.randint(-1, 4)))
            if not f["siblings"] and rng.random() < 0.4:
                for _n in range(rng.choice([1, 1, 2])):
                    sb = self.birth_in(c["birth_date"].year + rng.randint(-8, 8))
                    if sb.year == c["birth_date"].year or sb > self.today:
                        continue
                    f["siblings"].append(self.relative(rng.choice("MF"), sb, surname_of(c)))
        # a cadre's children by a cadre father share his wife as their mother
        for father_i, child_i, kind in pairs:
            if kind == "father" and fam[father_i]["spouse"] is not None:
                fam[child_i]["mother"] = fam[father_i]["spouse"]
        # emigration: a few adult children abroad, and two spouses (R8 makes them ineligible)
        adults_with_kids = [c for c in self.cadres if any(
            k["cadre"] is None and self.today.year - k["birth"].year >= 24 for k in fam[c["index"]]["children"])]
        for c in rng.sample(adults_with_kids, min(8, len(adults_with_kids))):
            kid = next(k for k in fam[c["index"]]["children"] if k["cadre"] is None
                       and self.today.year - k["birth"].year >= 24)
            kid["emigrated"], kid["job"] = True, rng.choice(D.EMIGRATED_JOBS)
        spouse_abroad = [c for c in self.cadres if c["tier"] in ("fuke", "staff") and 32 <= c["age"] <= 44
                         and fam[c["index"]]["spouse"] is not None and fam[c["index"]]["spouse"]["cadre"] is None]
        emigrated = self.extra["emigrated_spouse"] = []
        for c in rng.sample(spouse_abroad, 2):
            s = fam[c["index"]]["spouse"]
            s["emigrated"], s["job"] = True, rng.choice(D.EMIGRATED_JOBS)
            emigrated.append(c["index"])
        # rows, in the form's order: spouse, children, parents, siblings
        for c in self.cadres:
            f = fam[c["index"]]
            rows = []
            if f["spouse"]:
                rows.append(("spouse", "妻子" if c["sex"] == "M" else "丈夫", f["spouse"]))
            kids = sorted(f["children"], key=lambda k: k["birth"])
            sons = daughters = 0
            for k in kids:
                if k["sex"] == "M":
                    sons += 1
                    title = "儿子" if sum(x["sex"] == "M" for x in kids) == 1 else ("长子" if sons == 1 else "次子")
                    rows.append(("son", title, k))
                else:
                    daughters += 1
                    title = "女儿" if sum(x["sex"] == "F" for x in kids) == 1 else ("长女" if daughters == 1 else "次女")
                    rows.append(("daughter", title, k))
            rows.append(("father", "父亲", f["father"]))
            rows.append(("mother", "母亲", f["mother"]))
            for s in sorted(f["siblings"], key=lambda x: x["birth"]):
                older = s["birth"] < c["birth_date"]
                if s["sex"] == "M":
                    rows.append(("brother", "哥哥" if older else "弟弟", s))
                else:
                    rows.append(("sister", "姐姐" if older else "妹妹", s))
            for order, (kind, title, p) in enumerate(rows):
                self.relations.append({
                    "cadre": c["index"], "sort_order": order, "kind": kind, "title": title, "name": p["name"],
                    "birth": f"{p['birth']:%Y%m}", "political_status": p["political"],
                    "work_unit_and_post": p["job"], "related_cadre": p["cadre"], "emigrated": p["emigrated"],
                })

    # -- grades and rewards --------------------------------------------------------------
    def assessments(self):
        rng = self.rng
        years = list(range(self.today.year - GRADE_YEARS, self.today.year))
        by_unit_year = defaultdict(list)
        for c in self.cadres:
            main = c["unit_ref"]
            while main["depth"] > 1:
                main = main["parent_unit"]
            for y in years:
                if c["work_started"] < dt.date(y, 1, 1):
                    by_unit_year[(main["name"], y)].append(c)
        grades = defaultdict(dict)
        for (_unit, y), group in sorted(by_unit_year.items()):
            n = len(group)
            cap = int(n * 0.25)
            quota = min(cap, round(n * rng.uniform(0.14, 0.2)))
            weights = [3.0 if c["tier"] not in ("staff", "middle") else 1.0 for c in group]
            chosen = set()
            while len(chosen) < quota:
                chosen.add(rng.choices(range(n), weights=weights)[0])
            for i, c in enumerate(group):
                if i in chosen:
                    g = "excellent"
                else:
                    r = rng.random()
                    g = "basically_competent" if r < 0.012 else "incompetent" if r < 0.0135 else "competent"
                grades[c["index"]][y] = g
        for c in self.cadres:
            mine = grades[c["index"]]
            for y in sorted(mine):
                self.grades.append({"cadre": c["index"], "year": y, "grade": mine[y]})
            c["annual_assessment_text"] = "；".join(f"{y}年度{GRADE_LABEL[mine[y]]}" for y in sorted(mine)) + (
                "。" if mine else "")
            rewards = []
            run = 0
            for y in sorted(mine):
                run = run + 1 if mine[y] == "excellent" else 0
                if run == 3:
                    rewards.append(f"{y}年因连续三年年度考核优秀记三等功")
            if rng.random() < 0.14 and c["work_started"].year < self.today.year:
                rewards.append(rng.choice(D.REWARDS).format(y=rng.randint(max(c["work_started"].year, 2012),
                                                                          self.today.year - 1)))
            if any(g in ("basically_competent", "incompetent") for g in mine.values()) and rng.random() < 0.3:
                rewards.append(f"{max(mine)}年受到诫勉")
            c["rewards_and_punishments"] = "；".join(sorted(rewards)) + "。" if rewards else "无"


def plan(seed, today: dt.date, cadres: int = TARGET_CADRES) -> dict:
    """The whole county as plain rows (no database). Deterministic in ``seed``, ``today`` and the
    number of ``cadres`` (the leadership is the same at every size; staff fill the rest)."""
    p = _Planner(seed, today, cadres)
    p.build_tree()
    p.fill()
    p.families()
    p.assessments()
    return {
        "units": [{k: u[k] for k in UNIT_FIELDS} for u in p.units],
        "posts": [{k: x[k] for k in POST_FIELDS} for x in p.posts],
        "cadres": [{**{k: c.get(k, "") for k in CADRE_FIELDS if k not in ("org_unit", "rank")},
                    "org_unit": c["unit_ref"]["name"], "rank": c["rank"], "tier": c["tier"]} for c in p.cadres],
        "resume": p.resume, "relations": p.relations, "holdings": p.holdings, "grades": p.grades,
        "extra": p.extra,
    }


# ---- digest ------------------------------------------------------------------------------------

def rows_digest(rows: dict) -> str:
    """SHA-256 over the canonical JSON of the imported rows, in a form the database can give
    back (cadres keyed by ID number, units by name, no database ids)."""
    return hashlib.sha256(canonical_json(_canonical(rows))).hexdigest()


def _canonical(rows: dict) -> dict:
    ids = [c["id_number"] for c in rows["cadres"]]

    def ref(i):
        return None if i is None else ids[i]

    return {
        "units": sorted([[u[k] for k in UNIT_FIELDS] for u in rows["units"]], key=lambda r: r[0]),
        "posts": sorted([[x[k] for k in POST_FIELDS] for x in rows["posts"]], key=lambda r: (r[0], r[1])),
        "cadres": sorted([[c[k] for k in CADRE_FIELDS] for c in rows["cadres"]], key=lambda r: r[0]),
        "resume": sorted([[ref(r["cadre"])] + [r[k] for k in RESUME_FIELDS[1:]] for r in rows["resume"]],
                         key=lambda r: (r[0], r[1].isoformat(), r[3])),
        "relations": sorted([[ref(r["cadre"])] + [ref(r[k]) if k == "related_cadre" else r[k]
                                                  for k in RELATION_FIELDS[1:]] for r in rows["relations"]],
                            key=lambda r: (r[0], r[1])),
        "holdings": sorted([[ref(h["cadre"])] + [h[k] for k in HOLDING_FIELDS[1:]] for h in rows["holdings"]],
                           key=lambda r: (r[0], r[1], r[2], r[3].isoformat())),
        "grades": sorted([[ref(g["cadre"]), g["year"], g["grade"]] for g in rows["grades"]]),
    }


def database_rows(cadre_ids=None) -> dict:
    """The imported tables read back from the database in ``plan``'s row shape."""
    cadres = Cadre.objects.order_by("id")
    if cadre_ids is not None:
        cadres = cadres.filter(pk__in=cadre_ids)
    fields = [f for f in CADRE_FIELDS if f not in ("org_unit", "rank")]
    cadre_rows, index = [], {}
    for row in cadres.values("id", *fields, "org_unit__name", "rank__code"):
        index[row["id"]] = len(cadre_rows)
        cadre_rows.append({**{f: row[f] for f in fields}, "org_unit": row["org_unit__name"], "rank": row["rank__code"]})
    units = [{"name": u.name, "kind": u.kind, "parent": u.parent.name if u.parent_id else None,
              "short_name": u.short_name, "is_grassroots": u.is_grassroots, "is_remote": u.is_remote,
              "sort_order": u.sort_order} for u in OrgUnit.objects.select_related("parent")]
    posts = [{"unit": p["org_unit__name"], "title": p["title"], "rank": p["rank__code"], "kind": p["kind"],
              "headcount": p["headcount"]}
             for p in Post.objects.values("org_unit__name", "title", "rank__code", "kind", "headcount")]
    resume = [{"cadre": index[r["cadre_id"]], "start": r["start"], "end": r["end"], "description": r["description"],
               "kind": r["kind"], "place": r["place"], "org_unit": r["org_unit__name"],
               "is_grassroots": r["is_grassroots"]}
              for r in ResumeEntry.objects.filter(cadre_id__in=index).values(
                  "cadre_id", "start", "end", "description", "kind", "place", "org_unit__name", "is_grassroots")]
    relations = [{"cadre": index[r["cadre_id"]], "sort_order": r["sort_order"], "kind": r["kind"], "title": r["title"],
                  "name": r["name"], "birth": r["birth"], "political_status": r["political_status"],
                  "work_unit_and_post": r["work_unit_and_post"],
                  "related_cadre": index.get(r["related_cadre_id"]), "emigrated": r["emigrated"]}
                 for r in Relation.objects.filter(cadre_id__in=index).values(
                     "cadre_id", "sort_order", "kind", "title", "name", "birth", "political_status",
                     "work_unit_and_post", "related_cadre_id", "emigrated")]
    holdings = [{"cadre": index[h["cadre_id"]], "unit": h["post__org_unit__name"], "title": h["post__title"],
                 "start": h["start"], "end": h["end"], "probation_end": h["probation_end"], "note": h["note"]}
                for h in PostHolding.objects.filter(cadre_id__in=index).values(
                    "cadre_id", "post__org_unit__name", "post__title", "start", "end", "probation_end", "note")]
    grades = [{"cadre": index[g["cadre_id"]], "year": g["year"], "grade": g["grade"]}
              for g in AnnualGrade.objects.filter(cadre_id__in=index).values("cadre_id", "year", "grade")]
    return {"units": units, "posts": posts, "cadres": cadre_rows, "resume": resume, "relations": relations,
            "holdings": holdings, "grades": grades}


def database_rows_digest() -> str:
    """Recompute the import's digest from what is in the database now."""
    return rows_digest(database_rows())


# ---- writing -----------------------------------------------------------------------------------

MAIN_KINDS = (OrgUnitKind.ORGAN, OrgUnitKind.DEPARTMENT, OrgUnitKind.INSTITUTION, OrgUnitKind.TOWNSHIP)


def build(ctx) -> None:
    if OrgUnit.objects.filter(name=D.COUNTY, parent__isnull=True).exists():
        raise DomainError("demo.already_built", _("演示县的数据已经存在；要重建请使用 gongxin demo --reset。"))
    rows = plan(ctx.seed, ctx.today, getattr(ctx, "cadres_wanted", TARGET_CADRES))
    with transaction.atomic():
        units, posts, cadres = _write(ctx, rows)
    ctx.built("people", f"{len(units)} 个单位、{len(posts)} 个职位、{len(cadres)} 名干部（含简历、家庭成员、年度考核）")
    _fill_context(ctx, rows, units, posts, cadres)


def _write(ctx, rows):
    ranks = {r.code: r for r in Rank.objects.all()}
    units: dict[str, OrgUnit] = {}
    # Main units (and the root) through the action: one event each, paths as the action sets them.
    for spec in rows["units"]:
        if spec["parent"] is None or (spec["kind"] in MAIN_KINDS and units[spec["parent"]].parent_id is None):
            parent = units[spec["parent"]] if spec["parent"] else None
            units[spec["name"]] = actions.create_org_unit(
                acting_user=None, name=spec["name"], kind=spec["kind"], parent=parent, short_name=spec["short_name"],
                is_grassroots=spec["is_grassroots"], is_remote=spec["is_remote"], sort_order=spec["sort_order"])
    # Sections and villages in bulk, then their paths (parent path + own id, as the action does).
    rest = [s for s in rows["units"] if s["name"] not in units]
    objs = OrgUnit.objects.bulk_create([
        OrgUnit(name=s["name"], kind=s["kind"], parent=units[s["parent"]], short_name=s["short_name"],
                is_grassroots=s["is_grassroots"], is_remote=s["is_remote"], sort_order=s["sort_order"],
                path="", depth=units[s["parent"]].depth + 1) for s in rest])
    for obj in objs:
        obj.path = f"{obj.parent.path}{obj.pk:05d}."
        units[obj.name] = obj
    OrgUnit.objects.bulk_update(objs, ["path"])

    post_objs = Post.objects.bulk_create([
        Post(org_unit=units[p["unit"]], title=p["title"], rank=ranks[p["rank"]], kind=p["kind"],
             headcount=p["headcount"]) for p in rows["posts"]])
    posts = {(p.org_unit.name, p.title): p for p in post_objs}

    cadre_objs = []
    for c in rows["cadres"]:
        data = {k: v for k, v in c.items() if k not in ("org_unit", "rank", "tier")}
        cadre = Cadre(**data, org_unit=units[c["org_unit"]], rank=ranks[c["rank"]] if c["rank"] else None)
        cadre.name_pinyin, cadre.name_initials = search_keys(cadre.name)
        cadre_objs.append(cadre)
    cadre_objs = Cadre.objects.bulk_create(cadre_objs, batch_size=500)
    pks = [c.pk for c in cadre_objs]
    unit_pk = {name: u.pk for name, u in units.items()}

    ResumeEntry.objects.bulk_create([
        ResumeEntry(cadre_id=pks[r["cadre"]], start=r["start"], end=r["end"], description=r["description"],
                    kind=r["kind"], place=r["place"], org_unit_id=unit_pk[r["org_unit"]] if r["org_unit"] else None,
                    is_grassroots=r["is_grassroots"]) for r in rows["resume"]], batch_size=1000)
    Relation.objects.bulk_create([
        Relation(cadre_id=pks[r["cadre"]], kind=r["kind"], title=r["title"], name=r["name"], birth=r["birth"],
                 political_status=r["political_status"], work_unit_and_post=r["work_unit_and_post"],
                 related_cadre_id=pks[r["related_cadre"]] if r["related_cadre"] is not None else None,
                 emigrated=r["emigrated"], sort_order=r["sort_order"]) for r in rows["relations"]], batch_size=1000)
    PostHolding.objects.bulk_create([
        PostHolding(cadre_id=pks[h["cadre"]], post_id=posts[(h["unit"], h["title"])].pk, start=h["start"], end=h["end"],
                    probation_end=h["probation_end"], note=h["note"]) for h in rows["holdings"]], batch_size=1000)
    AnnualGrade.objects.bulk_create([
        AnnualGrade(cadre_id=pks[g["cadre"]], year=g["year"], grade=g["grade"]) for g in rows["grades"]],
        batch_size=1000)

    counts = {"units": len(rest), "posts": len(post_objs), "cadres": len(cadre_objs), "resume_entries": len(rows["resume"]),
              "relations": len(rows["relations"]), "post_holdings": len(rows["holdings"]),
              "annual_grades": len(rows["grades"])}
    record_event(kind="people.demo.imported", subject=("people.import", f"demo-{ctx.seed}"), actor=ctx.admin,
                 payload={"source": "gongxin demo", "seed": str(ctx.seed), "today": ctx.today, "counts": counts,
                          "main_units_created_by_action": len(units) - len(rest),
                          "sha256": rows_digest(rows),
                          "digest": "SHA-256 of the canonical JSON of the imported rows "
                                    "(gongxin.people.demo.database_rows_digest recomputes it)"})
    return units, post_objs, cadre_objs


def _fill_context(ctx, rows, units, posts, cadres):
    data = ctx.data
    extra = rows["extra"]
    data["units"] = units
    data["root"] = data["county"] = units[D.COUNTY]
    data["townships"] = [u for u in units.values() if u.kind == OrgUnitKind.TOWNSHIP]
    data["departments"] = [u for u in units.values() if u.kind == OrgUnitKind.DEPARTMENT]
    data["organs"] = [u for u in units.values() if u.kind == OrgUnitKind.ORGAN and u.parent_id]
    data["institutions"] = [u for u in units.values() if u.kind == OrgUnitKind.INSTITUTION]
    data["sections"] = [u for u in units.values() if u.kind == OrgUnitKind.SECTION]
    data["villages"] = [u for u in units.values() if u.kind == OrgUnitKind.VILLAGE]
    data["cadres"] = cadres
    data["posts"] = posts
    by_key = {(p.org_unit.name, p.title): p for p in posts}
    data["township_secretary_posts"] = [p for p in posts if p.org_unit.kind == OrgUnitKind.TOWNSHIP
                                        and p.title in ("党委书记", "党工委书记")]
    data["township_head_posts"] = [p for p in posts if p.org_unit.kind == OrgUnitKind.TOWNSHIP
                                   and p.title in ("镇长", "办事处主任")]
    data["vacant_township_secretary_posts"] = [p for p in data["township_secretary_posts"]
                                               if p.org_unit.name in extra["vacant_secretary_townships"]]
    data["vacant_township_head_posts"] = [p for p in data["township_head_posts"]
                                          if p.org_unit.name in extra["vacant_head_townships"]]
    data["vacant_county_unit_posts"] = [by_key[key] for key in extra["vacant_zhengke"]]
    data["middle_posts"] = [p for p in posts if p.kind == PostKind.MIDDLE]
    data["county_leaders"] = [cadres[c["index"]] for c in extra["county_leaders"]]
    data["related_pairs"] = [(cadres[a], cadres[b], kind) for a, b, kind in extra["related_pairs"]]
    data["emigrated_spouse_cadres"] = [cadres[i] for i in extra["emigrated_spouse"]]
    data["village_cadres_selected"] = [cadres[i] for i in extra["village_cadres_selected"]]
    data["review_units"] = {code: units[name] for code, name in D.REVIEW_DEPARTMENTS}
    # Cadres by main unit (sections folded in), and the key projects' people.
    by_id = {u.pk: u for u in units.values()}
    by_main = defaultdict(list)
    for cadre, spec in zip(cadres, rows["cadres"], strict=True):
        unit = units[spec["org_unit"]]
        while unit.depth > 1:
            unit = by_id[unit.parent_id]
        by_main[unit.name].append(cadre)
    data["cadres_by_unit"] = dict(by_main)
    data["key_project_units"] = {name: [units[u] for u in unit_names] for name, unit_names in D.KEY_PROJECT_UNITS.items()}
    data["key_project_cadres"] = {name: [c for u in unit_names for c in by_main[u]]
                                  for name, unit_names in D.KEY_PROJECT_UNITS.items()}
    data["tiers"] = {cadre.pk: spec["tier"] for cadre, spec in zip(cadres, rows["cadres"], strict=True)}
    data["posts_by_key"] = by_key

