"""Run a benchmark's measuring half in a child process with its own throwaway database, so
settings (DATABASE_URL, the data folder) are fixed before Django starts. The child prints
``R<TAB>name<TAB>value`` lines; ``run_child`` returns them as a dict."""

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def run_child(script: str, *, prefix: str, database_url: str | None = None) -> dict[str, float]:
    env = dict(os.environ)
    data_dir = tempfile.mkdtemp(prefix=f"bench-{prefix}-")
    env["GONGXIN_DATA_DIR"] = data_dir
    env["DJANGO_SETTINGS_MODULE"] = "gongxin.settings"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    try:
        out = subprocess.run([sys.executable, script, "--child"], env=env, capture_output=True, text=True)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
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


def peak_rss_mb() -> float:
    """This process's peak resident memory since exec (VmHWM). ``ru_maxrss`` would report the
    parent's peak to a child started by fork + exec, so it is not used."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def scope(text: str) -> None:
    """Every benchmark prints what it measures in one line."""
    print(f"   scope: {text}", flush=True)


def interleaved(baseline, product, *, rounds: int = 3) -> tuple[list[float], list[float], float]:
    """Times ``baseline()`` and ``product()`` in turn (alternating which goes first) over
    ``rounds`` rounds; returns both lists of seconds and the median of the per-round ratios.
    A function that returns a number (seconds it measured itself, e.g. in a child process,
    without its start-up) is timed by that number instead of the wall clock around it."""
    if rounds < 3:
        raise ValueError("at least three rounds: the figure is a median")
    base, prod = [], []
    for i in range(rounds):
        pair = [(baseline, base), (product, prod)]
        for fn, into in (pair if i % 2 == 0 else pair[::-1]):
            t = time.perf_counter()
            own = fn()
            into.append(own if isinstance(own, int | float) and not isinstance(own, bool) else time.perf_counter() - t)
    return base, prod, statistics.median(p / b for p, b in zip(prod, base, strict=True))


PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")


def pg_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
        return True
    except Exception:
        return False


@contextlib.contextmanager
def temporary_pg_database(prefix: str):
    """A PostgreSQL database with a unique name for one run, dropped afterwards (never a fixed
    name, so two runs at once cannot drop each other's)."""
    import psycopg

    name = f"gx_bench_{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
