"""Recommendation meeting ballots at scale: N ballots (200 candidates, k = 3) ingested and
tallied, against the same database's raw bulk load of the marks plus GROUP BY on the same data,
in the same run; the tally function alone against collections.Counter; peak memory; and the
sealed box: sealing per ballot against a plain insert, opening 100,000 and 1,000,000 sealed
ballots against bare decryption + raw load + GROUP BY (see ``sealed_main``).

    GONGXIN_BENCH_PART=sealed python bench/run.py meetings   # the sealed box only
    GONGXIN_BENCH_SEALED=100000 ...                          # sizes (default 100000,1000000)

    python bench/run.py meetings                         # 1,000,000 ballots, 3 rounds
    GONGXIN_BENCH_BALLOTS=300000 GONGXIN_BENCH_ROUNDS=5 python bench/run.py meetings

"Ingest + tally" is what closing a meeting does once it has shuffled the ballots:
``ingest.insert_ballots`` stores them (binary COPY / executemany) and counts identical ballots
on the way, and ``tally.tally_counted`` tallies the counts. "Ingest + read back + tally" adds
reading the stored ballots back and tallying them afresh (nothing in the product does that
at close; it is reported so the two can be compared, and checked to agree). The raw baseline
loads one (ballot, candidate) row per mark into a bare table by the fastest load measured
here (binary COPY on PostgreSQL) and counts them with GROUP BY.

Each database runs in its own child process (a fresh Django on a throwaway database). Product
and baseline are timed interleaved (bench/_child.interleaved: ROUNDS rounds, at least three,
the order alternating) and each figure is the median, with the median of the per-round ratios.
The peak resident memory reported is the child's VmHWM, reset before each run, over ingest,
tally, read back and tally again. Before each timed load the database is vacuumed and checkpointed,
so that neither side pays for the other's leftovers. PostgreSQL is used when
GONGXIN_BENCH_PG_URL's server answers (default: a database with a unique name for this run,
dropped at the end; never DROP ... WITH (FORCE))."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import repeat
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
sys.path.insert(0, str(HERE))
from _child import interleaved, peak_rss_mb, scope  # noqa: E402

CANDIDATES = 200
K = 3
DEFAULT_N = 1_000_000   # the size
ROUNDS = int(os.environ.get("GONGXIN_BENCH_ROUNDS", 3))
SEALED_SIZES = os.environ.get("GONGXIN_BENCH_SEALED", "100000,1000000")  # the sealed box (bench/_meetings_sealed.py)
# A unique name per run, set once in the parent so its children share it (two runs at once
# must not drop each other's database); the parent drops it when done (main).
PG_URL = os.environ.setdefault("GONGXIN_BENCH_PG_URL",
                               f"postgres://postgres@127.0.0.1:5432/gx_bench_meetings_{os.getpid()}_{int(time.time())}")


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

def _peak_rss_mb() -> float:
    """VmHWM: this process's peak resident memory since exec (or since _reset_peak_rss)."""
    return peak_rss_mb()


def _reset_peak_rss() -> None:
    """Start VmHWM afresh from the current resident size (Linux ≥ 4.0), so that a run's peak is
    not the raw baseline's (which holds every mark as a tuple)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _settle(db: str, connection) -> None:
    """Outside the timings: reclaim the previous run's deleted rows and flush dirty pages, so
    neither side pays for the other's leftovers."""
    with connection.cursor() as cur:
        if db == "postgres":
            cur.execute("VACUUM")
            cur.execute("CHECKPOINT")


def _load_marks(db: str, connection, marks) -> None:
    """The raw baseline's load: one (ballot, candidate) row per mark into a bare table, by binary
    COPY on PostgreSQL and executemany on SQLite, in one transaction."""
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cur:
        if db == "postgres":
            with cur.cursor.copy("COPY raw_marks (ballot, candidate) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int4", "int4"])
                for row in marks:
                    copy.write_row(row)
        else:
            for s in range(0, len(marks), 100_000):
                cur.executemany("INSERT INTO raw_marks VALUES (%s, %s)", marks[s:s + 100_000])


def _child(db: str, n: int, rounds: int) -> dict:
    tmp = tempfile.mkdtemp(prefix="gx-bench-meetings-")
    import atexit
    import shutil

    atexit.register(shutil.rmtree, tmp, True)  # the child's SQLite file and data folder go with it
    setup_django(db, tmp, recreate=True)
    from django.core.management import call_command
    from django.db import connection, transaction

    from gongxin.meetings import ingest, tally
    from gongxin.meetings.models import Meeting
    from gongxin.people.models import OrgUnit

    call_command("migrate", verbosity=0, interactive=False)
    ballots = make_ballots(n)
    unit = OrgUnit.objects.create(name="bench", kind="organ", path="00001.")
    posts = [tally.PostSpec("1", "bench", K)]
    out = {"db": db, "n": n, "rss_before_mb": _peak_rss_mb(), "runs": []}
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE raw_ballots (id bigint, meeting_id bigint, contents text)")
        cur.execute("CREATE TABLE raw_marks (ballot integer, candidate integer)")

    def ours():
        """What closing a meeting does once its ballots are shuffled: store them (counting
        identical ballots on the way) and tally the counts. Then, apart: read them back from
        the database and tally again, which must agree."""
        meeting = Meeting.objects.create(title="bench", org_unit=unit, status="open")
        _settle(db, connection)
        _reset_peak_rss()
        t0 = time.perf_counter()
        with transaction.atomic():
            counted = ingest.insert_ballots(meeting.pk, ballots)
        ti = time.perf_counter()
        result = tally.tally_counted(posts, counted.items())
        t1 = time.perf_counter()
        del counted
        t2 = time.perf_counter()
        again = tally.tally(posts, ingest.read_ballots(meeting.pk))
        t3 = time.perf_counter()
        assert again.as_dict() == result.as_dict(), "read back and tallied again, the counts differ"
        out["peak_rss_mb"] = max(out.get("peak_rss_mb", 0), _peak_rss_mb())  # since _reset_peak_rss, read back too
        out["valid"], out["invalid"] = result.posts[0].valid, result.posts[0].invalid
        out["tally_total"] = sum(result.posts[0].votes.values())
        with transaction.atomic():  # each run starts from an empty table, as raw() does
            ingest.delete_ballots(meeting.pk)
        return ti - t0, t1 - ti, t3 - t2

    def raw():
        # the same ballot rows (ids from the same generator) into a bare table; the marks (one
        # row per name) into a bare table, counted with GROUP BY. On PostgreSQL both go
        # through binary COPY, the fastest load measured here (text COPY of the marks was
        # 10–25 % slower); on SQLite through executemany.
        with connection.cursor() as cur:
            cur.execute("DELETE FROM raw_ballots")
            cur.execute("DELETE FROM raw_marks")
        marks = [(i, int(m)) for i, b in enumerate(ballots) if b for m in b.split(",")]
        _settle(db, connection)
        t0 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cur:
            ids = ingest.random_ids(n)
            if db == "postgres":
                with cur.cursor.copy("COPY raw_ballots (id, meeting_id, contents) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(["int8", "int8", "text"])
                    for row in zip(ids, repeat(1), ballots):
                        copy.write_row(row)
            else:
                for s in range(0, n, 65_536):
                    cur.executemany("INSERT INTO raw_ballots VALUES (%s, %s, %s)",
                                    list(zip(ids[s:s + 65_536], repeat(1), ballots[s:s + 65_536])))
        t1 = time.perf_counter()
        _settle(db, connection)
        t1b = time.perf_counter()
        _load_marks(db, connection, marks)
        t2 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("SELECT candidate, COUNT(*) FROM raw_marks GROUP BY candidate")
            grouped = dict(cur.fetchall())
        t3 = time.perf_counter()
        out["marks"] = len(marks)
        out["group_by_total"] = sum(grouped.values())
        return t1 - t0, t2 - t1b, t3 - t2

    runs_ours, runs_raw = [], []

    def product():
        o = ours()
        runs_ours.append(o)
        return o[0] + o[1]

    def baseline():
        r = raw()
        runs_raw.append(r)
        return r[1] + r[2]

    _base, _prod, out["ratio"] = interleaved(baseline, product, rounds=rounds)
    out["runs"] = [{"ours": o, "raw": r} for o, r in zip(runs_ours, runs_raw, strict=True)]
    med = statistics.median
    out["ingest_s"], out["tally_s"], out["read_tally_s"] = (med(o[i] for o in runs_ours) for i in range(3))
    out["raw_ballot_rows_s"], out["raw_marks_load_s"], out["raw_group_by_s"] = (med(r[i] for r in runs_raw)
                                                                                 for i in range(3))
    out["ours_s"], out["raw_s"] = med(o[0] + o[1] for o in runs_ours), med(r[1] + r[2] for r in runs_raw)
    out["read_ratio"] = med((o[0] + o[2]) / (r[1] + r[2]) for o, r in zip(runs_ours, runs_raw, strict=True))
    out["rows_ratio"] = med(o[0] / r[0] for o, r in zip(runs_ours, runs_raw, strict=True))
    # closing a meeting also shuffles its ballots (CSPRNG sort keys) before storing them again
    import random

    mt, csprng, out["shuffle_ratio"] = interleaved(lambda: random.shuffle(list(ballots)),
                                                   lambda: ingest.shuffled(ballots), rounds=rounds)
    out["shuffle_s"], out["mt_shuffle_s"] = med(csprng), med(mt)
    return out


def setup_django(db: str, tmp: str, *, recreate: bool) -> None:
    """This child's Django on its throwaway database: a SQLite file in ``tmp``, or PG_URL
    (created afresh when ``recreate``)."""
    os.environ["GONGXIN_DATA_DIR"] = tmp
    if db == "postgres":
        if recreate:
            _recreate_pg()
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongxin.settings")
    sys.path.insert(0, str(SRC))
    import django

    django.setup()


def _recreate_pg() -> None:
    import psycopg

    base = PG_URL.rsplit("/", 1)[0] + "/postgres"
    name = PG_URL.rsplit("/", 1)[1]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _drop_pg() -> None:
    import psycopg

    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_URL.rsplit("/", 1)[1]}"')


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def _run_child(db: str, n: int, rounds: int) -> dict | None:
    proc = subprocess.run([sys.executable, __file__, "--child", db, str(n), str(rounds)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(SRC)})
    if proc.returncode != 0:
        print(f"  {db}: failed\n{proc.stderr[-2000:]}", flush=True)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---- the parent: report -----------------------------------------------------------------------

def main(report) -> None:
    sys.path.insert(0, str(SRC))
    part = os.environ.get("GONGXIN_BENCH_PART", "all")   # "ingest", "sealed" or "all"
    n = int(os.environ.get("GONGXIN_BENCH_BALLOTS", DEFAULT_N))
    scope(f"meetings ({part}): {n:,} ballots ({CANDIDATES} candidates, k = {K}) ingested and tallied against raw "
          f"bulk load of the marks + GROUP BY, the tally function against Counter, the shuffle against "
          f"random.shuffle; the whole close of a sealed box at {SEALED_SIZES} (open, shuffle, delete, store, tally, "
          f"commit, vacuum) against bare decryption + raw load + GROUP BY, and seal + insert against a plain insert; "
          f"SQLite and PostgreSQL, each in a fresh child process (peak memory = its VmHWM); {ROUNDS} interleaved "
          f"rounds (order alternating), medians and the median per-round ratio")
    try:
        if part in ("all", "ingest"):
            ingest_main(report)
        if part in ("all", "sealed"):
            sealed_main(report)
    finally:
        if _pg_available():
            _drop_pg()


def ingest_main(report) -> None:
    from collections import Counter

    from gongxin.meetings import tally

    n = int(os.environ.get("GONGXIN_BENCH_BALLOTS", DEFAULT_N))
    print(f"  {n:,} ballots, {CANDIDATES} candidates, k = {K}, {ROUNDS} interleaved rounds", flush=True)

    # the databases first, each in a fresh child process (before this one grows)
    dbs = ["sqlite"] + (["postgres"] if _pg_available() else [])
    if "postgres" not in dbs:
        print("  PostgreSQL not reachable: skipped", flush=True)
    for db in dbs:
        r = _run_child(db, n, ROUNDS)
        if r is None:
            continue
        raw_note = f"raw load {r['raw_marks_load_s']:.2f} s ({r['marks']:,} rows) + GROUP BY {r['raw_group_by_s']:.2f} s"
        report(f"{db}: ingest + tally {n:,} ballots", r["ours_s"], "s", "raw bulk load of the marks + GROUP BY",
               r["raw_s"], note=f"median per-round ratio {r['ratio']:.2f}× (target ≤ 1.5×); ingest (counting identical "
                                f"ballots) {r['ingest_s']:.2f} s + tally {r['tally_s']:.2f} s; {raw_note}")
        report(f"{db}: ingest + read back + tally", r["ingest_s"] + r["read_tally_s"], "s",
               "raw bulk load of the marks + GROUP BY", r["raw_s"],
               note=f"median per-round ratio {r['read_ratio']:.2f}×; read back from the database and tallied afresh: "
                    f"{r['read_tally_s']:.2f} s")
        report(f"{db}: ingest {n:,} ballot rows", r["ingest_s"], "s", "raw load of the same rows into a bare table",
               r["raw_ballot_rows_s"], note=f"median per-round ratio {r['rows_ratio']:.2f}×")
        report(f"{db}: peak memory, ingest + tally", r["peak_rss_mb"], "MB", "budget", 500.0,
               note=f"child process peak (VmHWM) over ingest, tally, read back and tally again; "
                    f"{r['rss_before_mb']:.0f} MB after generating the ballots")
        if db == "sqlite":
            report("shuffle at close (CSPRNG sort keys)", r["shuffle_s"], "s", "random.shuffle (Mersenne Twister)",
                   r["mt_shuffle_s"], note=f"median per-round ratio {r['shuffle_ratio']:.2f}×; not in ingest + "
                                          f"tally: closing a meeting adds it")

    # the tally function alone, in memory, against Counter over the same marks
    ballots = make_ballots(n)
    marks = [m for b in ballots if b for m in b.split(",")]
    posts = [tally.PostSpec("1", "bench", K)]
    got = {}
    counter, tallied, ratio = interleaved(lambda: got.__setitem__("counted", Counter(marks)),
                                          lambda: got.__setitem__("result", tally.tally(posts, ballots)),
                                          rounds=ROUNDS)
    assert sum(got["result"].posts[0].votes.values()) <= sum(got["counted"].values())
    report("tally function (parse, void over-votes, count)", statistics.median(tallied), "s",
           "Counter over the same marks", statistics.median(counter),
           note=f"{len(marks):,} marks; median per-round ratio {ratio:.2f}×")


def sealed_main(report) -> None:
    from _meetings_sealed import sealed_main as run

    run(report)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
    else:
        from run import main as run_main

        sys.exit(run_main(["meetings"]))
