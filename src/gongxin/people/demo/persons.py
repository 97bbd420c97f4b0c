"""The planner's people: names, birth dates, ID numbers, education, work and politics."""

import datetime as dt

from .. import idnumber
from . import data as D
from .common import LADDER, _add_months, _month, _weighted


class _PersonsMixin:
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

    def make_cadre(self, *, unit, tier, sex=None, age=None, post=None, extra_posts=(), start=None):
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
        self.education_and_work(cadre, level_index)
        self.politics(cadre, level_index)
        self.career(cadre, tier, post, extra_posts, start)
        return cadre

    def education_and_work(self, cadre, level_index):
        rng = self.rng
        birth = cadre["birth_date"]
        level = self.education(birth.year, level_index)
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

