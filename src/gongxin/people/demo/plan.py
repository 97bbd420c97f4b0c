"""The whole county as plain rows, without the database."""

import datetime as dt
import random
from collections import defaultdict

from .careers import _CareersMixin
from .common import CADRE_FIELDS, POST_FIELDS, TARGET_CADRES, UNIT_FIELDS
from .county import _CountyMixin
from .families import _FamiliesMixin
from .grades import _GradesMixin
from .persons import _PersonsMixin
from .tree import _TreeMixin


class _Planner(_TreeMixin, _PersonsMixin, _CareersMixin, _CountyMixin, _FamiliesMixin, _GradesMixin):
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


