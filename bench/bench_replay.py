"""Replay benchmark (issue 21): ``python bench/run.py replay`` or ``python bench/bench_replay.py``.

The offline verifier on one auditor bundle — the demo ledger plus N synthetic events, M
recommendation meetings (B ballots each) and D decisions among them, and P publicity notices —
with replay (``python -m gongxin.verify``) against the plain tree and signature check of the
same bundle (``--no-replay``) in the same run. Each measurement is a fresh interpreter (its
peak memory is its own); the two are interleaved over ROUNDS rounds, alternating which goes
first, and the median of the per-round ratios is reported. Target: replay adds at most 50%.

Environment: BENCH_REPLAY_EVENTS (default 1000000), BENCH_REPLAY_MEETINGS (1000),
BENCH_REPLAY_DECISIONS (10000), BENCH_REPLAY_NOTICES (1000), BENCH_REPLAY_BALLOTS (200),
BENCH_REPLAY_ROUNDS (3), BENCH_REPLAY_DEMO (a built demo's data folder to reuse; by default a
small demo is built in a temporary folder, which takes minutes)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

from gongxin.cases import decision_core  # noqa: E402
from gongxin.ledger import note  # noqa: E402
from gongxin.ledger.canonical import canonical_json  # noqa: E402
from gongxin.ledger.merkle import Frontier  # noqa: E402
from gongxin.meetings import tally  # noqa: E402
from gongxin.publicity import workdays  # noqa: E402
from gongxin.replay import publicity as replay_publicity  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _child import interleaved, scope  # noqa: E402

N_EVENTS = int(os.environ.get("BENCH_REPLAY_EVENTS", 1_000_000))
N_MEETINGS = int(os.environ.get("BENCH_REPLAY_MEETINGS", 1_000))
N_DECISIONS = int(os.environ.get("BENCH_REPLAY_DECISIONS", 10_000))
N_NOTICES = int(os.environ.get("BENCH_REPLAY_NOTICES", 1_000))
N_BALLOTS = int(os.environ.get("BENCH_REPLAY_BALLOTS", 200))
ROUNDS = int(os.environ.get("BENCH_REPLAY_ROUNDS", 3))
DEMO = os.environ.get("BENCH_REPLAY_DEMO")

CHILD = r"""
import json, sys, time
from gongxin.verify import verify_bundle
started = time.perf_counter()
result = verify_bundle(sys.argv[1], replay_results=sys.argv[2] == "replay")
elapsed = time.perf_counter() - started
replayed = result["replay"] or []
# VmHWM: this fresh interpreter's own peak (ru_maxrss would carry the parent's over fork + exec)
peak = next(int(line.split()[1]) / 1024 for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"elapsed": elapsed, "peak_mb": peak, "size": result["size"], "replayed": len(replayed),
                  "equal": sum(1 for r in replayed if r.status == "equal")}))
"""
FILLER_TEXT = "谈话对象反映该同志工作扎实，能够深入基层一线，群众基础较好，但在统筹协调方面还需加强。"
FILLER_KINDS = ("inspection.interview.recorded", "people.cadre.updated", "reserve.attendance.recorded",
                "inspection.tracking_record.added")


def _envelope(seq: int, kind: str, subject: tuple[str, int], payload: dict, when: str) -> bytes:
    return canonical_json({"seq": seq, "kind": kind, "subject": {"type": subject[0], "id": str(subject[1])},
                           "actor": {"id": 2, "name": "clerk"}, "time": when, "payload": payload})


def _meeting(rng: random.Random, m: int) -> list[tuple[str, tuple, dict]]:
    seed = f"bench-seed-{m:08d}-{rng.getrandbits(32):08x}"
    posts = [tally.PostSpec("p1", "镇长", 1), tally.PostSpec("p2", "副镇长", 2)]
    rules = tally.Rules()
    pool = [str(900_000 + m * 10 + i) for i in range(8)]
    ballots = []
    for _ in range(N_BALLOTS):
        first = rng.choice(pool[:4]) if rng.random() < 0.95 else ""
        second = ",".join(sorted(set(rng.sample(pool[3:], 2))))
        ballots.append(f"{first}|{second}")
    res = tally.result(posts=posts, ballots=ballots, rules=rules, expected=N_BALLOTS + 10, present=N_BALLOTS, seed=seed)
    closed = {**res, "posts": [{k: v for k, v in p.items() if k != "slate"} for p in res["posts"]]}
    slates = {p["key"]: p["slate"] for p in res["posts"]}
    nominees = [{"post": spec.key, "post_title": spec.title, "cadre": int(c), "name": "候选人", "votes": e["votes"][c],
                 "valid": e["valid"], "share": e["shares"][c], "competitive": e["slate"]["competitive"]}
                for spec, e in zip(posts, res["posts"], strict=True) for c in (e.get("slate") or {}).get("nominees", [])]
    subject = ("meetings.meeting", 100_000 + m)
    return [
        ("meetings.meeting.opened", subject, {
            "title": f"推荐会议{m}", "mode": "open", "rules": rules.to_dict(), "seed_hash": tally.seed_hash(seed),
            "posts": [{"key": p.key, "title": p.title, "k": p.k, "post": None} for p in posts], "candidates": {},
            "expected": N_BALLOTS + 10}),
        ("meetings.meeting.closed", subject, {"accounting": {"present": N_BALLOTS}, "tally": closed,
                                              "ballots_sha256": res["ballots_sha256"]}),
        ("meetings.seed.revealed", subject, {"seed": seed, "seed_hash": tally.seed_hash(seed), "valid": res["valid"],
                                             "slates": slates}),
        ("meetings.meeting.published", subject, {"ballots": ballots, "ballots_sha256": res["ballots_sha256"],
                                                 "nominees": nominees, "valid": res["valid"]}),
    ]


def _decision(rng: random.Random, d: int) -> list[tuple[str, tuple, dict]]:
    members = [f"委员{i:02d}" for i in range(11)]
    present = members[: rng.randint(8, 11)]
    subject = ("cases.decisionmeeting", 100_000 + d)
    cand, post = 500_000 + d * 2, 700_000 + d
    choices = {m: rng.choice(("agree", "agree", "agree", "disagree", "defer")) for m in present}
    r15 = {"quorum": "2/3", "pass": "1/2", "pass_base": "expected"}
    result = decision_core.tally(members=members, present=present, candidates=[str(cand)], votes={str(cand): choices},
                                 quorum=r15["quorum"], threshold=r15["pass"])
    t = result.candidates[0]
    rows = [{**t.as_dict(), "candidate": cand, "name": "候选人", "post": post, "eligible": True,
             "passed": t.passed, "vote_passed": t.passed, "eligibility_failed": [], "recused": {}}]
    return [
        ("cases.decision_meeting.created", subject, {"case": d, "title": "常委会", "held_on": "2026-03-01",
                                                     "mode": "open", "members": members}),
        ("cases.decision_meeting.attendance_recorded", subject, {"members": len(members), "present": present,
                                                                 "absent": {m: "出差" for m in members[len(present):]}}),
        ("cases.decision_meeting.votes_recorded", subject, {"candidate": cand, "name": "候选人", "choices": choices}),
        ("cases.decision.taken", subject, {
            "case": d, "members": result.members, "present": result.present, "quorum": "2/3",
            "quorum_met": result.quorum_met, "mode": "open", "candidates": rows, "present_names": present,
            "absent": {m: "出差" for m in members[len(present):]},
            "rule": {"code": "R15", "rule_set": {"jurisdiction": "county", "version": 1}, "parameters": r15},
            "places": [[post, 1]]}),
    ]


def _notice(rng: random.Random, k: int, lookup) -> list[tuple[str, tuple, dict]]:
    start = dt.date(2024, 1, 2) + dt.timedelta(days=rng.randrange(900))
    period = workdays.period_end(start, 5, lookup)
    return [("publicity.notice.published", ("publicity.notice", 100_000 + k), {
        "kind": "pre_appointment", "title": f"任前公示{k}", "body": "经研究，拟任用以下同志。现予公示。",
        "org_unit": "县委组织部", "period_start": start, "period_end": period.end, "working_days": 5,
        "rule": "R17", "name_order": "surname", "entries": [{"name": "张三", "proposed_post": "镇长"}]})]


def build_bundle(demo_dir: Path, out: Path) -> dict:
    """The demo's auditor bundle, then the synthetic events, then one checkpoint over all, signed
    with the demo's own key."""
    demo_bundle = demo_dir / "bench-auditor.jsonl"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(GONGXIN_DATA_DIR=str(demo_dir), DATABASE_URL=f"sqlite:///{demo_dir / 'db.sqlite3'}",
               PYTHONPATH=str(SRC))
    subprocess.run([sys.executable, "-m", "gongxin", "ledger", "export", str(demo_bundle), "--audience", "auditor"],
                   env=env, check=True, capture_output=True, cwd=demo_dir)
    lines = demo_bundle.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    checkpoints = [ln for ln in lines if ln.startswith('{"type":"checkpoint"')]
    demo_events = [ln for ln in lines if ln.startswith('{"type":"event"')]
    base = len(demo_events)
    rng = random.Random(2026)
    lookup = replay_publicity.calendar_lookup(replay_publicity.load_calendar())
    special: list[list] = ([_meeting(rng, m) for m in range(N_MEETINGS)] + [_decision(rng, d) for d in range(N_DECISIONS)]
                           + [_notice(rng, k, lookup) for k in range(N_NOTICES)])
    n_special = sum(len(s) for s in special)
    if n_special > N_EVENTS:
        raise SystemExit(f"{N_EVENTS} synthetic events cannot hold {n_special} meeting/decision/notice events")
    # spread each group's events evenly among the filler
    starts = sorted(rng.sample(range(N_EVENTS - 4), len(special)))
    at: dict[int, list] = {}
    for pos, group in zip(starts, special, strict=True):
        at.setdefault(pos, []).append(group)
    queue: list = []
    seq = base
    frontier = Frontier()
    for ln in demo_events:
        frontier.append(bytes.fromhex(json.loads(ln)["leaf_hash"]))
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode((demo_dir / "ledger_ed25519.key").read_text().strip()))
    when = "2026-06-01T08:00:00+00:00"
    with out.open("w", encoding="utf-8") as fh:
        header["size"] = base + N_EVENTS
        fh.write(json.dumps(header, ensure_ascii=False, separators=(",", ":")) + "\n")
        # checkpoints go first; the new one is appended once the tree is known, so write events to a side file
        events_path = out.with_suffix(".events")
        with events_path.open("w", encoding="utf-8") as ev:
            for ln in demo_events:
                ev.write(ln + "\n")
            for i in range(N_EVENTS):
                for group in at.pop(i, []):
                    queue.extend(group)
                if queue:
                    kind, subject, payload = queue.pop(0)
                else:
                    kind = FILLER_KINDS[i % len(FILLER_KINDS)]
                    subject = (kind.rsplit(".", 1)[0], i)
                    payload = {"cadre": 10_000 + i % 5000, "text": FILLER_TEXT, "place": "李庄镇", "n": i}
                data = _envelope(seq, kind, subject, payload, when)
                leaf = hashlib.sha256(b"\x00" + data).digest()
                ev.write(json.dumps({"type": "event", "seq": seq, "leaf_hash": leaf.hex(), "data": data.decode()},
                                    ensure_ascii=False, separators=(",", ":")) + "\n")
                frontier.append(leaf)
                seq += 1
        if queue:
            raise SystemExit("synthetic events left over: raise BENCH_REPLAY_EVENTS")
        size = seq
        signed = note.sign(note.checkpoint_body(header["origin"], size, frontier.root()), header["key_name"], key)
        for ln in checkpoints:
            fh.write(ln + "\n")
        fh.write(json.dumps({"type": "checkpoint", "note": signed, "reason": "bench"}, ensure_ascii=False,
                            separators=(",", ":")) + "\n")
        with events_path.open(encoding="utf-8") as ev:
            shutil.copyfileobj(ev, fh, 1 << 20)
        events_path.unlink()
        fh.write(json.dumps({"type": "end", "events": size}) + "\n")
    return {"demo_events": base, "size": size, "special": n_special, "bytes": out.stat().st_size}


def _measure(bundle: Path, mode: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", CHILD, str(bundle), mode], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"the {mode} verifier failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _build_demo(where: Path) -> Path:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(GONGXIN_DATA_DIR=str(where), DATABASE_URL=f"sqlite:///{where / 'db.sqlite3'}", PYTHONPATH=str(SRC),
               GONGXIN_LEDGER_ORIGIN="bench.gongxin.example/ledger")
    subprocess.run([sys.executable, "-m", "gongxin", "demo", "--build-only", "--size", "small"], env=env, check=True,
                   capture_output=True, cwd=where)
    return where


def main(report=None) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-replay-"))
    try:
        started = time.perf_counter()
        demo_dir = Path(DEMO) if DEMO else _build_demo(tmp)
        built_demo = time.perf_counter() - started
        bundle = tmp / f"replay-{os.getpid()}.jsonl"
        started = time.perf_counter()
        info = build_bundle(demo_dir, bundle)
        built = time.perf_counter() - started
        scope(f"offline verifier on one auditor bundle = demo ledger ({info['demo_events']} events) + "
              f"{N_EVENTS:,} synthetic events ({N_MEETINGS:,} meetings × {N_BALLOTS} ballots, {N_DECISIONS:,} decisions, "
              f"{N_NOTICES:,} publicity notices, the rest filler); {info['bytes'] / 1e6:.0f} MB; replay vs --no-replay, "
              f"fresh process each (its own VmHWM), {ROUNDS} interleaved rounds (order alternating), median "
              f"per-round ratio; Python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f} (shared "
              f"machine); demo {built_demo:.0f} s, bundle {built:.0f} s")
        runs: dict[str, list[dict]] = {"plain": [], "replay": []}

        def side(mode):
            def run():
                got = _measure(bundle, mode)
                runs[mode].append(got)
                return got["elapsed"]  # the verifier's own time, without the interpreter's start-up
            return run

        _base, _full, ratio = interleaved(side("plain"), side("replay"), rounds=ROUNDS)
        plain, full = runs["plain"], runs["replay"]
        for r, (p, f) in enumerate(zip(plain, full, strict=True)):
            print(f"  round {r + 1}: tree only {p['elapsed']:.2f} s ({p['peak_mb']:.0f} MB), "
                  f"with replay {f['elapsed']:.2f} s ({f['peak_mb']:.0f} MB), ratio {f['elapsed'] / p['elapsed']:.3f}; "
                  f"replayed {f['replayed']} results, {f['equal']} equal", flush=True)
        median_plain = statistics.median(p["elapsed"] for p in plain)
        median_full = statistics.median(p["elapsed"] for p in full)
        print(f"median: tree only {median_plain:.2f} s, with replay {median_full:.2f} s, median ratio {ratio:.3f} "
              f"(replay adds {100 * (ratio - 1):.1f}%; target ≤ 50%); peak memory tree only "
              f"{max(p['peak_mb'] for p in plain):.0f} MB, with replay {max(p['peak_mb'] for p in full):.0f} MB", flush=True)
        if report:
            report("verify with replay", median_full, "s", "tree and signatures only", median_plain,
                   note=f"median per-round ratio {ratio:.3f} over {ROUNDS} interleaved rounds (target ≤ 1.5)")
            report("verify with replay, peak memory", max(p["peak_mb"] for p in full), "MB",
                   "tree only, peak memory", max(p["peak_mb"] for p in plain))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    from run import main as run_main

    sys.exit(run_main(["replay"]))
