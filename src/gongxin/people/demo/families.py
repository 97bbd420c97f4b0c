"""The planner's families: relations, including relatives who are cadres and emigrated ones."""

from collections import defaultdict

from . import data as D
from .common import POLITICAL_LABEL


class _FamiliesMixin:
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

