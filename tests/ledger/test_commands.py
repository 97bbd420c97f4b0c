"""`gongxin flush` on a real database (issue 12 item 7) and commands without a built database
(item 8)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from gongxin.ledger.checkpoints import sign_checkpoint
from gongxin.ledger.models import Checkpoint, Event
from gongxin.ledger.recording import record_event

GONGXIN = Path(sys.executable).with_name("gongxin")


def _record(n):
    for i in range(n):
        with transaction.atomic():
            record_event(kind="tests.thing.done", subject=("tests.thing", i), actor=None, payload={"i": i})


@pytest.mark.django_db
def test_flush_refuses_outside_the_test_runner(monkeypatch):
    _record(3)
    sign_checkpoint(reason="x")
    monkeypatch.setattr("gongxin.ledger.management.commands.flush.in_test_environment", lambda: False)
    with pytest.raises(CommandError) as exc:
        call_command("flush", interactive=False, verbosity=0)
    assert "4 条记录" in str(exc.value)
    assert Event.objects.count() == 4 and Checkpoint.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_refuses_truncate_of_the_ledger():
    _record(2)
    for table in ("ledger_event", "ledger_checkpoint"):
        with pytest.raises((DatabaseError, IntegrityError)) as exc, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table} CASCADE")
        assert "append-only" in str(exc.value)
    assert Event.objects.count() == 3


def _run(tmp_path, *args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GONGXIN_DATA_DIR", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run([str(GONGXIN), *args], cwd=tmp_path, env={**clean, **env}, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("args", [("ledger", "verify"), ("ledger", "checkpoint"), ("flush", "--noinput")])
def test_commands_without_a_database_say_so_in_one_line(tmp_path, args):
    result = _run(tmp_path, *args)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "没有数据库" in result.stderr and "gongxin migrate" in result.stderr
    assert not list(tmp_path.rglob("*.sqlite3*"))


@pytest.mark.postgres
def test_an_unreachable_or_unbuilt_database_is_one_line_too(tmp_path):
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    result = _run(tmp_path, "ledger", "verify", DATABASE_URL=f"{base}/gx_no_such_database_i12b")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "无法连接数据库" in result.stderr
