"""Decision meetings (R15): quorum, each candidate's agree / disagree / defer and the pass
rule, recomputed with ``gongxin.cases.decision_core`` (the product's own arithmetic) from the
roster, the attendance and the stances recorded in earlier events, under the R15 parameters the
decision event names from the case's frozen rule set; then who takes the places.

Decision events are not public: an auditor bundle replays them, a public bundle has only their
leaf hashes."""

from __future__ import annotations

from gongxin.cases import decision_core

from .engine import DIFFERS, NOT_REPLAYABLE, subject_id

CHOICES = ("agree", "disagree", "defer")


class Decisions:
    def __init__(self, out):
        self.out = out
        self.state: dict[str, dict] = {}

    def handlers(self):
        return {"cases.decision_meeting.created": self.created,
                "cases.decision_meeting.attendance_recorded": self.attendance,
                "cases.decision_meeting.votes_recorded": self.votes,
                "cases.decision_meeting.stance_recorded": self.stance,
                "cases.decision_meeting.counts_recorded": self.counts,
                "cases.decision.taken": self.taken,
                "cases.decision_meeting.not_held": self.not_held}

    def _of(self, env) -> dict:
        return self.state.setdefault(subject_id(env), {"members": None, "present": [], "votes": {}, "counts": {}})

    def created(self, seq, env):
        st = self._of(env)
        st["members"] = [str(m) for m in env["payload"]["members"]]
        st["mode"] = env["payload"].get("mode", "open")

    def attendance(self, seq, env):
        st = self._of(env)
        st["present"] = [str(m) for m in env["payload"]["present"]]
        here = set(st["present"])
        for stances in st["votes"].values():   # an absent member's stances are withdrawn
            for member in [m for m in stances if m not in here]:
                del stances[member]

    def votes(self, seq, env):
        p = env["payload"]
        stances = self._of(env)["votes"].setdefault(str(p["candidate"]), {})
        for member, choice in p["choices"].items():
            if choice:
                stances[str(member)] = choice

    def stance(self, seq, env):
        p = env["payload"]
        self._of(env)["votes"].setdefault(str(p["candidate"]), {})[str(p["member"])] = p["choice"]

    def counts(self, seq, env):
        p = env["payload"]
        self._of(env)["counts"][str(p["candidate"])] = (int(p["agree"]), int(p["disagree"]), int(p["defer"]))

    def finish(self):
        self.state.clear()

    def _inputs(self, seq, env, what):
        meeting = subject_id(env)
        st = self.state.pop(meeting, None)
        name = f"decision meeting {meeting}"
        rule = env["payload"].get("rule")
        if st is None or st["members"] is None:
            self.out.add(what, name, seq, NOT_REPLAYABLE, "the bundle lacks the meeting's roster event")
            return None
        if not rule or "parameters" not in rule:
            self.out.add(what, name, seq, NOT_REPLAYABLE, "the event names no R15 parameters (recorded before replay existed)")
            return None
        return name, st, rule["parameters"]

    def not_held(self, seq, env):
        got = self._inputs(seq, env, "decision quorum")
        if got is None:
            return
        name, st, r15 = got
        p = env["payload"]
        members, present = st["members"], set(st["present"]) & set(st["members"])
        met = decision_core.quorum_met(len(members), len(present), r15.get("quorum", "2/3"))
        # the event itself says the meeting was not held: R15 must give no quorum
        self.out.compare("decision quorum", name, seq,
                         {"held": False, "members": p.get("members"), "present": p.get("present"),
                          "quorum_met": p.get("quorum_met")},
                         {"held": met, "members": len(members), "present": len(present), "quorum_met": met})

    def taken(self, seq, env):
        got = self._inputs(seq, env, "decision")
        if got is None:
            return
        name, st, r15 = got
        p = env["payload"]
        rows = p.get("candidates", [])
        candidates = [str(r["candidate"]) for r in rows]
        recused = {str(r["candidate"]): set(map(str, r.get("recused") or {})) for r in rows}
        kwargs = {}
        if p.get("mode", st.get("mode")) == "secret":
            kwargs["secret_counts"] = st["counts"]
        else:
            kwargs["votes"] = st["votes"]
        result = decision_core.tally(members=st["members"], present=st["present"], candidates=candidates,
                                     recused=recused, quorum=r15.get("quorum", "2/3"), threshold=r15.get("pass", "1/2"),
                                     pass_base=r15.get("pass_base", "expected"), **kwargs)
        # who takes the places: passed the vote and the re-check, most agree votes first (ties:
        # lower candidate number), each post's places, then any place left for a candidate without a post
        if p.get("places") is None:
            self.out.add("decision", name, seq, NOT_REPLAYABLE, "the event names no places (recorded before replay existed)")
            return
        places = {str(post): int(n) for post, n in p["places"]}   # [[post, places], …] in the case's order
        eligible = {str(r["candidate"]): bool(r.get("eligible")) for r in rows}
        post_of = {str(r["candidate"]): (None if r.get("post") is None else str(r["post"])) for r in rows}
        selected = decision_core.fill_places([tc for tc in result.candidates if tc.passed and eligible[tc.candidate]],
                                             places, post_of)
        fields = ("agree", "disagree", "defer", "not_voted", "base", "needed")
        recorded = {"members": p.get("members"), "present": p.get("present"), "quorum_met": p.get("quorum_met"),
                    "present_names": sorted(p.get("present_names") or []),
                    "candidates": [{**{f: r.get(f) for f in fields}, "candidate": str(r["candidate"]),
                                    "vote_passed": r.get("vote_passed"), "passed": r.get("passed")} for r in rows]}
        replayed = {"members": result.members, "present": result.present, "quorum_met": result.quorum_met,
                    "present_names": sorted(set(st["present"]) & set(st["members"])),
                    "candidates": [{**{f: getattr(tc, f) for f in fields}, "candidate": tc.candidate,
                                    "vote_passed": tc.passed, "passed": tc.candidate in selected}
                                   for tc in result.candidates]}
        if not result.quorum_met and rows:
            self.out.add("decision", name, seq, DIFFERS, "a decision is recorded but the replayed attendance has no quorum")
            return
        self.out.compare("decision", name, seq, recorded, replayed)
