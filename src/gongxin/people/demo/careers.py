"""The planner's careers: post holdings and resumes drawn back from each cadre's post."""

import datetime as dt

from ..models import (
    OrgUnitKind,
    PostKind,
)
from . import data as D
from .common import LADDER, RANK_LEVEL, _add_months, _full_unit_name, _month, _months_between


class _CareersMixin:
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

    def career(self, cadre, tier, post, extra_posts, start):
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
        if tier in ("staff", "middle", "fuke") and 2008 <= work.year <= 2015 \
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

