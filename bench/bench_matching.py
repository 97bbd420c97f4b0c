"""Two-way selection at scale: 50,000 staff × 2,000 sections (staff lists of 5–20 sections),
gongxin.matching.core (validation + staff-optimal deferred acceptance + certificate + why-not
lines) against a plain deferred-acceptance loop, interleaved over several rounds, and against the
`matching` package (1.4.3, test extra) once, on the same instance, checked identical.

    python bench/run.py matching                      # full size; the package alone takes many minutes
    python bench/bench_matching.py --quick            # 5,000 × 200, a few seconds
    python bench/bench_matching.py --no-package       # skip the package

The package gets the same game over mutually acceptable pairs only (prepared outside its timing;
no stable matching changes), because its own clean-up (clean=True) is quadratic and would be
most of its time. The instance: each staff member ranks 5–20 distinct sections at random (a few popular sections
weigh more); each section ranks a shuffled 90 % of the staff who ranked it (the rest it does not
accept); headcounts 15–30 (total headcount ≈ 0.9 × staff). Memory: each side's peak resident
size in a fresh process (VmHWM), measured by running this file with --child."""

import gc
import json
import random
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from gongxin.matching.core import Instance, staff_optimal  # noqa: E402

FULL = (50_000, 2_000)
QUICK = (5_000, 200)
ROUNDS = 5


def make_instance(n_staff: int, n_sections: int, seed: int = 20261206):
    rng = random.Random(seed)
    sections = [f"s{j}" for j in range(n_sections)]
    weights = [3 if j % 10 == 0 else 1 for j in range(n_sections)]
    staff = {}
    for i in range(n_staff):
        k = rng.randint(5, 20)
        picks = []
        seen = set()
        while len(picks) < k:
            s = rng.choices(sections, weights)[0] if rng.random() < 0.3 else sections[rng.randrange(n_sections)]
            if s not in seen:
                seen.add(s)
                picks.append(s)
        staff[f"p{i}"] = picks
    applicants = {s: [] for s in sections}
    for p, lst in staff.items():
        for s in lst:
            applicants[s].append(p)
    section_prefs = {}
    for s, lst in applicants.items():
        rng.shuffle(lst)
        section_prefs[s] = lst[: max(0, int(len(lst) * 0.9))]
    scale = n_staff / n_sections / 25   # 1 at both sizes below: headcount ≈ 0.9 × staff
    capacity = {s: max(1, round(rng.randint(15, 30) * scale)) for s in sections}
    return staff, section_prefs, capacity


def plain_da(staff, section_prefs, capacity):
    """The textbook loop: rank tables, a free list, each section's held list, evict the worst."""
    rank = {s: {p: i for i, p in enumerate(lst)} for s, lst in section_prefs.items()}
    held = {s: [] for s in capacity}
    nxt = dict.fromkeys(staff, 0)
    free = list(staff)
    while free:
        p = free.pop()
        lst = staff[p]
        while nxt[p] < len(lst):
            s = lst[nxt[p]]
            nxt[p] += 1
            r = rank[s].get(p)
            if r is None:
                continue
            h = held[s]
            if len(h) < capacity[s]:
                h.append(p)
                break
            worst = max(h, key=rank[s].__getitem__)
            if rank[s][worst] > r:
                h.remove(worst)
                h.append(p)
                free.append(worst)
                break
    out = dict.fromkeys(staff)
    for s, h in held.items():
        for p in h:
            out[p] = s
    return out


def product(staff, section_prefs, capacity):
    inst = Instance.checked(staff, section_prefs, capacity)
    result = staff_optimal(inst)
    assert result.certificate["stable"], "certificate failed"
    return result.matching


def mutual(staff, section_prefs, capacity):
    """The same game over mutually acceptable pairs only (no stable matching changes): the form
    the package accepts without its own clean-up, whose membership tests over Player lists are
    quadratic and would dominate its time."""
    listed = {(p, s) for p, lst in staff.items() for s in lst}
    prefs = {s: [p for p in lst if (p, s) in listed] for s, lst in section_prefs.items()}
    ranked = {(p, s) for s, lst in prefs.items() for p in lst}
    people = {p: [s for s in lst if (p, s) in ranked] for p, lst in staff.items()}
    people = {p: lst for p, lst in people.items() if lst}
    prefs = {s: lst for s, lst in prefs.items() if lst}
    return people, prefs, {s: capacity[s] for s in prefs}


def package(staff, section_prefs, capacity):
    """matching 1.4.3's HospitalResident, resident-optimal, on the mutual form (prepared outside
    the timing by the caller)."""
    from matching.games import HospitalResident

    sys.setrecursionlimit(1_000_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(staff, section_prefs, capacity)
        solution = game.solve(optimal="resident")
    out = dict.fromkeys(staff)
    for h, residents in solution.items():
        for r in residents:
            out[r.name] = h.name
    return out


def _timed(fn, *args):
    gc.collect()
    t = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t, out


def _peak_mb(which: str, size: tuple[int, int]) -> float:
    out = subprocess.run([sys.executable, __file__, "--child", which, str(size[0]), str(size[1])],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["peak_mb"]


def _child(which: str, n: int, m: int) -> None:
    import threading  # noqa: F401  (keeps the child's import set like the parent's)

    inst = make_instance(n, m)
    Path("/proc/self/clear_refs").write_text("5")
    if which == "package":
        inst = mutual(*inst)
    {"product": product, "plain": plain_da, "package": package}[which](*inst)
    peak = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    print(json.dumps({"peak_mb": peak}))


def main(report, size=FULL, with_package=True, rounds=ROUNDS):
    n, m = size
    t = time.perf_counter()
    inst = make_instance(n, m)
    print(f"  instance {n:,} staff × {m:,} sections, {sum(map(len, inst[0].values())):,} staff-list entries, "
          f"headcount {sum(inst[2].values()):,} (built in {time.perf_counter() - t:.1f} s)", flush=True)
    ours, plain = [], []
    reference = None
    for _ in range(rounds):   # interleaved: plain, product, plain, product...
        dt_plain, m_plain = _timed(plain_da, *inst)
        dt_ours, m_ours = _timed(product, *inst)
        assert m_ours == m_plain, "product and plain loop disagree"
        reference = m_ours
        plain.append(dt_plain)
        ours.append(dt_ours)
    ratios = [o / p for o, p in zip(ours, plain, strict=True)]
    matched = sum(1 for s in reference.values() if s is not None)
    report("staff-optimal + certificate + why-not (median)", statistics.median(ours), "s",
           "plain deferred-acceptance loop", statistics.median(plain),
           note=f"median of per-round ratios {statistics.median(ratios):.2f}×; {matched:,} matched; identical")
    report("peak memory, fresh process", _peak_mb("product", size), "MB", "plain loop", _peak_mb("plain", size))
    if with_package:
        if size == FULL:
            print("  the matching package at full size: many minutes (its proposals scan the sections' lists)...", flush=True)
        dt_pkg, m_pkg = _timed(package, *mutual(*inst))
        m_pkg = {p: m_pkg.get(p) for p in reference}   # staff with no mutual pair: unmatched
        assert m_pkg == reference, "the matching package's resident-optimal solution differs"
        report("staff-optimal + certificate (median)", statistics.median(ours), "s",
               "matching 1.4.3 HospitalResident (resident-optimal, once)", dt_pkg,
               note=f"identical result; package / product = {dt_pkg / statistics.median(ours):.0f}×")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--child":
        _child(args[1], int(args[2]), int(args[3]))
        raise SystemExit(0)

    def _print(figure, value, unit, baseline_name=None, baseline_value=None, note=""):
        ratio = f"   ratio {value / baseline_value:.4f}×" if baseline_value else ""
        base = f"   baseline {baseline_name}: {baseline_value:.4g} {unit}" if baseline_name else ""
        print(f"  {figure}: {value:.4g} {unit}{base}{ratio}   {note}", flush=True)

    main(_print, QUICK if "--quick" in args else FULL, "--no-package" not in args)
