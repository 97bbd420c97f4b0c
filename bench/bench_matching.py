"""Two-way selection at scale: 50,000 staff × 2,000 sections (staff lists of 5–20 sections).

Three things run on the same seeded instance in the same process:
- ours: gongxin.matching.core as a round uses it (the rankings checked, staff-optimal deferred
  acceptance, the certificate checked from the inputs, every why-not line);
- a plain deferred-acceptance loop (the textbook one: rank tables, a free list, each section's
  held list, evict the worst with max()), interleaved with ours round by round, the order
  alternating; the figure is the median of the per-round ratios;
- the `matching` package (1.4.3, test extra), HospitalResident resident-optimal, ONCE: at full
  size it takes many minutes, so rounds for the package = 1, and our time beside it is the
  median of our rounds before and after it. Its result is compared with ours for every staff
  member. Its time is reported in two parts, each beside ours: the whole call as a user makes
  it (create_from_dictionaries, whose input checks are quadratic: every ranked player looked up
  in a list of all the others; then solve), which the target is about, since ours includes our
  own input checks; and solve alone (the game built without the checks, outside the timing),
  the package's algorithm against our whole round.

    python bench/run.py matching                  # full size (the package alone: 20-30 min here)
    python bench/bench_matching.py --quick        # 5,000 × 200, under a minute
    python bench/bench_matching.py --no-package   # ours and the plain loop only
    python bench/bench_matching.py --scaling      # the package at 5k, 10k, 20k staff: how the ratio grows

The package gets the same game over mutually acceptable pairs only (prepared outside its timing;
no stable matching changes), because its own clean-up (clean=True) is quadratic and would be
most of its time: this favours the package. The instance: each staff member ranks 5–20 distinct
sections at random (a few popular sections weigh more); each section ranks a shuffled 90 % of
the staff who ranked it (the rest it does not accept); headcounts 15–30 (total ≈ 0.9 × staff).
Times are wall-clock (perf_counter) on a shared machine: the load average is printed beside each
figure. Memory: each side's peak resident size (VmHWM) in a fresh process that builds the
instance, resets the high-water mark, then runs that side (bench/_child.py's peak_rss_mb)."""

import gc
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from _child import peak_rss_mb, scope  # noqa: E402

from gongxin.matching.core import Instance, collector_paused, staff_optimal  # noqa: E402

FULL = (50_000, 2_000)
QUICK = (5_000, 200)
SCALING = ((5_000, 200), (10_000, 400), (20_000, 800))
ROUNDS = 3          # rounds of ours and the plain loop before the package, and as many after
SEED = 20261206


def make_instance(n_staff: int, n_sections: int, seed: int = SEED):
    rng = random.Random(seed)
    sections = [f"s{j}" for j in range(n_sections)]
    # cumulative weights once (choices() would sum 2,000 weights per call): the same draws
    cum_weights = list(itertools.accumulate(3 if j % 10 == 0 else 1 for j in range(n_sections)))
    staff = {}
    for i in range(n_staff):
        k = rng.randint(5, 20)
        picks = []
        seen = set()
        while len(picks) < k:
            s = rng.choices(sections, cum_weights=cum_weights)[0] if rng.random() < 0.3 else sections[rng.randrange(n_sections)]
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
    with collector_paused():  # as the round's close runs it (matching.actions.close_round)
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


def package(staff, section_prefs, capacity, times=None):
    """matching 1.4.3's HospitalResident, resident-optimal, on the mutual form (prepared outside
    the timing by the caller), called as a user calls it. ``times``, when given, receives the
    seconds of the two steps: "build" (create_from_dictionaries, its input checks included) and
    "solve"."""
    from matching.games import HospitalResident

    sys.setrecursionlimit(1_000_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = time.perf_counter()
        game = HospitalResident.create_from_dictionaries(staff, section_prefs, capacity)
        t_built = time.perf_counter()
        solution = game.solve(optimal="resident")
        if times is not None:
            times.update(build=t_built - t, solve=time.perf_counter() - t_built)
    return _named(staff, solution)


def package_solve_only(staff, section_prefs, capacity):
    """The package's algorithm alone: the game built from the same players without its input
    checks (they are what make building it quadratic), outside the timing; only solve timed.
    Returns (seconds, matching)."""
    from matching.games import HospitalResident
    from matching.games.hospital_resident import _make_players

    sys.setrecursionlimit(1_000_000)
    residents, hospitals = _make_players(staff, section_prefs, capacity)
    original = HospitalResident.check_inputs
    HospitalResident.check_inputs = lambda self: None
    try:
        game = HospitalResident(residents, hospitals, False)
    finally:
        HospitalResident.check_inputs = original
    gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = time.perf_counter()
        solution = game.solve(optimal="resident")
        dt = time.perf_counter() - t
    return dt, _named(staff, solution)


def _named(staff, solution) -> dict:
    out = dict.fromkeys(staff)
    for h, residents in solution.items():
        for r in residents:
            out[r.name] = h.name
    return out


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} (1/5 min, {os.cpu_count()} cores)"


def _timed(fn, *args, cpu_into=None):
    """Wall-clock seconds and the result; the run's CPU seconds (this process) are appended to
    ``cpu_into``. Both sides are single-threaded and in-process, so on a shared machine their CPU
    time is the figure that other sessions' load disturbs least: it is printed beside the wall time."""
    gc.collect()
    c = time.process_time()
    t = time.perf_counter()
    out = fn(*args)
    dt = time.perf_counter() - t
    if cpu_into is not None:
        cpu_into.append(time.process_time() - c)
    return dt, out


def _peak_mb(which: str, size: tuple[int, int]) -> float:
    out = subprocess.run([sys.executable, __file__, "--child", which, str(size[0]), str(size[1])],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["peak_mb"]


def _child(which: str, n: int, m: int) -> None:
    inst = make_instance(n, m)
    if which == "package":
        inst = mutual(*inst)
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")   # the high-water mark from here: instance + run
    {"product": product, "plain": plain_da, "package": package}[which](*inst)
    print(json.dumps({"peak_mb": peak_rss_mb()}))


def _rounds(inst, rounds: int, first: int, ours: list, plain: list, reference: list, cpu=None) -> None:
    """``rounds`` interleaved rounds of the plain loop and ours, the order alternating (round
    ``first`` + k starts with the plain loop when even); every result checked equal. ``cpu``:
    {"ours": [...], "plain": [...]} to receive the same runs' CPU times."""
    for k in range(first, first + rounds):
        pair = [("plain", plain_da, plain), ("ours", product, ours)]
        for _name, fn, into in (pair if k % 2 == 0 else pair[::-1]):
            dt, out = _timed(fn, *inst, cpu_into=None if cpu is None else cpu.setdefault(_name, []))
            into.append(dt)
            if not reference:
                reference.append(out)
            assert out == reference[0], "ours and the plain loop disagree"


def _compare_package(inst, reference: dict, cpu_into=None) -> tuple[float, float, bool]:
    """The package's whole call timed, its solve step timed alone on a game built without the
    checks; both results compared with ours. Returns (whole seconds, solve seconds, identical)."""
    game = mutual(*inst)   # prepared outside the timing
    steps = {}
    dt, got = _timed(package, *game, steps, cpu_into=cpu_into)
    print(f"  package, whole call: {dt:.1f} s (building the game with its input checks {steps['build']:.1f} s, "
          f"solve {steps['solve']:.1f} s); {_load()}", flush=True)
    dt_solve, got_solve = package_solve_only(*game)
    same = all(got.get(p) == s and got_solve.get(p) == s for p, s in reference.items())  # absent: unmatched
    return dt, dt_solve, same


def main(report, size=FULL, with_package=True, rounds=ROUNDS):
    n, m = size
    how_long = ", 20-30 min at this size, its input checks most of it" if size == FULL else ""
    pkg_note = (f"the matching package once (rounds=1{how_long}), ours = median of our {2 * rounds} rounds "
                "around it" if with_package else "the matching package not run")
    scope(f"{n:,} staff × {m:,} sections, lists of 5–20, seed {SEED}; ours = check rankings + staff-proposing DA "
          f"+ certificate + why-not lines, vs a plain DA loop interleaved over {2 * rounds if with_package else rounds} "
          f"rounds (median ratio) and {pkg_note}; same instance, results compared; wall-clock on a shared "
          "machine (load shown); peak memory = fresh process VmHWM")
    t = time.perf_counter()
    inst = make_instance(n, m)
    print(f"  instance: {sum(map(len, inst[0].values())):,} staff-list entries, headcount {sum(inst[2].values()):,} "
          f"(built in {time.perf_counter() - t:.1f} s); {_load()}", flush=True)
    ours, plain, reference, cpu = [], [], [], {}
    _rounds(inst, rounds, 0, ours, plain, reference, cpu)
    print(f"  before the package: ours {', '.join(f'{x:.2f}' for x in ours)} s; plain loop "
          f"{', '.join(f'{x:.2f}' for x in plain)} s; {_load()}", flush=True)
    dt_pkg = same = None
    if with_package:
        print(f"  the matching package at {n:,} × {m:,}, once ...", flush=True)
        pkg_cpu = []
        dt_pkg, dt_solve, same = _compare_package(inst, reference[0], pkg_cpu)
        print(f"  package: {dt_pkg:.1f} s (CPU {pkg_cpu[0]:.1f} s); its solve alone, the game built "
              f"without the checks: {dt_solve:.1f} s; identical result: {same}; {_load()}", flush=True)
        _rounds(inst, rounds, rounds, ours, plain, reference, cpu)
        print(f"  after the package: ours {', '.join(f'{x:.2f}' for x in ours[rounds:])} s; plain loop "
              f"{', '.join(f'{x:.2f}' for x in plain[rounds:])} s; {_load()}", flush=True)
    ratios = [o / p for o, p in zip(ours, plain, strict=True)]
    matched = sum(1 for s in reference[0].values() if s is not None)
    report("ours: check + staff-optimal DA + certificate + why-not (median)", statistics.median(ours), "s",
           "plain deferred-acceptance loop", statistics.median(plain),
           note=f"median of {len(ratios)} per-round ratios {statistics.median(ratios):.2f}× (target ≤ 2×); "
                f"{matched:,} matched; identical; {_load()}")
    report("peak memory, fresh process (ours)", _peak_mb("product", size), "MB", "plain loop", _peak_mb("plain", size),
           note=_load())
    if with_package:
        assert same, "the matching package's resident-optimal solution differs from ours"
        share = statistics.median(ours) / dt_pkg
        cpu_share = statistics.median(cpu["ours"]) / pkg_cpu[0]
        report("ours (median of the rounds around the package)", statistics.median(ours), "s",
               "matching 1.4.3 HospitalResident resident-optimal (once)", dt_pkg,
               note=f"identical result; ours = 1/{1 / share:.0f} of the package's time (target ≤ 1/500); "
                    f"CPU time: ours {statistics.median(cpu['ours']):.3f} s vs {pkg_cpu[0]:.1f} s = "
                    f"1/{1 / cpu_share:.0f}; {_load()}")
        report("ours (the same median)", statistics.median(ours), "s",
               "matching 1.4.3 solve() alone, game built without its input checks (once)", dt_solve,
               note=f"identical result; ours = 1/{dt_solve / statistics.median(ours):.0f} of the package's "
                    f"algorithm alone (no target: the issue's is about the package as called); {_load()}")


def scaling(report, sizes=SCALING, rounds=ROUNDS):
    """The package at smaller sizes, each with our rounds around it: how the ratio grows."""
    scope(f"the matching package (once per size) vs ours (median of {2 * rounds} rounds around it) at "
          f"{', '.join(f'{n:,}×{m:,}' for n, m in sizes)}, seed {SEED}, results compared; wall-clock, load shown")
    for n, m in sizes:
        inst = make_instance(n, m)
        ours, plain, reference = [], [], []
        _rounds(inst, rounds, 0, ours, plain, reference)
        dt_pkg, dt_solve, same = _compare_package(inst, reference[0])
        _rounds(inst, rounds, rounds, ours, plain, reference)
        assert same, f"the matching package differs from ours at {n} × {m}"
        share = statistics.median(ours) / dt_pkg
        report(f"ours at {n:,} × {m:,} (median of {2 * rounds})", statistics.median(ours), "s",
               "matching 1.4.3 resident-optimal (once)", dt_pkg,
               note=f"identical; ours = 1/{1 / share:.0f} of the package's time, "
                    f"1/{dt_solve / statistics.median(ours):.0f} of its solve alone ({dt_solve:.2f} s); plain-loop ratio "
                    f"{statistics.median(o / p for o, p in zip(ours, plain, strict=True)):.2f}×; {_load()}")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--child":
        _child(args[1], int(args[2]), int(args[3]))
        raise SystemExit(0)

    def _print(figure, value, unit, baseline_name=None, baseline_value=None, note=""):
        ratio = f"   ratio {value / baseline_value:.4f}×" if baseline_value else ""
        base = f"   baseline {baseline_name}: {baseline_value:.4g} {unit}" if baseline_name else ""
        print(f"  {figure}: {value:.4g} {unit}{base}{ratio}   {note}", flush=True)

    if "--scaling" in args:
        scaling(_print)
    else:
        main(_print, QUICK if "--quick" in args else FULL, "--no-package" not in args)
