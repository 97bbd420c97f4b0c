"""Ledger benchmarks (run: ``python bench/run.py ledger``).

1. Recording N_RECORD events through ``record_event`` (one transaction each, as an action does)
   vs inserting the same finished rows plainly (one INSERT per transaction, in a second
   database, on a sample of N_PLAIN rows): the overhead of numbering, encoding, hashing and the
   Merkle frontier.
2. Verifying N_VERIFY events from stored bytes (``gongxin ledger verify``'s code path, in a
   subprocess) vs raw SHA-256 over the same stored bytes measured in this run.
3. Peak memory of that verifying subprocess: its own VmHWM since exec, not ru_maxrss (which a
   child started by fork + exec inherits from its parent: 310 MB reported against a real 9 MB).

Verifying is measured in BENCH_LEDGER_ROUNDS rounds (default 3), interleaved with the baseline
(bench/_child.interleaved, the order alternating), each round a fresh verifying process; the
figure is the median of the per-round ratios. Both the default (two processes on two cores,
gongxin.ledger.twocore) and the one-process path are measured.

Environment: BENCH_LEDGER_RECORD (default 100000), BENCH_LEDGER_VERIFY (default 1000000)."""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

N_RECORD = int(os.environ.get("BENCH_LEDGER_RECORD", 100_000))
N_VERIFY = int(os.environ.get("BENCH_LEDGER_VERIFY", 1_000_000))
N_PLAIN = int(os.environ.get("BENCH_LEDGER_PLAIN", 30_000))  # baseline sample (a rate; keeps the run short)
ROUNDS = int(os.environ.get("BENCH_LEDGER_ROUNDS", 3))
SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _child import interleaved, scope  # noqa: E402

VERIFY_CHILD = r"""
import os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "gongxin.settings"
def hwm_kb():  # VmHWM: this process's peak since exec (ru_maxrss would carry the parent's over)
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
import django
django.setup()
from gongxin.ledger.verification import verify_ledger
before = hwm_kb()
started = time.perf_counter()
result = verify_ledger(processes=int(sys.argv[1]))
elapsed = time.perf_counter() - started
print(result.size, elapsed, hwm_kb(), before, result.root.hex(), result.processes, result.worker_chunks)
"""


def _setup(tmp: Path):
    os.environ["GONGXIN_DATA_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'ledger.sqlite3'}"
    os.environ["GONGXIN_LEDGER_KEY_FILE"] = str(tmp / "ledger.key")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongxin.settings")
    sys.path.insert(0, str(SRC))
    import django
    from django.conf import settings

    django.setup()
    plain = dict(settings.DATABASES["default"])
    plain["NAME"] = str(tmp / "plain.sqlite3")
    settings.DATABASES["plain"] = plain
    from django.db import connections

    connections.settings = connections.configure_settings(settings.DATABASES)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("migrate", database="plain", verbosity=0)


def _payload(i):
    return {"meeting": 1000 + i // 500, "ballot": f"b{i:08d}", "choices": [i % 7, (i * 3) % 11, (i * 5) % 13],
            "note": "推荐票已收回", "counted": True}


def bench_recording(report):
    """Interleaved in blocks of 1,000 (ledger block, then the same rows plainly), so both
    see the same machine load; the plain baseline runs on the first N_PLAIN rows."""
    from django.db import connections, transaction

    from gongxin.ledger.models import Event
    from gongxin.ledger.recording import record_event

    plain_db = connections["plain"]
    sql = ("INSERT INTO ledger_event (seq, kind, subject_type, subject_id, actor_id, actor_name, recorded_at, public,"
           " data, leaf_hash, nodes) VALUES (%s, %s, %s, %s, NULL, '', %s, %s, %s, %s, %s)")
    block = 1000
    recorded = recorded_sample = plain = 0.0
    sample = 0
    ratios = []  # per block of 1,000: (ledger time per event) / (plain time per event)
    for start in range(0, N_RECORD, block):
        stop = min(start + block, N_RECORD)
        t = time.perf_counter()
        for i in range(start, stop):
            with transaction.atomic():
                record_event(kind="bench.ballot.counted", subject=("meetings.ballot", i), actor=None,
                             payload=_payload(i))
        elapsed = time.perf_counter() - t
        recorded += elapsed
        if start >= N_PLAIN:
            continue
        # the same finished rows, one plain INSERT per transaction: the SQL the ledger path ends
        # with, minus locking the head, encoding, hashing and the frontier
        rows = list(Event.objects.filter(seq__gte=start, seq__lt=stop).order_by("seq").values_list(
            "seq", "kind", "subject_type", "subject_id", "recorded_at", "data", "leaf_hash", "nodes"))
        t = time.perf_counter()
        for seq, kind, stype, sid, at, data, leaf, nodes in rows:
            with transaction.atomic(using="plain"), plain_db.cursor() as cursor:
                cursor.execute(sql, [seq, kind, stype, sid, plain_db.ops.adapt_datetimefield_value(at), False, data,
                                     leaf, nodes])
        plain_block = time.perf_counter() - t
        plain += plain_block
        ratios.append(elapsed / plain_block)
        recorded_sample += elapsed
        sample += len(rows)
    per_event, per_plain = recorded_sample / sample, plain / sample
    report(f"record_event, {sample} events, 1 transaction each", sample / recorded_sample, "events/s",
           f"plain INSERT of the same {sample} rows, 1 transaction each", sample / plain,
           note=f"overhead ×{statistics.median(ratios):.2f} per event, median of {len(ratios)} interleaved blocks of "
                f"1,000 ({per_event * 1e6:.0f} µs vs {per_plain * 1e6:.0f} µs in all)")
    report(f"record_event, all {N_RECORD} events", N_RECORD / recorded, "events/s", note=f"{recorded:.1f} s in all")


def _fast_canonical(seq, when) -> bytes:
    """canonical_json of the bench envelope, by template (the fill is not what is measured)."""
    return (b'{"actor":null,"kind":"bench.ballot.counted","payload":{"ballot":"b%08d","choices":[%d,%d,%d],'
            b'"counted":true,"meeting":%d,"note":"\xe6\x8e\xa8\xe8\x8d\x90\xe7\xa5\xa8\xe5\xb7\xb2\xe6\x94\xb6'
            b'\xe5\x9b\x9e"},"seq":%d,"subject":{"id":"%d","type":"meetings.ballot"},"time":"%s"}'
            % (seq, seq % 7, (seq * 3) % 11, (seq * 5) % 13, 1000 + seq // 500, seq, seq, when.isoformat().encode()))


def _fill(n):
    """n valid events straight into the table (executemany), built as record_event builds them."""
    import datetime as dt
    import hashlib

    from django.db import connection, transaction

    from gongxin.ledger.canonical import canonical_json
    from gongxin.ledger.merkle import Frontier
    from gongxin.ledger.models import Event, LedgerHead

    sha = hashlib.sha256
    start = LedgerHead.objects.get(id=1).size
    frontier = Frontier.from_bytes(start, bytes(LedgerHead.objects.get(id=1).frontier))
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    sql = ("INSERT INTO ledger_event (seq, kind, subject_type, subject_id, actor_id, actor_name, recorded_at, public,"
           " data, leaf_hash, nodes) VALUES (%s, %s, %s, %s, NULL, '', %s, %s, %s, %s, %s)")
    batch = []
    with transaction.atomic(), connection.cursor() as cursor:
        for seq in range(start, start + n):
            when = t0 + dt.timedelta(seconds=seq)
            data = _fast_canonical(seq, when)
            if seq % 50_000 == 0:  # the template is the canonical encoding record_event would make
                env = {"seq": seq, "kind": "bench.ballot.counted",
                       "subject": {"type": "meetings.ballot", "id": str(seq)}, "actor": None, "time": when,
                       "payload": _payload(seq)}
                assert data == canonical_json(env), (data, canonical_json(env))
            leaf = sha(b"\x00" + data).digest()
            nodes = b"".join(h for _l, _i, h in frontier.append(leaf))
            batch.append((seq, "bench.ballot.counted", "meetings.ballot", str(seq), when.isoformat(), False, data,
                          leaf, nodes))
            if len(batch) == 20_000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
        LedgerHead.objects.filter(id=1).update(size=start + n, frontier=frontier.to_bytes())
    assert Event.objects.count() == start + n


def bench_verifying(report, tmp):
    import hashlib

    from django.db import connection

    from gongxin.ledger.checkpoints import sign_checkpoint
    from gongxin.ledger.models import Event

    have = Event.objects.count()
    started = time.perf_counter()
    _fill(N_VERIFY - have)
    sign_checkpoint(reason="bench")
    print(f"   (filled {N_VERIFY - have} events in {time.perf_counter() - started:.1f} s)", flush=True)
    connection.close()

    # baseline: raw SHA-256 over the same stored bytes (read in chunks; only the hashing is timed)
    # (also timed: the same hashing through a primed context's copy(), the trick verify uses
    # for its leaves and nodes, so that the report shows what that trick alone is worth)
    sha = hashlib.sha256
    primed = hashlib.sha256().copy
    hashing = hashing_primed = 0.0
    read_and_hash_started = time.perf_counter()
    total_bytes = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM ledger_event ORDER BY seq")
        while chunk := cursor.fetchmany(10_000):
            t = time.perf_counter()
            for (data,) in chunk:
                sha(data).digest()
            t2 = time.perf_counter()
            for (data,) in chunk:
                h = primed()
                h.update(data)
                h.digest()
            hashing += t2 - t
            hashing_primed += time.perf_counter() - t2
            total_bytes += sum(len(d) for (d,) in chunk)
    read_and_hash = time.perf_counter() - read_and_hash_started - hashing_primed
    connection.close()

    env = {**os.environ, "PYTHONPATH": str(SRC)}
    from gongxin.ledger.tree import current_root

    expected_root = current_root()[1]
    connection.close()
    runs = {1: [], 2: []}

    def verify(processes):
        out = subprocess.run([sys.executable, "-c", VERIFY_CHILD, str(processes)], capture_output=True, text=True,
                             env=env, check=True)
        size, elapsed, hwm_kb, before_kb, root, used, worker_chunks = out.stdout.split()
        assert int(size) == N_VERIFY and bytes.fromhex(root) == expected_root  # the same root either way
        runs[processes].append((float(elapsed), int(hwm_kb) / 1024, int(before_kb) / 1024, int(used), int(worker_chunks)))
        return float(elapsed)

    datas = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM ledger_event ORDER BY seq")
        while chunk := cursor.fetchmany(10_000):
            datas.extend(bytes(d) for (d,) in chunk)
    connection.close()

    def raw_hashing():
        t = time.perf_counter()
        for data in datas:
            sha(data).digest()
        return time.perf_counter() - t

    load = os.getloadavg()
    base, prod, ratio_time = interleaved(raw_hashing, lambda: verify(2), rounds=ROUNDS)
    base1, prod1, ratio_time1 = interleaved(raw_hashing, lambda: verify(1), rounds=ROUNDS)
    load_after = os.getloadavg()
    size = N_VERIFY
    two = runs[2]
    report(f"ledger verify, default (2 processes when 2 cores), median of {ROUNDS} interleaved rounds",
           size / statistics.median(prod), "events/s", "raw SHA-256 of the same stored bytes (hashing only)",
           size / statistics.median(base),
           note=f"median per-round ratio {1 / ratio_time:.2f}× (target ≥ 0.35×); processes used "
                f"{sorted({r[3] for r in two})}, the second checked {statistics.median(r[4] for r in two):.0f} of "
                f"{-(-size // 8192)} chunks; {size} events, {total_bytes / size:.0f} bytes each; "
                f"load average {load[0]:.1f} before, {load_after[0]:.1f} after (2 cores)")
    report(f"ledger verify, one process, median of {ROUNDS} interleaved rounds", size / statistics.median(prod1),
           "events/s", "raw SHA-256 of the same stored bytes (hashing only)", size / statistics.median(base1),
           note=f"median per-round ratio {1 / ratio_time1:.2f}×; two processes vs one: "
                f"×{statistics.median(prod1) / statistics.median(prod):.2f}; read+hash only: "
                f"{size / read_and_hash:,.0f}/s; raw SHA-256 through a primed context's copy(): "
                f"{size / hashing_primed:,.0f}/s")
    peak = max(r[1] for r in runs[1] + runs[2])
    report("ledger verify peak memory (VmHWM of a fresh process)", peak, "MB",
           note=f"{size} events, the higher of all rounds (the worker process's own peak is smaller: it holds one "
                f"chunk); {statistics.median(r[2] for r in two):.0f} MB of it was Python + Django before verifying; "
                "limit 300 MB")


def main(report):
    scope(f"ledger: record_event ({N_RECORD} events) against plain INSERTs; gongxin ledger verify of {N_VERIFY} events "
          f"(SQLite file, 1 and 2 processes, {ROUNDS} rounds) against raw SHA-256 of the same bytes; verify's peak memory")
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as tmp:
        _setup(Path(tmp))
        bench_recording(report)
        bench_verifying(report, Path(tmp))
