"""Automatic checkpoints and the unsigned tail (issue 12 item 6)."""

import datetime as dt
import io
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from gongxin.ledger import guard, merkle
from gongxin.ledger.autosign import checkpoint_if_due
from gongxin.ledger.checkpoints import sign_checkpoint
from gongxin.ledger.models import Checkpoint, Event, LedgerHead
from gongxin.ledger.recording import record_event
from tests.concurrency import at_once
from tests.ledger.test_integrity import _verify


def _record(n):
    for i in range(n):
        with transaction.atomic():
            record_event(kind="tests.thing.done", subject=("tests.thing", i), actor=None, payload={"i": i})


def _cut_tail(size):
    """What someone who can drop the triggers could do: delete events from ``size`` on and
    recompute the head, leaving a tree that is valid by itself."""
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_event WHERE seq >= %s", [size])
    frontier = merkle.Frontier()
    for leaf in Event.objects.order_by("seq").values_list("leaf_hash", flat=True):
        frontier.append(bytes(leaf))
    LedgerHead.objects.filter(id=1).update(size=size, frontier=frontier.to_bytes())
    guard.install(connection)


@pytest.fixture
def every(settings):
    settings.LEDGER_CHECKPOINT_EVERY_EVENTS = 5
    settings.LEDGER_CHECKPOINT_EVERY_MINUTES = 10
    return settings


def test_the_worker_is_told_to_call_it():
    assert "gongxin.ledger.autosign.checkpoint_if_due" in django_settings.GONGXIN_PERIODIC
    for path in django_settings.GONGXIN_PERIODIC:
        module, _dot, name = path.rpartition(".")
        assert callable(getattr(import_module(module), name))


@pytest.mark.django_db
def test_signs_every_n_events_and_only_once(every):
    assert checkpoint_if_due() is None  # an empty ledger: nothing to sign
    _record(3)  # the key declaration + 3
    assert checkpoint_if_due() is None and Checkpoint.objects.count() == 0
    _record(1)
    cp = checkpoint_if_due()
    assert cp is not None and cp.size == 5 and cp.reason == "定时自动签署"
    assert checkpoint_if_due() is None and Checkpoint.objects.count() == 1  # idempotent


@pytest.mark.django_db
def test_signs_when_the_oldest_unsigned_event_waited_m_minutes(every):
    _record(2)
    sign_checkpoint(reason="x")
    _record(1)
    now = timezone.now()
    assert checkpoint_if_due(now + dt.timedelta(minutes=9)) is None
    cp = checkpoint_if_due(now + dt.timedelta(minutes=10, seconds=1))
    assert cp is not None and cp.size == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_sign_once(every):
    _record(6)
    outcomes = at_once(lambda _i: checkpoint_if_due(), 6)
    assert sorted(o[0] for o in outcomes) == ["ok"] * 6
    assert sum(o[1] is not None for o in outcomes) == 1
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [7]


@pytest.mark.django_db
def test_verify_states_the_unsigned_tail_and_reports_its_deletion(every):
    # given a checkpoint, then three events not yet signed, seen by the automatic signer
    _record(4)
    sign_checkpoint(reason="x")
    _record(3)
    assert checkpoint_if_due() is None
    code, out, _err = _verify()
    assert code == 0 and "3 events after the latest checkpoint not yet covered by a signature" in out
    # when someone who can drop the triggers deletes them and recomputes the head
    _cut_tail(5)
    # then verify reports it (the tree and the checkpoints alone could not)
    code, _out, err = _verify()
    assert code == 1 and "held 8 events" in err and "now holds 5" in err


@pytest.mark.django_db
def test_replaced_unsigned_events_are_reported(every):
    _record(2)
    sign_checkpoint(reason="x")
    _record(2)
    assert _verify()[0] == 0  # verify notes what it saw too
    _cut_tail(3)
    with transaction.atomic():  # two other events in their place
        record_event(kind="tests.thing.done", subject=("tests.thing", 99), actor=None, payload={"i": 99})
        record_event(kind="tests.thing.done", subject=("tests.thing", 98), actor=None, payload={"i": 98})
    code, _out, err = _verify()
    assert code == 1 and "replaced" in err


@pytest.mark.django_db
def test_public_page_states_the_unsigned_tail(client, every):
    _record(2)
    sign_checkpoint(reason="x")
    assert "全部已被检查点签名覆盖" in client.get("/public/ledger/").content.decode()
    _record(2)
    assert "最新的 2 条尚未被检查点签名覆盖" in client.get("/public/ledger/").content.decode()
    call_command("ledger", "checkpoint", stdout=io.StringIO())
    assert "全部已被检查点签名覆盖" in client.get("/public/ledger/").content.decode()
