"""Recount a published recommendation or rating meeting: ``python -m gongxin.recount FILE [--json]``.

Standard library only (with ``gongxin.meetings.tally``, itself standard library only), so
anyone can run it on the published ballot file without installing Gongxin's dependencies:
copy ``recount.py`` and ``meetings/tally.py`` (and the empty ``__init__.py`` files) and run it.

It prints the SHA-256 of the file it read, the SHA-256 of the ballot list (compare it with the
ledger's ``meetings.meeting.closed`` event), whether the revealed seed matches the hash
committed before voting, the turnout, and per post the votes, shares and nominated slate; for a
rating meeting (评议, e.g. 一报告两评议) per item the count of each option, the rate
(favourable over valid ballots, 不了解 apart) and whether the item is flagged (``meetings.rating``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from gongxin.meetings import rating as r
from gongxin.meetings import tally as t

FORMAT = "gongxin-ballots/1"


def load(data: bytes) -> dict:
    doc = json.loads(data.decode("utf-8"))
    if doc.get("format") != FORMAT:
        raise ValueError(f"not a Gongxin ballot file (format {doc.get('format')!r}, expected {FORMAT!r})")
    return doc


def is_rating(doc: dict) -> bool:
    return doc.get("meeting", {}).get("mode") == "rating"


def recount(doc: dict) -> dict:
    posts = [t.PostSpec(key=str(p["key"]), title=p.get("title", ""), k=int(p["k"])) for p in doc["posts"]]
    base_rules, flag_rules = r.split_rules(doc["rules"])
    rules = t.Rules.from_dict(base_rules)
    if is_rating(doc):
        allowed = {str(p["key"]): {o.key for o in r.options_from(p["options"])} for p in doc["posts"]}
        res = t.result(posts=posts, ballots=doc["ballots"], rules=rules, expected=int(doc["expected"]),
                       present=int(doc["present"]), allowed=allowed)
        res["items"] = r.rate_result(res, doc["posts"], r.RatingRules.from_dict(flag_rules))
        return res
    allowed = doc.get("allowed")
    allowed_sets = {key: set(map(str, keys)) for key, keys in allowed.items()} if allowed else None
    seed = doc.get("seed")
    if seed is not None and doc.get("seed_hash") and not t.check_seed(seed, doc["seed_hash"]):
        raise ValueError("the revealed seed does not match the hash committed before voting")
    return t.result(posts=posts, ballots=doc["ballots"], rules=rules, expected=int(doc["expected"]),
                    present=int(doc["present"]), seed=seed, allowed=allowed_sets)


def render(doc: dict, res: dict, file_sha: str) -> str:
    names = {str(k): v for k, v in doc.get("candidates", {}).items()}
    meeting = doc.get("meeting", {})
    turn = res["turnout"]
    lines = [
        f"meeting: {meeting.get('title', '')} (#{meeting.get('id', '')})",
        f"input SHA-256:        {file_sha}",
        f"ballot list SHA-256:  {res['ballots_sha256']}",
        f"seed: {'revealed, matches its committed hash' if doc.get('seed') is not None else 'not revealed'}",
        f"turnout: present {turn['present']} of expected {turn['expected']} = {turn['ratio']}"
        f" (required {'≥' if turn['inclusive'] else '>'} {turn['required']}): {'valid' if turn['valid'] else 'NOT VALID'}",
        f"ballots: {res['ballots']}",
    ]
    if "items" in res:
        return "\n".join(lines + _render_items(doc, res)) + "\n"
    for post in res["posts"]:
        lines.append("")
        lines.append(f"post {post['key']} {post['title']} (k = {post['k']}): valid {post['valid']}, "
                     f"invalid {post['invalid']}, blank {post['blank']}")
        for cand, votes in post["votes"].items():
            lines.append(f"  {names.get(cand, cand)} [{cand}]: {votes} {'vote' if votes == 1 else 'votes'}, {t.percent(post['shares'][cand])}")
        slate = post.get("slate")
        if slate:
            kind = "competitive" if slate["competitive"] else "uncontested"
            lines.append(f"  slate ({kind}, {slate['reason']}): "
                         + ", ".join(names.get(c, c) for c in slate["nominees"]))
            for group in slate["ties_broken"]:
                lines.append("  tie broken by the seed among: " + ", ".join(names.get(c, c) for c in group))
    return "\n".join(lines) + "\n"


def _render_items(doc: dict, res: dict) -> list[str]:
    rules = r.RatingRules.from_dict(r.split_rules(doc["rules"])[1])
    lines = [f"flag: unfavourable share {'>' if rules.flag_strict else '≥'} {t.fraction_text(rules.flag_share)}"]
    for item, spec in zip(res["items"], doc["posts"], strict=True):
        labels = {o["key"]: o["label"] for o in spec["options"]}
        lines.append("")
        lines.append(f"item {item['key']} {item['title']}: valid {item['valid']}, blank {item['blank']}, "
                     f"invalid {item['invalid']}")
        for key, n in item["counts"].items():
            lines.append(f"  {labels.get(key, key)} [{key}]: {n}, {r.percent(item['shares'][key])}")
        lines.append(f"  rate (favourable / valid): {r.percent(item['rate'])}; unknown apart: "
                     f"{r.percent(item['unknown_share'])}; unfavourable: {r.percent(item['unfavourable_share'])}"
                     f"{'  FLAGGED' if item['flagged'] else ''}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gongxin.recount",
                                     description="Recount a published Gongxin recommendation meeting.")
    parser.add_argument("file", help="the published ballot file (ballots.json)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    data = Path(args.file).read_bytes()
    file_sha = hashlib.sha256(data).hexdigest()
    try:
        doc = load(data)
        res = recount(doc)
    except (ValueError, KeyError, TypeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(f"input SHA-256: {file_sha}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"input_sha256": file_sha, "result": res}, ensure_ascii=False, indent=1, sort_keys=True))
    else:
        sys.stdout.write(render(doc, res, file_sha))
    return 0


if __name__ == "__main__":
    sys.exit(main())
