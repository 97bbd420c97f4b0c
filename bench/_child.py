"""Run a benchmark's measuring half in a child process with its own throwaway database, so
settings (DATABASE_URL, the data folder) are fixed before Django starts. The child prints
``R<TAB>name<TAB>value`` lines; ``run_child`` returns them as a dict."""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def run_child(script: str, *, prefix: str, database_url: str | None = None) -> dict[str, float]:
    env = dict(os.environ)
    env["GONGXIN_DATA_DIR"] = tempfile.mkdtemp(prefix=f"bench-{prefix}-")
    env["DJANGO_SETTINGS_MODULE"] = "gongxin.settings"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, script, "--child"], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stdout[-3000:], out.stderr[-3000:])
        raise SystemExit(f"{Path(script).name}: the measuring child failed")
    return {name: float(value) for _r, name, value in
            (line.split("\t") for line in out.stdout.splitlines() if line.startswith("R\t"))}


def emit(name: str, value: float) -> None:
    print(f"R\t{name}\t{value}", flush=True)


def median_ms(fn, n: int = 40) -> float:
    """The median of n timed calls of fn, in milliseconds."""
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)
