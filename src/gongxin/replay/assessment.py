"""Assessment scores: each unit's total recomputed from its logged values, difficulty
coefficient and public evaluation, on the indicator system the year froze (itself a public
event), with ``gongxin.assessment.scoring`` — the product's own arithmetic."""

from __future__ import annotations

from gongxin.assessment import scoring

from .engine import NOT_REPLAYABLE, subject_id

PLACES = 9   # totals are recorded rounded to 9 places


class Assessment:
    def __init__(self, out):
        self.out = out
        self.systems: dict[tuple[str, int], list[scoring.Indicator]] = {}

    def handlers(self):
        return {"assessment.indicator_system.created": self.system_created,
                "assessment.scores.computed": self.scores_computed}

    def system_created(self, seq, env):
        p = env["payload"]
        self.systems[(str(p["category"]), int(p["version"]))] = [
            scoring.Indicator(i["code"], i["name"], float(i["weight"]), i["direction"], i["floor"], i["target"],
                              i.get("dimension", "")) for i in p["indicators"]]

    def scores_computed(self, seq, env):
        p = env["payload"]
        name = f"assessment year {p.get('year', subject_id(env))}"
        weight = float(p["public_weight"])
        replayed = {}
        for row in p["inputs"]:
            indicators = self.systems.get((str(row["category"]), int(row["system"])))
            if indicators is None:
                self.out.add("assessment scores", name, seq, NOT_REPLAYABLE,
                             f"the bundle lacks indicator system {row['category']} v{row['system']}")
                return
            breakdown = scoring.score(indicators, row["values"], coefficient=float(row["coefficient"]))
            total = scoring.combine(breakdown.adjusted, row.get("public"), public_weight=weight)
            replayed[str(row["unit"])] = round(total, PLACES)
        self.out.compare("assessment scores", name, seq, p.get("totals"), replayed)

    def finish(self):
        pass
