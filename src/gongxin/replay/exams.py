"""Exam rankings: each published result (the public ``exams.results.published`` event) ranked
again from its own scores, weights and declared tie order with ``gongxin.exams.ranking`` — the
product's own arithmetic — and the candidates for inspection cut again at the ratio. What is
compared, per registrant in the final ranking: the weighted total, the rank and whether they
went on to inspection, and the note (shared rank, or the tie key that decided) when the
payload carries it as a code or as the Chinese text results were published with before."""

from __future__ import annotations

from gongxin.exams import ranking

COMPONENTS = ("written", "interview")
IN_FINAL = ("for_inspection", "not_selected")   # who was ranked on the weighted total


class Exams:
    def __init__(self, out):
        self.out = out

    def handlers(self):
        return {"exams.results.published": self.published}

    def published(self, seq, env):
        p = env["payload"]
        name = f"exam {env['subject']['id']}"
        weights = [ranking.parse_weight(p["weights"][c]) for c in COMPONENTS]
        tie_names = [c for c in p.get("tie_order", []) if c in COMPONENTS]
        tie_order = [COMPONENTS.index(c) for c in tie_names]
        cuts = {c["post"]: c for c in p.get("inspection_cut", [])}
        recorded, replayed = {}, {}
        by_post: dict[str, list[dict]] = {}
        for row in p["results"]:
            if row.get("outcome") in IN_FINAL:
                by_post.setdefault(row["post"], []).append(row)
        for post, rows in by_post.items():
            columns = [[ranking.parse_score(r[c]) for r in rows] for c in COMPONENTS]
            ranked = ranking.rank(columns, weights, tie_order)
            cut = cuts.get(post)
            chosen = set(ranking.cut(ranked, int(cut["posts"]), int(cut["ratio"])).selected) if cut else set()
            for r in ranked:
                row = rows[r.index]
                key = f"{post}/{row['ticket']}"
                recorded[key] = [row["total"], row["rank"], row["outcome"]]
                replayed[key] = [ranking.show(r.total), r.rank,
                                 "for_inspection" if r.index in chosen else "not_selected"]
                note = ranking.note_code(row.get("note") or "")
                if ranking.is_note_code(note):  # (text in another language is not compared)
                    recorded[key].append(note)
                    replayed[key].append(ranking.note(r, tie_names))
        self.out.compare("exam ranking", name, seq, recorded, replayed)

    def finish(self):
        pass
