"""The planner's annual grades and rewards."""

import datetime as dt
from collections import defaultdict

from . import data as D
from .common import GRADE_LABEL, GRADE_YEARS


class _GradesMixin:
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
            weights = [3.0 if c["tier"] not in ("staff", "middle", "village") else 1.0 for c in group]
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


