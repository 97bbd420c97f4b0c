"""Filling the county: leaders, middle-level heads and staff up to the size asked for."""

import random
from collections import defaultdict

from ..models import (
    OrgUnitKind,
    PostKind,
)
from . import data as D
from .common import _add_months, _full_unit_name, _month


class _CountyMixin:
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
                if post["rank"] == "fuke" and rng.random() < 0.21:  # vacancies for the year's cases and two public selections
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
        villagers = sum(n for u in self.units if u["kind"] == OrgUnitKind.VILLAGE for _t, n in D.VILLAGE_POSTS)
        names = [u["name"] for u in mains]
        # Never fewer than 3 staff per main unit, whatever the size asked for.
        target = max(self.target_cadres - villagers, len(self.cadres) + 3 * len(names))
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
        for u in mains:
            for sec in sections[u["name"]]:
                for _k in range(per_section[sec["name"]]):
                    self.make_cadre(unit=sec, tier="staff")
        self.village_cadres()

    def village_cadres(self):
        """The serving village (community) cadres: every village committee's posts filled, from
        a stream of their own (the county's other draws do not move). The exams demo selects the
        source's 11 outstanding ones into the offices of 4 townships through the exam and a case."""
        main, self.rng = self.rng, random.Random(f"{self.seed}:villages")
        try:
            for unit in [u for u in self.units if u["kind"] == OrgUnitKind.VILLAGE]:
                for title, n in D.VILLAGE_POSTS:
                    for _n in range(n):
                        self.village_cadre(unit, self.post_by_key[(unit["name"], title)])
        finally:
            self.rng = main

    def village_schooling(self, cadre, work):
        """The school a village cadre finished before work (every cadre's resume starts with its
        study line), drawn from a stream of its own so that the villages' draws do not move."""
        rng = random.Random(f"{self.seed}:village-school:{cadre['index']}")
        level = cadre["fulltime_education"]
        school, majors = rng.choice(D.SCHOOLS[level])
        major = rng.choice(majors)
        where = f"{school}{major}专业" if major else school
        cadre["fulltime_education_school"] = where
        years = 4 if level == "bachelor" else 3
        end = min(_month(cadre["birth_date"].year + {"bachelor": 22, "associate": 21}.get(level, 18), 7),
                  _add_months(work, -1))
        self.resume.append({"cadre": cadre["index"], "start": _add_months(end, -12 * years + 2), "end": end,
                            "description": f"{where}学习", "kind": "study", "place": school, "org_unit": None,
                            "is_grassroots": False})

    def village_cadre(self, unit, post):
        rng = self.rng
        sex = "F" if rng.random() < (0.1 if post["title"] != "村委会委员" else 0.35) else "M"
        birth = self.birth_in(self.today.year - rng.randint(28, 52))
        region = D.HOME_REGION[0]
        cadre = {"index": len(self.cadres), "name": self.person_name(sex, birth.year), "sex": sex, "birth_date": birth,
                 "id_number": self.id_number(region, birth, sex), "ethnicity": "汉族", "native_place": D.HOME_REGION[1],
                 "birthplace": D.HOME_REGION[1], "health": "健康", "professional_title": "", "expertise": "",
                 "tier": "village", "unit_ref": unit, "age": self.today.year - birth.year,
                 "fulltime_education": rng.choice(["senior", "secondary_vocational", "associate", "associate", "bachelor"]),
                 "fulltime_degree": "", "fulltime_education_school": "", "fulltime_degree_school": "",
                 "parttime_education": "", "parttime_degree": "", "parttime_education_school": "",
                 "parttime_degree_school": ""}
        work = _month(birth.year + rng.randint(19, 23), rng.randint(1, 12))
        start = max(_add_months(work, 12), _month(self.today.year - rng.randint(1, 16), rng.randint(1, 12)))
        cadre["work_started"] = work
        cadre["political_status"] = "cpc" if post["title"] != "村委会委员" or rng.random() < 0.7 else "masses"
        cadre["party_joined"] = _month(birth.year + rng.randint(21, 27), 7) if cadre["political_status"] == "cpc" else None
        if cadre["party_joined"] and cadre["party_joined"] > start:
            cadre["party_joined"] = start
        place = _full_unit_name(unit)
        self.village_schooling(cadre, work)
        self.resume.append({"cadre": cadre["index"], "start": work, "end": start, "description": f"{place}村民",
                            "kind": "work", "place": place, "org_unit": unit["name"], "is_grassroots": True})
        self.resume.append({"cadre": cadre["index"], "start": start, "end": None, "description": place + post["title"],
                            "kind": "work", "place": place, "org_unit": unit["name"], "is_grassroots": True})
        self.holdings.append({"cadre": cadre["index"], "unit": unit["name"], "title": post["title"], "start": start,
                              "end": None, "probation_end": None, "note": ""})
        post["filled"] += 1
        cadre["current_post_title"] = unit["name"] + post["title"]
        cadre["rank"], cadre["rank_since"] = None, None
        self.cadres.append(cadre)
        return cadre
