"""Append-only triggers, tampering caught by `gongxin ledger verify` and by the offline verifier,
checkpoints that never shrink, and gapless numbering under concurrent writers (PostgreSQL)."""

import base64
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from gongxin.ledger import guard, keys, note
from gongxin.ledger.checkpoints import checkpoint_after_commit, sign_checkpoint
from gongxin.ledger.models import Checkpoint, Event
from gongxin.ledger.recording import record_event
from tests.concurrency import at_once

SRC = Path(__file__).resolve().parents[2] / "src"


def _record(n, public_every=0):
    for i in range(n):
        with transaction.atomic():
            record_event(kind="tests.thing.done", subject=("tests.thing", i), actor=None,
                         payload={"i": i, "note": "公示期满无异议"}, public=bool(public_every and i % public_every == 0))


def _verify():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", "verify", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def _tamper_payload(seq, old=b"\xe5\x85\xac", new=b"\xe5\x85\xad"):
    """Drop the trigger, change one byte of event ``seq``'s stored payload in SQL, put it back."""
    data = bytes(Event.objects.get(seq=seq).data)
    assert old in data
    changed = data.replace(old, new, 1)
    assert sum(a != b for a, b in zip(data, changed, strict=True)) == 1
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_event SET data = %s WHERE seq = %s", [changed, seq])
    guard.install(connection)


@pytest.mark.django_db
def test_raw_sql_update_and_delete_are_refused():
    _record(3)
    sign_checkpoint(reason="test")
    for sql in ("UPDATE ledger_event SET kind = 'x.y' WHERE seq = 1", "DELETE FROM ledger_event WHERE seq = 2",
                "UPDATE ledger_checkpoint SET size = 0", "DELETE FROM ledger_checkpoint"):
        with pytest.raises((DatabaseError, IntegrityError)) as exc, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
        assert "append-only" in str(exc.value)
    assert Event.objects.get(seq=1).kind == "tests.thing.done"
    assert Event.objects.count() == 1 + 3 and Checkpoint.objects.count() == 1  # the key declaration, then 3


@pytest.mark.django_db
def test_verify_passes_then_names_the_tampered_sequence_number():
    _record(40)
    sign_checkpoint(reason="test")
    code, out, _err = _verify()
    assert code == 0 and "OK size 41" in out  # event 0 declares the ledger's key
    _tamper_payload(17)
    code, _out, err = _verify()
    assert code == 1
    assert "first bad seq: 17" in err


@pytest.mark.django_db
def test_verify_catches_a_forged_leaf_and_a_forged_checkpoint():
    _record(10)
    cp = sign_checkpoint(reason="test")
    assert _verify()[0] == 0
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_checkpoint SET note = %s WHERE id = %s",
                       [cp.note.replace("\n11\n", "\n10\n"), cp.pk])
    guard.install(connection)
    code, _out, err = _verify()
    assert code == 1 and "checkpoint" in err


@pytest.mark.django_db
def test_checkpoints_cover_the_current_root_and_never_shrink():
    _record(5)
    first = sign_checkpoint(reason="ballot closed")
    assert sign_checkpoint(reason="again") == first  # nothing new: the same checkpoint
    cp = note.verify(first.note, keys.key_name(), keys.public_key(), origin=keys.origin())
    assert cp.size == 6
    lines = first.note.split("\n")
    assert lines[1] == "6" and lines[3] == "" and lines[4].startswith("\u2014 " + keys.key_name() + " ")
    _record(2)
    second = sign_checkpoint(reason="decision taken")
    assert second.size == 8
    # a checkpoint "from the future" (e.g. restored from another database) must not be followed by a smaller one
    Checkpoint.objects.create(size=100, root=bytes(32), note="x", key_name="k", signed_at=second.signed_at)
    with pytest.raises(Exception) as exc:
        sign_checkpoint(reason="shrinks")
    assert getattr(exc.value, "code", "") == "ledger.checkpoint_shrinks"


@pytest.mark.django_db(transaction=True)
def test_checkpoint_after_commit_signs_once_the_action_committed():
    with transaction.atomic():
        record_event(kind="tests.ballot.closed", subject=("t", 1), actor=None, payload={})
        checkpoint_after_commit("ballot closed")
        assert Checkpoint.objects.count() == 0
    cp = Checkpoint.objects.get()
    assert cp.size == 2 and cp.reason == "ballot closed"
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(kind="tests.ballot.closed", subject=("t", 2), actor=None, payload={})
        checkpoint_after_commit("rolled back")
        raise RuntimeError
    assert Checkpoint.objects.count() == 1


def test_key_comes_from_the_environment_or_a_0600_file(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("GONGXIN_LEDGER_KEY", raising=False)
    settings.LEDGER_KEY_FILE = str(tmp_path / "k" / "ledger.key")
    pub = note.public_key_bytes(keys.signing_key(create=True))  # an empty ledger may make its key
    assert (Path(settings.LEDGER_KEY_FILE).stat().st_mode & 0o777) == 0o600
    assert note.public_key_bytes(keys.signing_key()) == pub
    seed = base64.b64encode(bytes(range(32))).decode()
    monkeypatch.setenv("GONGXIN_LEDGER_KEY", seed)
    assert note.public_key_bytes(keys.signing_key()) != pub


def _export(tmp_path, audience):
    path = tmp_path / f"{audience}.jsonl"
    call_command("ledger", "export", str(path), "--audience", audience, stdout=io.StringIO())
    return path


def _offline(path, *extra):
    """Run the offline verifier in a fresh interpreter where importing Django is impossible."""
    blocker = ("import sys\n"
               "class _Block:\n"
               "    def find_spec(self, name, path=None, target=None):\n"
               "        if name == 'django' or name.startswith('django.'):\n"
               "            raise ImportError('django is blocked in this test')\n"
               "sys.meta_path.insert(0, _Block())\n"
               "from gongxin.verify import main\n"
               "code = main(sys.argv[1:])\n"
               "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n"
               "sys.exit(code)\n")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-c", blocker, str(path), *extra], capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.mark.django_db
def test_offline_verifier_passes_untouched_bundles_and_fails_on_one_changed_byte(tmp_path):
    _record(30, public_every=3)
    sign_checkpoint(reason="first")
    _record(5)
    sign_checkpoint(reason="second")
    public = _export(tmp_path, "public")
    auditor = _export(tmp_path, "auditor")
    lines = public.read_text().splitlines()
    header = json.loads(lines[0])
    assert header["audience"] == "public" and header["verifier_key"] == keys.verifier_key()
    events = [json.loads(x) for x in lines if '"type":"event"' in x]
    assert len(events) == 36
    # event 0 declares the key (public); of the others, every third is public: private ones are hashes only
    assert all(("data" in e) == (e["seq"] == 0 or (e["seq"] - 1) % 3 == 0 and e["seq"] < 31) for e in events)
    for bundle in (public, auditor):
        result = _offline(bundle, "--key", keys.verifier_key())
        assert result.returncode == 0, result.stderr
        assert "size 36" in result.stdout
    # one byte of one event's content changed
    raw = auditor.read_bytes()
    at = raw.index("公示".encode(), raw.index(b'"seq":12,'))  # event 12 of an auditor bundle
    forged = tmp_path / "forged.jsonl"
    forged.write_bytes(raw[:at + 2] + bytes([raw[at + 2] ^ 0x01]) + raw[at + 3:])
    result = _offline(forged)
    assert result.returncode == 1 and "seq 12" in result.stderr
    # one byte of a checkpoint's root changed
    lines = auditor.read_text().splitlines(keepends=True)
    cp_line = next(i for i, x in enumerate(lines) if '"type":"checkpoint"' in x)
    rec = json.loads(lines[cp_line])
    root_line = rec["note"].split("\n")[2]
    flipped = root_line[:5] + ("A" if root_line[5] != "A" else "B") + root_line[6:]
    rec["note"] = rec["note"].replace(root_line, flipped)
    lines[cp_line] = json.dumps(rec, ensure_ascii=False) + "\n"
    forged.write_text("".join(lines))
    result = _offline(forged)
    assert result.returncode == 1 and "signature" in result.stderr
    # a pinned key that is not the bundle's
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = note.verifier_key(keys.key_name(), note.public_key_bytes(Ed25519PrivateKey.generate()))
    assert _offline(public, "--key", other).returncode == 1


@pytest.mark.django_db
def test_offline_verifier_checks_a_saved_checkpoint_against_the_history(tmp_path):
    _record(8)
    saved = tmp_path / "saved.txt"
    saved.write_text(sign_checkpoint(reason="published").note)
    _record(8)
    sign_checkpoint(reason="later")
    bundle = _export(tmp_path, "public")
    assert _offline(bundle, "--checkpoint", str(saved)).returncode == 0
    other = tmp_path / "other.txt"
    other.write_text(note.sign(note.checkpoint_body(keys.origin(), 9, bytes(32)), keys.key_name(), keys.signing_key()))
    result = _offline(bundle, "--checkpoint", str(other))
    assert result.returncode == 1 and "NOT part" in result.stderr


@pytest.mark.django_db
def test_offline_verifier_refuses_a_truncated_bundle(tmp_path):
    _record(6)
    sign_checkpoint(reason="x")
    bundle = _export(tmp_path, "auditor")
    lines = bundle.read_text().splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join(lines[:-3]))
    assert _offline(cut).returncode == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_writers_leave_no_gap_and_no_duplicate():
    per_writer = 25

    def writer(w):
        for i in range(per_writer):
            with transaction.atomic():
                record_event(kind="tests.writer.wrote", subject=("writer", w), actor=None, payload={"i": i})

    outcomes = at_once(writer, 8)
    assert outcomes == [("ok", None)] * 8
    seqs = list(Event.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1 + 8 * per_writer))  # event 0 declares the key
    assert _verify()[0] == 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_tamper_is_named_too():
    assert connection.vendor == "postgresql"
    _record(12)
    _tamper_payload(5)
    code, _out, err = _verify()
    assert code == 1 and "first bad seq: 5" in err


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_a_failed_verify_leaves_no_cursor_open():
    """A verify that stops at a tampered event closes its server-side cursor at once. Left to
    the garbage collector, the reading generator was finalized in the middle of a later query on
    the same connection and closed its cursor there: the connection waited for itself for ever
    (a PostgreSQL test run hung in a flush after this test's neighbour)."""
    from gongxin.ledger.audit import AuditFailure
    from gongxin.ledger.verification import verify_ledger

    _record(12)
    _tamper_payload(5)
    with pytest.raises(AuditFailure) as failed:   # the exception, and its frames, still held
        verify_ledger(processes=1)
    assert failed.value.seq == 5
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_sqlite_file_reader_gives_the_same_chunks(tmp_path):
    """The read-only SQLite reader `verify` uses on a database file (tests run in memory)."""
    import sqlite3

    from gongxin.ledger import verification

    _record(verification.CHUNK + 4)  # + the key declaration: CHUNK + 5 events
    rows = list(Event.objects.order_by("seq").values_list("seq", "data", "leaf_hash", "nodes"))
    path = tmp_path / "copy.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE ledger_event (seq INTEGER PRIMARY KEY, data BLOB, leaf_hash BLOB, nodes BLOB)")
    db.executemany("INSERT INTO ledger_event VALUES (?, ?, ?, ?)", [(s, bytes(d), bytes(h), bytes(n)) for s, d, h, n in rows])
    db.commit()
    db.close()
    chunks = list(verification.sqlite_file_chunks(str(path), len(rows) - 1))
    assert [len(c) for c in chunks] == [verification.CHUNK, 4]
    assert [r for c in chunks for r in c] == [(bytes(d), bytes(h), bytes(n)) for _s, d, h, n in rows[:-1]]


@pytest.mark.django_db
def test_export_to_standard_output_and_checkpoint_command():
    _record(3, public_every=2)
    out = io.StringIO()
    call_command("ledger", "checkpoint", "--reason", "daily", stdout=out)
    assert out.getvalue().split("\n")[1] == "4"
    out = io.StringIO()
    call_command("ledger", "export", "-", "--audience", "auditor", stdout=out)
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [x["type"] for x in lines] == ["header", "checkpoint", "event", "event", "event", "event", "end"]
    assert all("data" in x for x in lines if x["type"] == "event")
