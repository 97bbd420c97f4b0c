"""Exams at county scale, on SQLite. Scope: ranking 100,000 applicants with 3 score components
(weighted total, declared tie order, shared ranks) by the pure core (exams/ranking.py) against
numpy's lexsort of the same data computing the same order and ranks; importing a 100,000-row
score sheet (upload, the preview checking every row, the apply job writing the scores and the
ledger event) against python-calamine reading the same file alone; peak memory of a fresh
process doing each. Baseline and product interleaved over ROUNDS rounds; the median ratio.

BENCH_EXAMS_N and BENCH_EXAMS_ROUNDS override 100,000 and 3."""

import os
import subprocess
import sys
from pathlib import Path

N = int(os.environ.get("BENCH_EXAMS_N", 100_000))
ROUNDS = int(os.environ.get("BENCH_EXAMS_ROUNDS", 3))


def main(report):
    from _child import run_child, scope

    scope(f"{N:,} applicants × 3 components ranked (exams/ranking.py vs numpy lexsort, same order and ranks); "
          f"a {N:,}-row score sheet imported (upload + preview + start + apply job, SQLite) vs python-calamine "
          f"reading it alone; {ROUNDS} interleaved rounds, median ratio; peaks in fresh processes; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    f = run_child(__file__, prefix="exams")
    report(f"rank {N:,} applicants × 3 components (pure Python), median of {ROUNDS}", f["rank_s"], "s",
           "numpy lexsort, same order and ranks", f["numpy_s"],
           note=f"median ratio of rounds {f['rank_ratio']:.2f}× (CPU time {f['rank_cpu_ratio']:.2f}×)")
    report(f"import a {N:,}-row score sheet (upload + preview + start + apply job), median of {ROUNDS}",
           f["import_s"], "s", "python-calamine reading the file alone", f["calamine_s"],
           note=f"median ratio of rounds {f['import_ratio']:.2f}×")
    report("  of which: the preview (the registrations read + every row checked from the kept texts)", f["preview_s"], "s",
           "python-calamine reading the file alone", f["calamine_s"])
    report(f"import peak memory (fresh process, {N:,} rows)", f["import_peak_mb"], "MB",
           "calamine read alone, fresh process", f["calamine_peak_mb"])
    report(f"ranking peak memory (fresh process, {N:,} × 3)", f["rank_peak_mb"], "MB",
           "numpy lexsort alone, fresh process", f["numpy_peak_mb"])


# ---- the child ------------------------------------------------------------------------------

def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _columns(n: int):
    import random

    from gongxin.exams.ranking import ABSENT, DISQUALIFIED

    rng = random.Random(15)
    cols = []
    for _c in range(3):
        col = [rng.randrange(3000, 10001) for _ in range(n)]
        for i in rng.sample(range(n), n // 100):
            col[i] = ABSENT
        for i in rng.sample(range(n), n // 1000):
            col[i] = DISQUALIFIED
        cols.append(col)
    return cols


WEIGHTS = ("1/2", "3/10", "1/5")


def _product(cols):
    from gongxin.exams import ranking

    return ranking.rank_table(cols, [ranking.parse_weight(w) for w in WEIGHTS], tie_order=[0, 1])


def _numpy(arrs):
    """The same ranking with numpy: valid rows, exact totals in hundredths rounded half up,
    lexsort by (total, written, interview) descending with input order for equal keys, and
    competition ranks (1, 2, 2, 4)."""
    import numpy as np

    a, b, c = arrs
    valid = np.flatnonzero((a >= 0) & (b >= 0) & (c >= 0))
    av, bv, cv = a[valid], b[valid], c[valid]
    total = (2 * (av * 5 + bv * 3 + cv * 2) + 10) // 20
    order = np.lexsort((valid, -bv, -av, -total))
    t, x, y = total[order], av[order], bv[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (t[1:] != t[:-1]) | (x[1:] != x[:-1]) | (y[1:] != y[:-1])
    pos = np.arange(1, len(order) + 1)
    ranks = np.maximum.accumulate(np.where(new, pos, 0))
    return valid[order], ranks


def _ranking_rounds(emit):
    import statistics
    import time

    import numpy as np
    from _child import interleaved

    cols = _columns(N)
    arrs = [np.array(col, dtype=np.int64) for col in cols]
    out, (idx, ranks) = _product(cols), _numpy(arrs)
    assert out.order == idx.tolist() and out.ranks == ranks.tolist()
    rounds = max(ROUNDS, 5)  # (a fraction of a second each: more rounds for a steadier median)
    theirs, mine, ratio = interleaved(lambda: _numpy(arrs), lambda: _product(cols), rounds=rounds)
    # the same in CPU time: on a shared machine a wall-clock round is often stretched by other work
    cpu_ratios = []
    for _ in range(rounds):
        t = time.process_time()
        _numpy(arrs)
        base = time.process_time() - t
        t = time.process_time()
        _product(cols)
        cpu_ratios.append((time.process_time() - t) / base)
    emit("rank_s", statistics.median(mine))
    emit("numpy_s", statistics.median(theirs))
    emit("rank_ratio", ratio)
    emit("rank_cpu_ratio", statistics.median(cpu_ratios))


def _setup(n: int):
    """An exam in its written stage with ``n`` eligible people holding tickets. The people are
    inserted in bulk (this is the bench's set-up, not what it measures)."""
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from gongxin.accounts.models import User
    from gongxin.accounts.roles import DataScope, Role
    from gongxin.exams.models import Exam, ExamPost, ExamStatus, Registration
    from gongxin.people import actions
    from gongxin.people.models import OrgUnitKind

    root = actions.create_org_unit(acting_user=None, name="县委", kind=OrgUnitKind.ORGAN)
    user = User.objects.create_user(username="bench", password="x" * 12, role=Role.ORG_ADMIN,
                                    data_scope=DataScope.ALL, full_name="bench")
    user.org_units.set([root])
    exam = Exam.objects.create(channel="recruitment", title="bench", org_unit=root, status=ExamStatus.WRITTEN,
                               weights={"written": "3/5", "interview": "2/5"}, tie_order=["written", "interview"],
                               registration_closes=dt.date(2026, 1, 1))
    post = ExamPost.objects.create(exam=exam, title="综合岗", code="01", count=100)
    for start in range(0, n, 5000):  # (in slices: the peak measured is the import's, not 100,000 unsaved objects')
        Registration.objects.bulk_create(
            [Registration(exam=exam, exam_post=post, name=f"考生{i}", id_number=f"B{i:017d}",
                          birth_date=dt.date(2000, 1, 1), tracking_code=f"T{i:011d}", status="eligible",
                          ticket_number=f"2026{i:08d}") for i in range(start, min(n, start + 5000))])
    return user, exam


def _write_sheet(path: Path, n: int) -> None:
    import random

    from openpyxl import Workbook

    rng = random.Random(16)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("成绩")
    ws.append(["准考证号", "姓名", "成绩"])
    for i in range(n):
        score = "缺考" if i % 97 == 0 else round(rng.uniform(30, 100), 1)
        ws.append([f"2026{i:08d}", f"考生{i}", score])
    wb.save(path)


def _import_once(user, exam, path: Path) -> tuple[float, float]:
    import time

    from gongxin.exams import importing
    from gongxin.jobs.runner import run_job

    data = path.read_bytes()
    started = time.perf_counter()
    staged = importing.stage_score_import(acting_user=user, exam=exam, component="written", filename=path.name,
                                          data=data)
    t = time.perf_counter()
    checked = importing.check_sheet(staged)  # what the preview page does
    preview = time.perf_counter() - t
    assert not checked.unresolved and checked.count == N
    job = importing.start_score_import(acting_user=user, staged=staged)
    status = run_job(job.pk, 1)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    assert status == "succeeded" and job.result["written"] == N, (status, job.error, job.result)
    return elapsed, preview


def _reset(exam) -> None:
    """Between rounds: no scores, no staged imports, and no kept texts (each round reads the
    file at upload as a first import does)."""
    import shutil

    from django.conf import settings

    exam.registrations.update(written_score=None)
    exam.score_imports.all().delete()
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "exams" / "parsed", ignore_errors=True)


def child() -> None:
    import statistics
    import tempfile
    import time

    from _child import emit

    _ranking_rounds(emit)
    user, exam = _setup(N)
    from gongxin.core.gcpause import gc_paused
    from gongxin.exams.sheet import read_sheet

    tmp = Path(tempfile.mkdtemp(prefix="bench-exams-"))
    path = tmp / "scores.xlsx"
    _write_sheet(path, N)
    imports, previews, reads = [], [], []

    def read():
        # the collector paused, as in a process doing nothing else: here it would walk this
        # process's few hundred thousand objects (Django, the set-up) each time the read's
        # allocations trigger it, half as long again as calamine alone takes (the import
        # pauses it itself, so it is not slowed so)
        t = time.perf_counter()
        with gc_paused():
            rows = read_sheet(path)
        reads.append(time.perf_counter() - t)
        assert len(rows) == N + 1

    def product():
        _reset(exam)
        seconds, preview = _import_once(user, exam, path)
        imports.append(seconds)
        previews.append(preview)

    for round_ in range(ROUNDS):  # interleaved: which goes first alternates
        for fn in ((read, product) if round_ % 2 == 0 else (product, read)):
            fn()
        print(f"round {round_}: import {imports[-1]:.2f} s (preview {previews[-1]:.2f} s), "
              f"calamine {reads[-1]:.2f} s", file=sys.stderr, flush=True)
    emit("import_ratio", statistics.median(i / r for i, r in zip(imports, reads, strict=True)))
    emit("import_s", statistics.median(imports))
    emit("preview_s", statistics.median(previews))
    emit("calamine_s", statistics.median(reads))
    import shutil

    for what in ("calamine", "import", "rank", "numpy"):
        folder = tempfile.mkdtemp(prefix="bench-exams-peak-")
        out = subprocess.run([sys.executable, __file__, "--peak", what, str(path)], capture_output=True, text=True,
                             env=dict(os.environ, GONGXIN_DATA_DIR=folder))
        shutil.rmtree(folder, ignore_errors=True)
        if out.returncode != 0:
            raise SystemExit(out.stderr[-2000:])
        emit(f"{what}_peak_mb", float(out.stdout.strip().splitlines()[-1]))
    shutil.rmtree(tmp, ignore_errors=True)


def peak(what: str, path: str) -> None:
    if what == "calamine":
        from gongxin.exams.sheet import read_sheet

        read_sheet(path)
    elif what == "import":
        user, exam = _setup(N)
        _import_once(user, exam, Path(path))
    elif what == "rank":
        _product(_columns(N))
    else:
        import numpy as np

        arrs = [np.array(col, dtype=np.int64) for col in _columns(N)]
        _numpy(arrs)
    print(_peak_mb())


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if "--child" in sys.argv:
        child()
    elif "--peak" in sys.argv:
        peak(sys.argv[2], sys.argv[3])
