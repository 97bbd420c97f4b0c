"""The sealed box (issue 13) half of bench_meetings: sealing per ballot, opening at close.
Run through ``python bench/run.py meetings`` (``GONGXIN_BENCH_PART=sealed`` for this half only);
this file is also the setup and measuring child it starts."""

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
sys.path.insert(0, str(HERE))
from _child import interleaved  # noqa: E402
from bench_meetings import (  # noqa: E402
    SEALED_SIZES,
    SRC,
    K,
    _load_marks,
    _peak_rss_mb,
    _pg_available,
    _reset_peak_rss,
    _settle,
    make_ballots,
    setup_django,
)

# # Opening is what close_meeting does with the tellers' key, timed from the box count to the
# tally: open every sealed ballot (worker processes on every core), shuffle, delete the boxes,
# write the ballots afresh, tally, commit, vacuum (``opening.open_and_rewrite`` + tally +
# ``opening.vacuum_after_commit``). Its baselines, in the same process and the same rounds:
# decrypting the same boxes in one process with ``cryptography`` alone (X25519, its HKDF class,
# ChaCha20-Poly1305: no padding, no database), plus the raw bulk load of the marks + GROUP BY
# measured above. A setup child seals the ballots first (in a process pool) into a spare
# table, so the measuring child starts fresh and its peak memory is its own; each round
# restores the boxes from the spare table outside the timing.

SAMPLE = 5_000


def _django(db: str, tmp: str, *, recreate: bool):
    setup_django(db, tmp, recreate=recreate)
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

    opened, based = [], []

    def product():
        o, peak = ours()
        opened.append((o, peak))
        return o

    def baseline():
        (b, one_core), (load, group) = bare(), raw()
        based.append((b, one_core, load, group))
        return b + load + group

    interleaved(baseline, product, rounds=rounds)
    for (o, peak), (b, one_core, load, group) in zip(opened, based, strict=True):
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
    plain, sealed, _ratio = interleaved(lambda: insert_loop(False), lambda: insert_loop(True), rounds=3)
    out["per_ballot"] = list(zip(sealed, plain, strict=True))
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

    dbs = ["sqlite"] + (["postgres"] if _pg_available() else [])
    for n in [int(x) for x in SEALED_SIZES.split(",") if x]:
        rounds = int(os.environ.get("GONGXIN_BENCH_SEALED_ROUNDS", 3))
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
                   note=f"median per-round ratio over {len(runs)} interleaved rounds {ratio:.2f}× (target ≤ 1.3×); "
                        f"bare decryption {statistics.median(x['bare_decrypt_s'] for x in runs):.1f} s, raw load "
                        f"{statistics.median(x['raw_load_s'] for x in runs):.2f} s + GROUP BY "
                        f"{statistics.median(x['group_by_s'] for x in runs):.2f} s; opening on {setup['workers']} "
                        f"worker processes; Opener alone {statistics.median(x['opener_one_core_us'] for x in runs):.0f}"
                        f" µs per box on one core")
            peaks = ", ".join(f"{x['peak_mb']:.0f}" for x in runs)
            report(f"{db}: peak memory, opening {n:,}", runs[0]["peak_mb"], "MB", "budget", 500.0,
                   note=f"fresh measuring process, first opening (all rounds: {peaks} MB)")
            sealed_us = statistics.median(a for a, _b in r["per_ballot"]) * 1e6
            plain_us = statistics.median(b for _a, b in r["per_ballot"]) * 1e6
            report(f"{db}: cast, seal + insert one ballot", sealed_us, "µs", "plain insert of the ballot", plain_us,
                   note=f"single-row inserts, {SAMPLE:,} ballots × 3 interleaved rounds; box {setup['box_bytes']} bytes; "
                        f"setup sealed all {n:,} in {setup['seal_all_s']:.1f} s on {setup['workers']} processes")




if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--sealed-setup":
        print(json.dumps(_sealed_setup(sys.argv[2], int(sys.argv[3]), sys.argv[4])))
    elif len(sys.argv) == 6 and sys.argv[1] == "--sealed-measure":
        setup = json.loads(Path(sys.argv[5], "setup.json").read_text())
        print(json.dumps(_sealed_measure(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], setup)))
