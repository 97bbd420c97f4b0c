"""Run every benchmark: ``python bench/run.py [name ...]``.

Each ``bench/bench_<name>.py`` has ``main(report)``; it calls ``report(figure, value, unit,
baseline_name, baseline_value)`` for each figure, and this prints the figure beside its
baseline measured in the same run, with the ratio. Results also go to bench/results/."""

import importlib.util
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongxin.settings")
    wanted = set(argv)
    rows = []

    def report(figure, value, unit, baseline_name=None, baseline_value=None, note=""):
        ratio = (value / baseline_value) if baseline_value else None
        row = {"figure": figure, "value": value, "unit": unit, "baseline": baseline_name,
               "baseline_value": baseline_value, "ratio": ratio, "note": note}
        rows.append(row)
        base = f"   baseline {baseline_name}: {baseline_value:.4g} {unit}   ratio {ratio:.2f}×" if ratio else ""
        print(f"  {figure}: {value:.4g} {unit}{base}{('   ' + note) if note else ''}", flush=True)

    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        _load(path).main(report)
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent / "src"))
    sys.exit(main(sys.argv[1:]))
