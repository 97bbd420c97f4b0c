"""Recommendation meeting ballots at scale: ingest and tally N ballots (200 candidates, k = 3)
against the same database's raw bulk load and GROUP BY on the same data, in the same run; the
tally function alone against collections.Counter; peak memory of ingest + tally.

    python bench/run.py meetings                     # N from GONGXIN_BENCH_BALLOTS (default 1,000,000)
    GONGXIN_BENCH_BALLOTS=200000 python bench/run.py meetings

Each database runs in its own child process (a fresh Django on a throwaway database), so the
peak resident memory it reports is that of one ingest + tally. PostgreSQL is used when
GONGXIN_BENCH_PG_URL's server answers (default postgres://postgres@127.0.0.1:5432/meetings_bench;
the database is dropped and re-created)."""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
CANDIDATES = 200
K = 3
DEFAULT_N = 1_000_000
PG_URL = os.environ.get("GONGXIN_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/meetings_bench")


def make_ballots(n: int, seed: int = 20261127) -> list[str]:
    """Mostly three names of 200; some blanks, some fewer, 1 % over-votes (four names)."""
    import random

    rng = random.Random(seed)
    pool = [str(i) for i in range(1, CANDIDATES + 1)]
    weights = [1 + (i % 17 == 0) * 8 for i in range(CANDIDATES)]  # a few popular names
    out = []
    sizes = rng.choices([0, 1, 2, 3, 4], weights=[2, 3, 5, 89, 1], k=n)
    for size in sizes:
        picks = set(rng.choices(pool, weights=weights, k=size)) if size else ()
        out.append(",".join(sorted(picks, key=int)))
    return out


# ---- the child: one database ------------------------------------------------------------------

def _child(db: str, n: int) -> dict:
    import resource

    tmp = tempfile.mkdtemp(prefix="gx-bench-meetings-")
    os.environ["GONGXIN_DATA_DIR"] = tmp
    if db == "postgres":
        _recreate_pg()
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongxin.settings")
    sys.path.insert(0, str(SRC))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from gongxin.meetings import ingest, tally
    from gongxin.meetings.models import Meeting
    from gongxin.people.models import OrgUnit

    call_command("migrate", verbosity=0, interactive=False)
    ballots = make_ballots(n)
    unit = OrgUnit.objects.create(name="bench", kind="organ", path="00001.")
    meeting = Meeting.objects.create(title="bench", org_unit=unit, status="open")
    posts = [tally.PostSpec("1", "bench", K)]
    out = {"db": db, "n": n}

    # ours: insert through the driver (executemany / COPY), then read back and count
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    with transaction.atomic():
        ingest.insert_ballots(meeting.pk, ballots)
    t1 = time.perf_counter()
    result = tally.tally(posts, ingest.read_ballots(meeting.pk))
    t2 = time.perf_counter()
    out["ingest_s"], out["tally_db_s"] = t1 - t0, t2 - t1
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["rss_before_mb"] = rss_before / 1024
    out["valid"], out["invalid"] = result.posts[0].valid, result.posts[0].invalid

    # raw baselines on the same database: the same ballot rows into a bare table, and the
    # marks (one row per name) bulk-loaded into a bare table and counted with GROUP BY
    marks = [(i, int(m)) for i, b in enumerate(ballots) if b for m in b.split(",")]
    ids = list(ingest.random_ids(n))
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE raw_ballots (id bigint, meeting_id bigint, contents text)")
        cur.execute("CREATE TABLE raw_marks (ballot integer, candidate integer)")
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        if db == "postgres":
            with cur.cursor.copy("COPY raw_ballots (id, meeting_id, contents) FROM STDIN") as copy:
                for s in range(0, n, 50_000):
                    copy.write("".join(f"{ids[i]}\t{meeting.pk}\t{ballots[i]}\n" for i in range(s, min(n, s + 50_000))))
        else:
            cur.executemany("INSERT INTO raw_ballots VALUES (%s, %s, %s)",
                            [(ids[i], meeting.pk, ballots[i]) for i in range(n)])
    t1 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        if db == "postgres":
            with cur.cursor.copy("COPY raw_marks (ballot, candidate) FROM STDIN") as copy:
                for s in range(0, len(marks), 100_000):
                    copy.write("".join(f"{a}\t{b}\n" for a, b in marks[s:s + 100_000]))
        else:
            cur.executemany("INSERT INTO raw_marks VALUES (%s, %s)", marks)
    t2 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT candidate, COUNT(*) FROM raw_marks GROUP BY candidate")
        grouped = dict(cur.fetchall())
    t3 = time.perf_counter()
    out["raw_ballot_rows_s"] = t1 - t0
    out["raw_marks_load_s"], out["raw_group_by_s"] = t2 - t1, t3 - t2
    out["marks"] = len(marks)
    # the raw count ignores over-votes; the tally voids them: compare on valid ballots only
    out["group_by_total"] = sum(grouped.values())
    out["tally_total"] = sum(result.posts[0].votes.values())
    return out


def _recreate_pg() -> None:
    import psycopg

    base = PG_URL.rsplit("/", 1)[0] + "/postgres"
    name = PG_URL.rsplit("/", 1)[1]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def _run_child(db: str, n: int) -> dict | None:
    proc = subprocess.run([sys.executable, __file__, "--child", db, str(n)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(SRC)})
    if proc.returncode != 0:
        print(f"  {db}: failed\n{proc.stderr[-2000:]}", flush=True)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---- the parent: report -----------------------------------------------------------------------

def main(report) -> None:
    sys.path.insert(0, str(SRC))
    from collections import Counter

    from gongxin.meetings import tally

    n = int(os.environ.get("GONGXIN_BENCH_BALLOTS", DEFAULT_N))
    print(f"  {n:,} ballots, {CANDIDATES} candidates, k = {K}", flush=True)

    # the tally function alone, in memory, against Counter over the same marks
    ballots = make_ballots(n)
    marks = [m for b in ballots if b for m in b.split(",")]
    posts = [tally.PostSpec("1", "bench", K)]
    t0 = time.perf_counter()
    result = tally.tally(posts, ballots)
    t1 = time.perf_counter()
    counted = Counter(marks)
    t2 = time.perf_counter()
    assert sum(result.posts[0].votes.values()) <= sum(counted.values())
    report("tally function (parse, void over-votes, count)", t1 - t0, "s", "Counter over the same marks", t2 - t1,
           note=f"{len(marks):,} marks")
    del ballots, marks

    dbs = ["sqlite"] + (["postgres"] if _pg_available() else [])
    if "postgres" not in dbs:
        print("  PostgreSQL not reachable: skipped", flush=True)
    for db in dbs:
        r = _run_child(db, n)
        if r is None:
            continue
        ours = r["ingest_s"] + r["tally_db_s"]
        raw = r["raw_marks_load_s"] + r["raw_group_by_s"]
        report(f"{db}: ingest + tally {n:,} ballots", ours, "s", "raw bulk load of the marks + GROUP BY", raw,
               note=f"ingest {r['ingest_s']:.2f} s + read & tally {r['tally_db_s']:.2f} s; raw load "
                    f"{r['raw_marks_load_s']:.2f} s ({r['marks']:,} rows) + GROUP BY {r['raw_group_by_s']:.2f} s")
        report(f"{db}: ingest {n:,} ballot rows", r["ingest_s"], "s", "raw load of the same rows into a bare table",
               r["raw_ballot_rows_s"])
        report(f"{db}: peak memory, ingest + tally", r["peak_rss_mb"], "MB", "budget", 500.0,
               note=f"process peak RSS incl. the {n:,} generated ballots ({r['rss_before_mb']:.0f} MB before ingest)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], int(sys.argv[3]))))
    else:
        sys.path.insert(0, str(HERE))
        from run import main as run_main

        sys.exit(run_main(["meetings"]))
