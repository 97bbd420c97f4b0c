"""Two-way selection rounds: the matching recomputed from the round's logged inputs with
``gongxin.matching.core`` (the product's algorithm) and checked stable (``verify_round``)."""

from __future__ import annotations

from gongxin.matching import core

from .engine import DIFFERS, EQUAL, subject_id


class Matching:
    def __init__(self, out):
        self.out = out

    def handlers(self):
        return {"matching.round.closed": self.closed}

    def closed(self, seq, env):
        p = env["payload"]
        problems = core.verify_round(p["inputs"], p["outputs"])
        self.out.add("matching", f"matching round {subject_id(env)}", seq, DIFFERS if problems else EQUAL,
                     "; ".join(problems))

    def finish(self):
        pass
