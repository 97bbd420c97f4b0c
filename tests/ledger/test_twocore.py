"""`gongxin ledger verify` on two processes (gongxin.ledger.twocore): the same root, roots at the
checkpoint sizes and first failure as the one-process path, on clean and tampered ledgers; the
worker really checks chunks; the one-process fallback when it cannot help or cannot start."""

import io
import sqlite3

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from gongxin.ledger import twocore, verification
from gongxin.ledger.audit import AuditFailure, replay_chunks
from gongxin.ledger.recording import record_event
from tests.ledger.test_audit import _ledger

TABLE = "ledger_event"


def _write(path, rows):
    db = sqlite3.connect(path)
    db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (seq INTEGER PRIMARY KEY, data BLOB, leaf_hash BLOB, nodes BLOB)")
    db.execute(f"DELETE FROM {TABLE}")
    db.executemany(f"INSERT INTO {TABLE} VALUES (?, ?, ?, ?)", [(i, *r) for i, r in enumerate(rows)])
    db.commit()
    db.close()


def _outcome(fn):
    try:
        frontier, roots = fn()
        return ("ok", frontier.size, frontier.root(), roots)
    except AuditFailure as exc:
        return ("failed", exc.seq, exc.message)


def _both(path, n, chunk, sizes=(), stats=None, worker_first=0):
    one = _outcome(lambda: replay_chunks(verification.sqlite_file_chunks(path, n, chunk), chunk_size=chunk,
                                         snapshot_sizes=sizes))
    two = _outcome(lambda: twocore.replay_two_processes(
        verification.sqlite_file_chunks(path, n, chunk), size=n, chunk_size=chunk,
        source={"vendor": "sqlite", "path": path}, table=TABLE, snapshot_sizes=sizes, stats=stats,
        worker_first=worker_first))
    return one, two


def test_clean_ledger_same_root_and_snapshots_and_the_worker_did_its_share(tmp_path):
    # given a ledger of 200 events in chunks of 4 (50 chunks)
    rows, frontier = _ledger(200)
    path = str(tmp_path / "l.sqlite3")
    _write(path, rows)
    stats = {}
    # when both paths check it
    one, two = _both(path, 200, 4, sizes={0, 1, 7, 64, 133, 200}, stats=stats, worker_first=20)
    # then they agree with each other and with the tree built while recording
    assert one == two
    assert one[:3] == ("ok", 200, frontier.root())
    assert stats["processes"] == 2 and stats["parent_chunks"] + stats["worker_chunks"] == 50
    assert stats["worker_chunks"] >= 20  # the worker's chunks (from the end) were folded in


@settings(max_examples=25, deadline=None)
@given(st.integers(9, 90), st.sampled_from([2, 4, 8]), st.data())
def test_any_one_changed_byte_is_named_the_same_way(tmp_path_factory, n, chunk, data):
    rows, _f = _ledger(n)
    seq = data.draw(st.integers(0, n - 1))
    column = data.draw(st.integers(0, 2))
    if column == 2 and not rows[seq][2]:
        column = 1
    value = rows[seq][column]
    pos = data.draw(st.integers(0, len(value) - 1))
    rows[seq][column] = value[:pos] + bytes([value[pos] ^ 0x40]) + value[pos + 1:]
    path = str(tmp_path_factory.mktemp("t") / "l.sqlite3")
    _write(path, rows)
    one, two = _both(path, n, chunk, worker_first=data.draw(st.sampled_from([0, 2, 100])))
    assert one == two
    assert one[:2] == ("failed", seq)


def test_two_failures_the_earlier_one_is_reported_even_if_the_worker_finds_the_later_first(tmp_path):
    rows, _f = _ledger(64)
    for seq in (3, 60):  # the worker starts at the end: it meets 60 long before the parent meets 3
        rows[seq][0] = rows[seq][0].replace(b'"i":', b'"j":')
    path = str(tmp_path / "l.sqlite3")
    _write(path, rows)
    one, two = _both(path, 64, 4, worker_first=1)
    assert one == two == ("failed", 3, "the stored payload does not hash to the stored leaf hash")


def test_a_worker_that_cannot_read_leaves_the_whole_check_to_this_process(tmp_path):
    rows, frontier = _ledger(40)
    path = str(tmp_path / "l.sqlite3")
    _write(path, rows)
    stats = {}
    result = _outcome(lambda: twocore.replay_two_processes(
        verification.sqlite_file_chunks(path, 40, 4), size=40, chunk_size=4,
        source={"vendor": "sqlite", "path": str(tmp_path / "missing.sqlite3")}, table=TABLE, stats=stats))
    assert result[:3] == ("ok", 40, frontier.root())
    assert stats == {"processes": 2, "parent_chunks": 10, "worker_chunks": 0}


def test_processes_chosen_by_size_cores_and_setting(monkeypatch):
    monkeypatch.delenv("GONGXIN_VERIFY_PROCESSES", raising=False)
    monkeypatch.setattr(twocore, "available_cores", lambda: 2)
    monkeypatch.setattr(twocore, "load_average", lambda: 0.3)
    assert verification.processes_wanted(verification.TWO_CORE_MIN, None) == 2
    assert verification.processes_wanted(verification.TWO_CORE_MIN - 1, None) == 1  # small: one process
    monkeypatch.setattr(twocore, "load_average", lambda: 1.5)
    assert verification.processes_wanted(10 ** 7, None) == 1  # no core free: one process
    monkeypatch.setattr(twocore, "available_cores", lambda: 1)
    assert verification.processes_wanted(10 ** 7, None) == 1  # one core: one process
    assert verification.processes_wanted(10, 2) == 2
    monkeypatch.setenv("GONGXIN_VERIFY_PROCESSES", "2")
    assert verification.processes_wanted(10, None) == 2


def _record(n):
    for i in range(n):
        with transaction.atomic():
            record_event(kind="tests.thing.done", subject=("tests.thing", i), actor=None,
                         payload={"i": i, "note": "公示期满无异议"})


def _verify_command(*extra):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", "verify", *extra, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_in_memory_test_database_falls_back_to_one_process():
    _record(5)
    assert verification.worker_source() is None or connection.vendor != "sqlite"
    if connection.vendor == "sqlite":
        code, out, _err = _verify_command("--processes", "2")
        assert code == 0 and "1 process" in out


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_two_processes_same_root_and_same_tampered_seq():
    from tests.ledger.test_integrity import _tamper_payload

    assert connection.vendor == "postgresql"
    _record(40)
    one = verification.verify_ledger(processes=1, chunk_size=4)
    two = verification.verify_ledger(processes=2, chunk_size=4, worker_first=3)
    assert (two.size, two.root) == (one.size, one.root)
    assert two.processes == 2 and two.worker_chunks >= 3
    _tamper_payload(9)
    with pytest.raises(AuditFailure) as a:
        verification.verify_ledger(processes=1, chunk_size=4)
    with pytest.raises(AuditFailure) as b:
        verification.verify_ledger(processes=2, chunk_size=4, worker_first=8)
    assert (a.value.seq, a.value.message) == (b.value.seq, b.value.message) and a.value.seq == 9
