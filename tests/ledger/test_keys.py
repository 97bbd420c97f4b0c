"""The signing key (issue 12 item 5): declared inside the ledger, never silently replaced,
rotated by an event the old key signs; verify checks each checkpoint against the key the ledger
declared for its size. And the production check on the example origin."""

import base64
import io
import json
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import transaction

from gongxin.ledger import checks, keyhistory, keys, note
from gongxin.ledger.checkpoints import sign_checkpoint
from gongxin.ledger.models import Checkpoint, Event
from gongxin.ledger.recording import record_event
from gongxin.ledger.verification import verify_ledger
from tests.ledger.test_integrity import _export, _offline, _verify


def _record(n, public=False):
    for i in range(n):
        with transaction.atomic():
            record_event(kind="tests.thing.done", subject=("tests.thing", i), actor=None, payload={"i": i},
                         public=public)


@pytest.fixture
def key_file(settings, monkeypatch):
    monkeypatch.delenv("GONGXIN_LEDGER_KEY", raising=False)
    keys.forget_loaded()
    return Path(settings.LEDGER_KEY_FILE)


@pytest.mark.django_db
def test_the_first_event_declares_the_origin_and_the_key(key_file):
    _record(2)
    first = Event.objects.get(seq=0)
    assert first.kind == keyhistory.DECLARED and first.public
    payload = json.loads(bytes(first.data))["payload"]
    private = keys.signing_key()
    assert payload["origin"] == "gongxin.example/ledger"
    assert payload["verifier_key"] == note.verifier_key("gongxin-ledger", note.public_key_bytes(private))
    assert keys.verifier_key() == payload["verifier_key"]
    assert Event.objects.filter(kind=keyhistory.DECLARED).count() == 1


@pytest.mark.django_db
def test_a_missing_key_is_not_replaced_when_the_ledger_has_events(key_file):
    # given a ledger whose key file is not where this process looks (cron run from elsewhere)
    _record(3)
    sign_checkpoint(reason="first")
    key_file.rename(key_file.with_name("elsewhere.key"))
    keys.forget_loaded()
    _record(1)
    # when signing
    with pytest.raises(keys.LedgerKeyError) as exc:
        sign_checkpoint(reason="from cron")
    # then it stops, saying where it looked, and makes no key
    assert str(key_file) in str(exc.value) and "GONGXIN_LEDGER_KEY" in str(exc.value)
    assert not key_file.exists()
    with pytest.raises(CommandError) as exc:
        call_command("ledger", "checkpoint", stdout=io.StringIO())
    assert str(key_file) in str(exc.value)
    assert not key_file.exists() and Checkpoint.objects.count() == 1
    # verify needs no private key: the public key is in the ledger
    code, out, _err = _verify()
    assert code == 0 and "OK size 5" in out and "1 event after the latest checkpoint not yet covered" in out


@pytest.mark.django_db
def test_another_key_in_the_key_file_is_refused(key_file):
    _record(2)
    key_file.unlink()
    keys.write_key_file(key_file, Ed25519PrivateKey.generate())
    keys.forget_loaded()
    with pytest.raises(keys.LedgerKeyError) as exc:
        sign_checkpoint(reason="with a stranger's key")
    assert "rotate-key" in str(exc.value)
    assert Checkpoint.objects.count() == 0


@pytest.mark.django_db
def test_rotation_is_signed_by_the_old_key_and_verify_follows_the_history(key_file, tmp_path):
    # given a ledger with a checkpoint by its first key
    _record(5, public=True)
    sign_checkpoint(reason="before")
    old = keys.current()
    # when the key is rotated
    out = io.StringIO()
    call_command("ledger", "rotate-key", stdout=out)
    new = keys.current()
    # then the ledger declares both, the new key file holds the new key, the old one is kept
    assert new.public_key != old.public_key and new.seq == 6
    assert [k.verifier_key for k in keys.history().keys] == [old.verifier_key, new.verifier_key]
    assert note.public_key_bytes(keys.signing_key()) == new.public_key
    retired = key_file.with_name(f"{key_file.name}.retired-{old.key_id}")
    assert note.public_key_bytes(keys._from_seed_text(retired.read_text(), "x")) == old.public_key
    rotation = json.loads(bytes(Event.objects.get(seq=new.seq).data))
    assert rotation["kind"] == keyhistory.ROTATED and rotation["payload"]["previous_verifier_key"] == old.verifier_key
    # each checkpoint is signed by the key in force at its size
    sizes = {cp.size: cp.key_name for cp in Checkpoint.objects.all()}
    assert sorted(sizes) == [6, 7]
    _record(2)
    sign_checkpoint(reason="after")
    code, text, _err = _verify()
    assert code == 0 and "3 checkpoints verified" in text and new.verifier_key in text and old.verifier_key in text
    # the offline verifier reads the same history from a public bundle; either key may be pinned
    bundle = _export(tmp_path, "public")
    for pinned in (old.verifier_key, new.verifier_key):
        result = _offline(bundle, "--key", pinned)
        assert result.returncode == 0, result.stderr
    stranger = note.verifier_key("gongxin-ledger", note.public_key_bytes(Ed25519PrivateKey.generate()))
    assert _offline(bundle, "--key", stranger).returncode == 1


@pytest.mark.django_db
def test_a_checkpoint_signed_by_the_retired_key_fails_verification(key_file, tmp_path):
    _record(3)
    sign_checkpoint(reason="before")
    old_private = keys.signing_key()
    call_command("ledger", "rotate-key", stdout=io.StringIO())
    _record(2)
    # someone still holding the old key signs the current size
    size = Event.objects.count()
    from gongxin.ledger import tree

    forged = note.sign(note.checkpoint_body(keys.origin(), size, tree.root_at(size)), "gongxin-ledger", old_private)
    Checkpoint.objects.create(size=size, root=tree.root_at(size), note=forged, key_name="gongxin-ledger",
                              signed_at=Checkpoint.objects.last().signed_at)
    code, _out, err = _verify()
    assert code == 1 and f"size {size}" in err and keys.current().verifier_key in err
    result = _offline(_export(tmp_path, "auditor"))
    assert result.returncode == 1 and "signature" in result.stderr


def test_a_rotation_not_signed_by_the_key_in_force_is_refused():
    first, stranger, new = (Ed25519PrivateKey.generate() for _ in range(3))
    history = keyhistory.KeyHistory()
    history.add(0, keyhistory.DECLARED, keyhistory.declaration_payload(
        keyhistory.DECLARED, origin="o", seq=0, name="k", key=first))
    forged = keyhistory.declaration_payload(keyhistory.ROTATED, origin="o", seq=9, name="k", key=new,
                                            previous=stranger, previous_name="k")
    forged["previous_verifier_key"] = history.current.verifier_key
    with pytest.raises(keyhistory.KeyHistoryError) as exc:
        history.add(9, keyhistory.ROTATED, forged)
    assert "by the key in force" in str(exc.value)
    good = keyhistory.declaration_payload(keyhistory.ROTATED, origin="o", seq=9, name="k", key=new,
                                          previous=first, previous_name="k")
    history.add(9, keyhistory.ROTATED, good)
    assert history.key_at(9).public_key == note.public_key_bytes(first)
    assert history.key_at(10).public_key == note.public_key_bytes(new)
    with pytest.raises(keyhistory.KeyHistoryError):  # replayed at another position
        keyhistory.KeyHistory(list(history.keys[:1])).add(12, keyhistory.ROTATED, good)


@pytest.mark.django_db
def test_a_ledger_made_before_declarations_declares_the_key_that_signed_it(key_file):
    # given an old ledger: events and a checkpoint, no key event
    from gongxin.ledger import guard

    _record(3)
    sign_checkpoint(reason="old")
    from django.db import connection

    guard.remove(connection)
    Event.objects.filter(seq=0).update(kind="tests.legacy.kept")  # hide the declaration from the history
    guard.install(connection)
    assert not keys.history()
    assert verify_ledger().declared is False
    # when the next checkpoint is signed, the key is declared first
    _record(1)
    cp = sign_checkpoint(reason="new")
    assert keys.history().current.seq == cp.size - 1
    assert verify_ledger().checkpoints == 2


@pytest.mark.django_db
def test_public_page_shows_the_key_history_and_the_unsigned_tail(client, key_file):
    _record(4, public=True)
    sign_checkpoint(reason="x")
    call_command("ledger", "rotate-key", stdout=io.StringIO())
    _record(3)
    page = client.get("/public/ledger/").content.decode()
    assert 'id="key-history"' in page and "更换（由上一把密钥签名）" in page
    for key in keys.history().keys:
        assert key.verifier_key in page
    assert "最新的 3 条尚未被检查点签名覆盖" in page
    assert "ledger.key" not in page  # no code words
    api = client.get("/api/v1/ledger/keys").json()
    assert [k["seq"] for k in api] == [0, 5]


def test_production_refuses_the_example_origin(settings, monkeypatch):
    monkeypatch.setattr("gongxin.ledger.dbstate.in_test_environment", lambda: False)
    monkeypatch.setattr(checks, "_declared_origin", lambda: None)
    settings.DEBUG = False
    settings.LEDGER_ORIGIN = keys.EXAMPLE_ORIGIN
    assert "ledger.E001" in [m.id for m in run_checks()]
    settings.LEDGER_ORIGIN = "zzb.huimin.gov.cn/gongxin-ledger"
    assert "ledger.E001" not in [m.id for m in run_checks()]
    settings.LEDGER_ORIGIN = keys.EXAMPLE_ORIGIN
    monkeypatch.setattr(checks, "_declared_origin", lambda: keys.DEMO_ORIGIN)  # the demo's ledger
    assert "ledger.E001" not in [m.id for m in run_checks()]
    monkeypatch.setattr(checks, "_declared_origin", lambda: None)
    settings.DEBUG = True
    assert "ledger.E001" not in [m.id for m in run_checks()]


def test_the_demo_command_names_its_own_origin(monkeypatch):
    from gongxin import cli

    seen = {}
    monkeypatch.setenv("GONGXIN_LEDGER_ORIGIN", "x")  # records the variable's state, restored afterwards
    monkeypatch.delenv("GONGXIN_LEDGER_ORIGIN")
    monkeypatch.setattr("django.core.management.execute_from_command_line",
                        lambda argv: seen.update(argv=argv, origin=os.environ.get("GONGXIN_LEDGER_ORIGIN")))
    cli.main(["demo", "--build-only"])
    assert seen == {"argv": ["gongxin", "demo", "--build-only"], "origin": keys.DEMO_ORIGIN}
    assert keys.DEMO_ORIGIN != keys.EXAMPLE_ORIGIN


@pytest.mark.django_db
def test_offline_verifier_says_when_it_trusted_the_bundles_own_key(key_file, tmp_path):
    """Issue 23 items 8 and 11."""
    _record(3)
    sign_checkpoint(reason="x")
    bundle = _export(tmp_path, "auditor")
    result = _offline(bundle)
    assert result.returncode == 0
    assert "bundle's own key was trusted" in result.stdout
    assert f"--key {keys.verifier_key()}" in result.stdout.replace("'", "")
    assert "content checked for all 4 events" in result.stdout and "the others" not in result.stdout
    pinned = _offline(bundle, "--key", keys.verifier_key())
    assert pinned.returncode == 0 and "trusted" not in pinned.stdout
    public = _offline(_export(tmp_path, "public"), "--key", keys.verifier_key())
    assert "content checked for 1 event, the other 3 by leaf hash only" in public.stdout


def test_seed_text_round_trips():
    key = Ed25519PrivateKey.generate()
    assert note.public_key_bytes(keys._from_seed_text(keys.seed_text(key), "x")) == note.public_key_bytes(key)
    with pytest.raises(keys.LedgerKeyError):
        keys._from_seed_text(base64.b64encode(b"short").decode(), "x")
