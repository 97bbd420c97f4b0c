"""Assessment scoring: 1,000,000 cadres × 12 indicators with breakdowns (score_matrix) against
the same arithmetic written in plain numpy, interleaved; the sensitivity view for one unit of
200 rows; and each side's peak memory as a fresh process's high-water mark."""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))
from _child import interleaved, scope  # noqa: E402

N, K, ROUNDS = int(os.environ.get("BENCH_ASSESSMENT_N", 1_000_000)), 12, 5


def _system():
    from gongxin.assessment import scoring

    weights = [1 / K] * K
    weights[-1] = 1 - sum(weights[:-1])
    return [scoring.Indicator(f"i{j}", f"指标{j}", weights[j], "lower" if j % 4 == 3 else "higher",
                              floor=100.0 if j % 4 == 3 else 0.0, target=20.0 if j % 4 == 3 else 100.0)
            for j in range(K)]


def _data(n):
    import numpy as np

    rng = np.random.default_rng(2026)
    values = rng.uniform(-10, 120, size=(n, K))
    values[rng.random(size=(n, K)) < 0.001] = np.nan
    return values, rng.uniform(1.0, 1.2, size=n)


def plain_numpy(indicators, values, coefficients):
    import numpy as np

    floor = np.array([i.floor for i in indicators])
    target = np.array([i.target for i in indicators])
    weight = np.array([i.weight for i in indicators])
    norm = (values - floor) / (target - floor)   # written as a careful numpy user would: in place
    np.clip(norm, 0.0, 1.0, out=norm)
    np.nan_to_num(norm, copy=False, nan=0.0)
    contributions = norm * weight
    raw = contributions.sum(axis=1)
    return contributions, raw, raw * coefficients


def product(indicators, values, coefficients):
    from gongxin.assessment import scoring

    return scoring.score_matrix(indicators, values, coefficients)


def _peak(which: str) -> float:
    """Peak RSS (MB) of a fresh process that makes the data and runs one side once."""
    code = (f"import sys, resource; sys.path.insert(0, {str(HERE)!r}); sys.path.insert(0, {str(HERE.parent / 'src')!r}); "
            f"import bench_assessment as b, _child; s = b._system(); v, c = b._data(b.N); b.{which}(s, v, c); "
            "print(_child.peak_rss_mb())")  # VmHWM: ru_maxrss would carry the parent's peak over exec
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "BENCH_ASSESSMENT_N": str(N)})
    return float(out.stdout.strip().splitlines()[-1])


def main(report):
    import numpy as np

    from gongxin.assessment import scoring

    scope(f"{N:,} rows × {K} indicators, contributions + raw + adjusted, against plain numpy; {ROUNDS} interleaved "
          "rounds (order alternating), median ratio; sensitivity over 200 rows × 12 indicators (36 scenarios); "
          "peak memory of a fresh process per side (VmHWM)")
    indicators = _system()
    values, coefficients = _data(N)
    results = {}

    def baseline():
        results["expected"] = plain_numpy(indicators, values, coefficients)

    def ours_once():
        results["got"] = product(indicators, values, coefficients)

    base, ours, ratio = interleaved(baseline, ours_once, rounds=ROUNDS)
    expected, got = results["expected"], results["got"]
    assert np.allclose(got[2], expected[2]) and np.allclose(got[0], expected[0])
    report("score_matrix, 1M × 12", statistics.median(ours) * 1000, "ms", "plain numpy, same arithmetic",
           statistics.median(base) * 1000, note=f"median ratio {ratio:.2f}× (target ≤ 1.5×)")
    # One row through the pure path agrees with the bulk path.
    row = {f"i{j}": (None if np.isnan(values[0, j]) else float(values[0, j])) for j in range(K)}
    assert abs(scoring.score(indicators, row, coefficient=float(coefficients[0])).adjusted - got[2][0]) < 1e-9

    rows = [{f"i{j}": float(values[i, j]) if not np.isnan(values[i, j]) else None for j in range(K)} for i in range(200)]
    publics = [0.8] * 200
    times = []
    for _ in range(20):
        t = time.perf_counter()
        scoring.sensitivity(indicators, rows, list(coefficients[:200]), publics, public_weight=0.3)
        times.append(time.perf_counter() - t)
    report("sensitivity view, 200 rows × 12 indicators", statistics.median(times) * 1000, "ms",
           "target", 200.0, note="target under 200 ms")
    report("peak memory, product (fresh process)", _peak("product"), "MB", "plain numpy (fresh process)",
           _peak("plain_numpy"))


if __name__ == "__main__":
    from run import main as run_main

    sys.exit(run_main(["assessment"]))
