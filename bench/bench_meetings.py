"""Recommendation meeting ballots at scale: N ballots (200 candidates, k = 3) ingested and
tallied, against the same database's raw bulk load of the marks plus GROUP BY on the same data,
in the same run; the tally function alone against collections.Counter; peak memory; and the
sealed box: sealing per ballot against a plain insert, opening 100,000 and 1,000,000 sealed
ballots against bare decryption + raw load + GROUP BY (see ``sealed_main``).

    GONGXIN_BENCH_PART=sealed python bench/run.py meetings   # the sealed box only
    GONGXIN_BENCH_SEALED=100000 ...                          # sizes (default 100000,1000000)

    python bench/run.py meetings                         # 1,000,000 ballots, best of 2 (~2 min)
    GONGXIN_BENCH_BALLOTS=300000 GONGXIN_BENCH_REPEATS=1 python bench/run.py meetings

"Ingest + tally" is what closing a meeting does once it has shuffled the ballots:
``ingest.insert_ballots`` stores them (binary COPY / executemany) and counts identical ballots
on the way, and ``tally.tally_counted`` tallies the counts. "Ingest + read back + tally" adds
reading the stored ballots back and tallying them afresh (nothing in the product does that
at close; it is reported so the two can be compared, and checked to agree). The raw baseline
loads one (ballot, candidate) row per mark into a bare table by the fastest load measured
here (binary COPY on PostgreSQL) and counts them with GROUP BY.

Each database runs in its own child process (a fresh Django on a throwaway database). The
peak resident memory reported is the child's VmHWM, reset before each run, over ingest, tally,
read back and tally again. Before each timed load the database is vacuumed and checkpointed,
so that neither side pays for the other's leftovers. PostgreSQL is used when
GONGXIN_BENCH_PG_URL's server answers (default: a database with a unique name for this run,
dropped at the end; never DROP ... WITH (FORCE))."""

import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import repeat
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
CANDIDATES = 200
K = 3
DEFAULT_N = 1_000_000   # the size; about 2 minutes for both databases, best of 2
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
    """VmHWM: this process's peak resident memory since exec (ru_maxrss would carry over the
    parent's peak across fork + exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


def _child(db: str, n: int, repeats: int) -> dict:
    tmp = tempfile.mkdtemp(prefix="gx-bench-meetings-")
    import atexit
    import shutil

    atexit.register(shutil.rmtree, tmp, True)  # the child's SQLite file and data folder go with it
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

    # alternate ours and raw, keep the best of each: the machine is shared and noisy
    best_ours, best_raw = None, None
    for _ in range(repeats):
        o = ours()
        r = raw()
        out["runs"].append({"ours": o, "raw": r})
        best_ours = o if best_ours is None or o[0] + o[1] < best_ours[0] + best_ours[1] else best_ours
        best_raw = r if best_raw is None or r[1] + r[2] < best_raw[1] + best_raw[2] else best_raw
    out["ingest_s"], out["tally_s"] = best_ours[0], best_ours[1]
    out["read_tally_s"] = min(run["ours"][2] for run in out["runs"])
    # closing a meeting also shuffles its ballots (CSPRNG sort keys) before storing them again
    import random

    shuffles = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        ingest.shuffled(ballots)
        t1 = time.perf_counter()
        random.shuffle(list(ballots))
        shuffles.append((t1 - t0, time.perf_counter() - t1))
    out["shuffle_s"] = min(a for a, _ in shuffles)
    out["mt_shuffle_s"] = min(b for _, b in shuffles)
    out["raw_ballot_rows_s"] = min(run["raw"][0] for run in out["runs"])
    out["raw_marks_load_s"], out["raw_group_by_s"] = best_raw[1], best_raw[2]
    return out


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


def _run_child(db: str, n: int, repeats: int) -> dict | None:
    proc = subprocess.run([sys.executable, __file__, "--child", db, str(n), str(repeats)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(SRC)})
    if proc.returncode != 0:
        print(f"  {db}: failed\n{proc.stderr[-2000:]}", flush=True)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---- the parent: report -----------------------------------------------------------------------

def main(report) -> None:
    sys.path.insert(0, str(SRC))
    part = os.environ.get("GONGXIN_BENCH_PART", "all")   # "ingest", "sealed" or "all"
    print(f"   scope: meetings ({part}): ingest + tally of the ballots and the whole close of a sealed box "
          f"(open, shuffle, delete, store, tally, commit, vacuum) against raw load + GROUP BY, on SQLite and "
          f"PostgreSQL", flush=True)
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
    repeats = int(os.environ.get("GONGXIN_BENCH_REPEATS", 2))
    print(f"  {n:,} ballots, {CANDIDATES} candidates, k = {K}, best of {repeats}", flush=True)

    # the databases first, each in a fresh child process (before this one grows)
    dbs = ["sqlite"] + (["postgres"] if _pg_available() else [])
    if "postgres" not in dbs:
        print("  PostgreSQL not reachable: skipped", flush=True)
    for db in dbs:
        r = _run_child(db, n, repeats)
        if r is None:
            continue
        ours = r["ingest_s"] + r["tally_s"]
        raw = r["raw_marks_load_s"] + r["raw_group_by_s"]
        raw_note = f"raw load {r['raw_marks_load_s']:.2f} s ({r['marks']:,} rows) + GROUP BY {r['raw_group_by_s']:.2f} s"
        report(f"{db}: ingest + tally {n:,} ballots", ours, "s", "raw bulk load of the marks + GROUP BY", raw,
               note=f"ingest (counting identical ballots) {r['ingest_s']:.2f} s + tally {r['tally_s']:.2f} s; {raw_note}")
        report(f"{db}: ingest + read back + tally", r["ingest_s"] + r["read_tally_s"], "s",
               "raw bulk load of the marks + GROUP BY", raw,
               note=f"read back from the database and tallied afresh: {r['read_tally_s']:.2f} s")
        report(f"{db}: ingest {n:,} ballot rows", r["ingest_s"], "s", "raw load of the same rows into a bare table",
               r["raw_ballot_rows_s"])
        report(f"{db}: peak memory, ingest + tally", r["peak_rss_mb"], "MB", "budget", 500.0,
               note=f"child process peak (VmHWM) over ingest, tally, read back and tally again; "
                    f"{r['rss_before_mb']:.0f} MB after generating the ballots")
        if db == "sqlite":
            report("shuffle at close (CSPRNG sort keys)", r["shuffle_s"], "s", "random.shuffle (Mersenne Twister)",
                   r["mt_shuffle_s"], note="not in ingest + tally: closing a meeting adds it")

    # the tally function alone, in memory, against Counter over the same marks
    ballots = make_ballots(n)
    marks = [m for b in ballots if b for m in b.split(",")]
    posts = [tally.PostSpec("1", "bench", K)]
    best_t, best_c = None, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = tally.tally(posts, ballots)
        t1 = time.perf_counter()
        counted = Counter(marks)
        t2 = time.perf_counter()
        best_t = t1 - t0 if best_t is None else min(best_t, t1 - t0)
        best_c = t2 - t1 if best_c is None else min(best_c, t2 - t1)
    assert sum(result.posts[0].votes.values()) <= sum(counted.values())
    report("tally function (parse, void over-votes, count)", best_t, "s", "Counter over the same marks", best_c,
           note=f"{len(marks):,} marks")



# ---- the sealed box (issue 13): sealing per ballot, opening at close --------------------------
#
# Opening is what close_meeting does with the tellers' key, timed from the box count to the
# tally: open every sealed ballot (worker processes on every core), shuffle, delete the boxes,
# write the ballots afresh, tally, commit, vacuum (``opening.open_and_rewrite`` + tally +
# ``opening.vacuum_after_commit``). Its baselines, in the same process and the same rounds:
# decrypting the same boxes in one process with ``cryptography`` alone (X25519, its HKDF class,
# ChaCha20-Poly1305: no padding, no database), plus the raw bulk load of the marks + GROUP BY
# measured above. A setup child seals the ballots first (in a process pool) into a spare
# table, so the measuring child starts fresh and its peak memory is its own; each round
# restores the boxes from the spare table outside the timing.

SEALED_SIZES = os.environ.get("GONGXIN_BENCH_SEALED", "100000,1000000")
SAMPLE = 5_000


def _django(db: str, tmp: str, *, recreate: bool):
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
    from django.db import connection

    if db == "sqlite":  # the spare boxes in a file of their own, out of the product's VACUUM
        with connection.cursor() as cur:
            cur.execute(f"ATTACH DATABASE '{tmp}/spare.sqlite3' AS spare")
    return connection


def _spare() -> str:
    from django.db import connection

    return "spare.bench_boxes" if connection.vendor == "sqlite" else "bench_boxes"


def _seal_chunk(args):
    """Setup only: seal a chunk of ballots, one ephemeral key per chunk (not per ballot as a
    cast does) to save minutes at a million; the boxes open the same way, and opening does
    the full per-box work (key exchange, KDF, decryption) whatever key each box carries."""
    public, length, texts = args
    import secrets
    import struct

    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    from gongxin.meetings import sealing

    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes_raw()
    aead = ChaCha20Poly1305(sealing._hkdf(eph.exchange(X25519PublicKey.from_public_bytes(public)), eph_pub, public))
    out = []
    for t in texts:
        data = t.encode()
        plain = struct.pack(">H", len(data)) + data + secrets.token_bytes(length - 2 - len(data))
        out.append(eph_pub + aead.encrypt(sealing.NONCE, plain, None))
    return out


def _sealed_setup(db: str, n: int, tmp: str) -> dict:
    connection = _django(db, tmp, recreate=True)
    from concurrent.futures import ProcessPoolExecutor

    from django.core.management import call_command
    from django.db import transaction

    from gongxin.meetings import ingest, opening, sealing, tally
    from gongxin.meetings.models import Meeting
    from gongxin.people.models import OrgUnit

    call_command("migrate", verbosity=0, interactive=False)
    unit = OrgUnit.objects.create(name="bench", kind="organ", path="00001.")
    meeting = Meeting.objects.create(title="bench", org_unit=unit, status="open")
    private, public = sealing.new_keypair()
    length = sealing.padded_length([K])
    ballots = make_ballots(n)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=opening.workers()) as pool:
        chunks = [(public, length, ballots[i:i + 1_000]) for i in range(0, n, 1_000)]
        boxes = [b for chunk in pool.map(_seal_chunk, chunks) for b in chunk]
    seal_all = time.perf_counter() - t0
    ids = ingest.random_ids(n)
    with transaction.atomic(), connection.cursor() as cur:
        if db == "postgres":
            cur.execute("CREATE TABLE bench_boxes (id bigint, meeting_id bigint, box bytea)")
            with cur.cursor.copy("COPY bench_boxes (id, meeting_id, box) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "int8", "bytea"])
                for row in zip(ids, repeat(meeting.pk), boxes):
                    copy.write_row(row)
        else:
            cur.execute("CREATE TABLE spare.bench_boxes (id integer primary key, meeting_id integer, box blob)")
            for s in range(0, n, 65_536):
                cur.executemany("INSERT INTO spare.bench_boxes VALUES (%s, %s, %s)",
                                list(zip(ids[s:s + 65_536], repeat(meeting.pk), boxes[s:s + 65_536])))
    expected = tally.tally([tally.PostSpec("1", "bench", K)], ballots).as_dict()
    return {"meeting": meeting.pk, "private": private.hex(), "public": public.hex(), "length": length,
            "box_bytes": len(boxes[0]), "seal_all_s": seal_all, "workers": opening.workers(), "expected": expected}


def _sealed_measure(db: str, n: int, rounds: int, tmp: str, setup: dict) -> dict:
    connection = _django(db, tmp, recreate=False)
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    from django.db import transaction

    from gongxin.meetings import opening, sealing, tally
    from gongxin.meetings.models import random_ballot_id

    mid, private, public = setup["meeting"], bytes.fromhex(setup["private"]), bytes.fromhex(setup["public"])
    posts = [tally.PostSpec("1", "bench", K)]
    out = {"db": db, "n": n, "rounds": [], "rss_start_mb": _peak_rss_mb()}

    def restore():
        with connection.cursor() as cur:
            cur.execute("DELETE FROM meetings_sealedballot")
            cur.execute("DELETE FROM meetings_ballot")
            cur.execute(f"INSERT INTO meetings_sealedballot (id, meeting_id, box) SELECT id, meeting_id, box FROM {_spare()}")
            if db == "postgres":
                cur.execute("VACUUM ANALYZE meetings_sealedballot")
                cur.execute("VACUUM meetings_ballot")
                cur.execute("CHECKPOINT")

    def ours():
        restore()
        _reset_peak_rss()
        t0 = time.perf_counter()
        with transaction.atomic():
            boxes = opening.count_boxes(mid)
            ballots, counted = opening.open_and_rewrite(mid, private, boxes=boxes)
            result = tally.tally_counted(posts, counted.items())
            opening.vacuum_after_commit()
        elapsed = time.perf_counter() - t0
        assert result.as_dict() == setup["expected"], "the opened box does not tally as cast"
        assert len(ballots) == n
        return elapsed, _peak_rss_mb()

    def bare():
        with connection.cursor() as cur:
            cur.execute(f"SELECT box FROM {_spare()}")
            boxes = [bytes(r[0]) for r in cur.fetchall()]
        key = X25519PrivateKey.from_private_bytes(private)
        nonce = bytes(12)
        t0 = time.perf_counter()
        for box in boxes:
            eph = box[:32]
            shared = key.exchange(X25519PublicKey.from_public_bytes(eph))
            k = HKDF(hashes.SHA256(), 32, None, sealing.INFO + eph + public).derive(shared)
            ChaCha20Poly1305(k).decrypt(nonce, box[32:], None)
        elapsed = time.perf_counter() - t0
        sample = boxes[:SAMPLE]
        t1 = time.perf_counter()
        sealing.Opener(private).open_all(sample)
        ours_one_core = (time.perf_counter() - t1) / len(sample)
        return elapsed, ours_one_core

    def raw():
        ballots = make_ballots(n)
        marks = [(i, int(m)) for i, b in enumerate(ballots) if b for m in b.split(",")]
        del ballots
        with connection.cursor() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS raw_marks (ballot integer, candidate integer)")
            cur.execute("DELETE FROM raw_marks")
        _settle(db, connection)
        t0 = time.perf_counter()
        _load_marks(db, connection, marks)
        t1 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("SELECT candidate, COUNT(*) FROM raw_marks GROUP BY candidate")
            cur.fetchall()
            t2 = time.perf_counter()
            cur.execute("DELETE FROM raw_marks")
        return t1 - t0, t2 - t1

    for _ in range(rounds):
        (o, peak), (b, one_core), (load, group) = ours(), bare(), raw()
        out["rounds"].append({"open_s": o, "peak_mb": peak, "bare_decrypt_s": b, "opener_one_core_us": one_core * 1e6,
                              "raw_load_s": load, "group_by_s": group})

    # sealing per ballot against a plain insert: each a single-row INSERT, as a cast does,
    # interleaved, on a sample; rolled back
    sample = make_ballots(SAMPLE, seed=7)
    length = setup["length"]

    def insert_loop(sealed: bool) -> float:
        with transaction.atomic(), connection.cursor() as cur:
            t0 = time.perf_counter()
            for text in sample:
                if sealed:
                    cur.execute("INSERT INTO meetings_sealedballot (id, meeting_id, box) VALUES (%s, %s, %s)",
                                [random_ballot_id(), mid, sealing.seal(public, text, length)])
                else:
                    cur.execute("INSERT INTO meetings_ballot (id, meeting_id, contents) VALUES (%s, %s, %s)",
                                [random_ballot_id(), mid, text])
            elapsed = time.perf_counter() - t0
            transaction.set_rollback(True)
        return elapsed / len(sample)

    restore()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM meetings_sealedballot")
    out["per_ballot"] = [(insert_loop(True), insert_loop(False)) for _ in range(3)]
    return out


def _sealed_run(db: str, n: int, rounds: int) -> dict | None:
    tmp = tempfile.mkdtemp(prefix="gx-bench-sealed-")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    try:
        setup = subprocess.run([sys.executable, __file__, "--sealed-setup", db, str(n), tmp], capture_output=True,
                               text=True, env=env)
        if setup.returncode != 0:
            print(f"  {db}: sealed setup failed\n{setup.stderr[-2000:]}", flush=True)
            return None
        Path(tmp, "setup.json").write_text(setup.stdout.strip().splitlines()[-1])
        proc = subprocess.run([sys.executable, __file__, "--sealed-measure", db, str(n), str(rounds), tmp],
                              capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            print(f"  {db}: sealed measure failed\n{proc.stderr[-2000:]}", flush=True)
            return None
        return {**json.loads(proc.stdout.strip().splitlines()[-1]), "setup": json.loads(setup.stdout.strip().splitlines()[-1])}
    finally:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


def sealed_main(report) -> None:
    import statistics

    dbs = ["sqlite"] + (["postgres"] if _pg_available() else [])
    for n in [int(x) for x in SEALED_SIZES.split(",") if x]:
        rounds = int(os.environ.get("GONGXIN_BENCH_SEALED_ROUNDS", 3 if n <= 200_000 else 1))
        for db in dbs:
            r = _sealed_run(db, n, rounds)
            if r is None:
                continue
            runs, setup = r["rounds"], r["setup"]
            opening_s = statistics.median(x["open_s"] for x in runs)
            base = [x["bare_decrypt_s"] + x["raw_load_s"] + x["group_by_s"] for x in runs]
            ratio = statistics.median(x["open_s"] / b for x, b in zip(runs, base, strict=True))
            report(f"{db}: opening {n:,} sealed ballots", opening_s, "s",
                   "bare decryption (cryptography alone, one process) + raw load + GROUP BY", statistics.median(base),
                   note=f"median ratio over {len(runs)} interleaved rounds {ratio:.2f}× (target ≤ 1.3×); "
                        f"bare decryption {statistics.median(x['bare_decrypt_s'] for x in runs):.1f} s, raw load "
                        f"{statistics.median(x['raw_load_s'] for x in runs):.2f} s + GROUP BY "
                        f"{statistics.median(x['group_by_s'] for x in runs):.2f} s; opening on {setup['workers']} "
                        f"worker processes; Opener alone {statistics.median(x['opener_one_core_us'] for x in runs):.0f}"
                        f" µs per box on one core")
            peaks = ", ".join(f"{x['peak_mb']:.0f}" for x in runs)
            report(f"{db}: peak memory, opening {n:,}", runs[0]["peak_mb"], "MB", "budget", 500.0,
                   note=f"fresh measuring process, first round (all rounds: {peaks} MB)")
            sealed_us = statistics.median(a for a, _b in r["per_ballot"]) * 1e6
            plain_us = statistics.median(b for _a, b in r["per_ballot"]) * 1e6
            report(f"{db}: cast, seal + insert one ballot", sealed_us, "µs", "plain insert of the ballot", plain_us,
                   note=f"single-row inserts, {SAMPLE:,} ballots × 3 rounds; box {setup['box_bytes']} bytes; "
                        f"setup sealed all {n:,} in {setup['seal_all_s']:.1f} s on {setup['workers']} processes")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--sealed-setup":
        print(json.dumps(_sealed_setup(sys.argv[2], int(sys.argv[3]), sys.argv[4])))
    elif len(sys.argv) == 6 and sys.argv[1] == "--sealed-measure":
        setup = json.loads(Path(sys.argv[5], "setup.json").read_text())
        print(json.dumps(_sealed_measure(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], setup)))
    elif len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
    else:
        sys.path.insert(0, str(HERE))
        from run import main as run_main

        sys.exit(run_main(["meetings"]))
