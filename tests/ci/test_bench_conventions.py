"""Every benchmark in bench/ prints its scope in one line and times baseline and product
interleaved with bench/_child.interleaved (or _cadres.interleave), the order alternating and
the figure a median of at least three rounds (issue 20). A static check: it reads the files.

Benchmarks owned by other work (lists: http, people, reserve; match: matching; speedio: exams,
exchange; wbench: workbench) are checked by their own tests. Every other one follows it (the
last three, inspection, meetings and replay, were converted from best-of or one-shot timings)."""

import re
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
ELSEWHERE = {"http", "people", "reserve", "matching", "exams", "exchange", "workbench"}
MODULES = sorted(p.stem.removeprefix("bench_") for p in BENCH.glob("bench_*.py")
                 if p.stem.removeprefix("bench_") not in ELSEWHERE and not p.stem.endswith(("_settings", "_urls")))


def _follows(name: str) -> list[str]:
    text = (BENCH / f"bench_{name}.py").read_text(encoding="utf-8")
    missing = []
    if not re.search(r"\bscope\(", text):
        missing.append("a scope(...) line (bench/_child.scope)")
    if not re.search(r"\binterleaved?\(", text):
        missing.append("the interleaving helper (bench/_child.interleaved)")
    if re.search(r"ru_maxrss", text) and not re.search(r"VmHWM|peak_rss_mb", text):
        missing.append("memory as VmHWM, not ru_maxrss")
    return missing


@pytest.mark.parametrize("name", MODULES)
def test_benchmark_declares_its_scope_and_interleaves(name):
    assert _follows(name) == []


def test_the_interleaving_helper_alternates_and_needs_three_rounds():
    import sys

    sys.path.insert(0, str(BENCH))
    from _child import interleaved

    calls = []
    base, prod, ratio = interleaved(lambda: calls.append("b") or 1.0, lambda: calls.append("p") or 3.0, rounds=3)
    assert calls == ["b", "p", "p", "b", "b", "p"] and base == [1.0] * 3 and prod == [3.0] * 3 and ratio == 3.0
    with pytest.raises(ValueError):
        interleaved(lambda: None, lambda: None, rounds=2)
