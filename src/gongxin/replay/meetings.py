"""Recommendation meetings: the tally and the slates, recounted from the ballot list published
in the ledger and the seed committed before voting, with ``gongxin.meetings.tally`` — the very
module the product counts with and ``python -m gongxin.recount`` recounts with.

Events: ``meetings.meeting.opened`` (posts, k, rules, candidates, expected, seed hash),
``.closed`` (accounting, tally, ballot list hash), ``meetings.seed.revealed`` (seed, slates),
``meetings.meeting.published`` (the shuffled ballot list, nominees)."""

from __future__ import annotations

from gongxin.meetings import tally as t
from gongxin.meetings.rating import split_rules

from .engine import NOT_REPLAYABLE, subject_id

LIST_MODE = "list"
RATING_MODE = "rating"   # a rating survey (民主评议, 群众评议): options per item, no seed, no slate


class Meetings:
    def __init__(self, out):
        self.out = out
        self.state: dict[str, dict] = {}

    def handlers(self):
        return {"meetings.meeting.opened": self.opened, "meetings.meeting.closed": self.closed,
                "meetings.seed.revealed": self.revealed, "meetings.meeting.published": self.published}

    def _of(self, env) -> dict:
        return self.state.setdefault(subject_id(env), {})

    def opened(self, seq, env):
        self._of(env)["opened"] = env["payload"]

    def closed(self, seq, env):
        self._of(env)["closed"] = (seq, env["payload"])

    def revealed(self, seq, env):
        self._of(env)["revealed"] = (seq, env["payload"])

    def published(self, seq, env):
        meeting = subject_id(env)
        st = self.state.pop(meeting, {})
        st["published"] = (seq, env["payload"])
        self._replay(meeting, st)

    def finish(self):
        for meeting, st in self.state.items():
            if "closed" in st:
                seq, _payload = st["closed"]
                self.out.add("meeting tally", f"meeting {meeting}", seq, NOT_REPLAYABLE,
                             "the ballots are not published yet")
        self.state.clear()

    def _replay(self, meeting: str, st: dict) -> None:
        name = f"meeting {meeting}"
        pub_seq, pub = st["published"]
        opened, closed, revealed = st.get("opened"), st.get("closed"), st.get("revealed")
        if opened is not None and opened.get("mode") == RATING_MODE:
            self._replay_rating(name, st)
            return
        missing = [w for w, v in (("opening", opened), ("closing", closed), ("seed", revealed)) if v is None]
        if missing or pub.get("ballots") is None:
            why = ("the bundle lacks the meeting's " + ", ".join(missing) + " event" if missing
                   else "the published event carries no ballot list (recorded before replay existed)")
            self.out.add("meeting tally", name, closed[0] if closed else pub_seq, NOT_REPLAYABLE, why)
            return
        closed_seq, closed = closed
        revealed_seq, revealed = revealed
        ballots = [str(b) for b in pub["ballots"]]
        posts = [t.PostSpec(key=str(p["key"]), title=p.get("title", ""), k=int(p["k"])) for p in opened["posts"]]
        rules = t.Rules.from_dict(opened["rules"])
        allowed = None
        if opened.get("mode") == LIST_MODE:
            allowed = {p.key: set() for p in posts}
            for key, people in (opened.get("candidates") or {}).items():
                allowed.setdefault(str(key), set()).update(str(c["id"]) for c in people)
        seed = revealed.get("seed")
        if not t.check_seed(str(seed), str(opened.get("seed_hash", ""))):
            self.out.add("meeting seed", name, revealed_seq, "differs",
                         "the revealed seed does not match the hash committed at opening")
            return
        res = t.result(posts=posts, ballots=ballots, rules=rules, expected=int(opened["expected"]),
                       present=int(closed["accounting"]["present"]), seed=seed, allowed=allowed)
        before_seed = {**res, "posts": [{k: v for k, v in p.items() if k != "slate"} for p in res["posts"]]}
        self.out.compare("meeting tally", name, closed_seq, closed.get("tally"), before_seed)
        self.out.compare("meeting slate", name, revealed_seq,
                         {"valid": revealed.get("valid"), "slates": revealed.get("slates")},
                         {"valid": res["valid"], "slates": {p["key"]: p.get("slate") for p in res["posts"]}})
        nominees = []
        for spec, entry in zip(posts, res["posts"], strict=True):
            slate = entry.get("slate") or {}
            for cand in slate.get("nominees", []):
                nominees.append({"post": spec.key, "post_title": spec.title, "cadre": int(cand),
                                 "votes": entry["votes"][cand], "valid": entry["valid"],
                                 "share": entry["shares"][cand], "competitive": slate["competitive"]})
        recorded = [{k: v for k, v in n.items() if k != "name"} for n in pub.get("nominees", [])]
        self.out.compare("meeting nominees", name, pub_seq,
                         {"ballots_sha256": pub.get("ballots_sha256"), "valid": pub.get("valid"), "nominees": recorded},
                         {"ballots_sha256": res["ballots_sha256"], "valid": res["valid"], "nominees": nominees})

    def _replay_rating(self, name: str, st: dict) -> None:
        """A rating survey: each item's votes are option keys, counted like a post's names; it
        commits no seed and nominates no one, so the tally and the published figures are all
        there is to recount."""
        pub_seq, pub = st["published"]
        opened, closed = st["opened"], st.get("closed")
        if closed is None or pub.get("ballots") is None:
            why = ("the bundle lacks the meeting's closing event" if closed is None
                   else "the published event carries no ballot list (recorded before replay existed)")
            self.out.add("meeting tally", name, closed[0] if closed else pub_seq, NOT_REPLAYABLE, why)
            return
        closed_seq, closed = closed
        ballots = [str(b) for b in pub["ballots"]]
        posts = [t.PostSpec(key=str(p["key"]), title=p.get("title", ""), k=int(p["k"])) for p in opened["posts"]]
        allowed = {str(p["key"]): {str(o["key"]) for o in p.get("options") or ()} for p in opened["posts"]}
        res = t.result(posts=posts, ballots=ballots, rules=t.Rules.from_dict(split_rules(opened["rules"])[0]),
                       expected=int(opened["expected"]), present=int(closed["accounting"]["present"]), allowed=allowed)
        self.out.compare("meeting tally", name, closed_seq, closed.get("tally"), res)
        self.out.compare("meeting nominees", name, pub_seq,
                         {"ballots_sha256": pub.get("ballots_sha256"), "valid": pub.get("valid"),
                          "nominees": pub.get("nominees", [])},
                         {"ballots_sha256": res["ballots_sha256"], "valid": res["valid"], "nominees": []})
