"""``gongxin backup`` and ``gongxin restore`` (issue 20): a county's database, keys and uploads
restored into an empty data folder verify to the same ledger root; restoring over an existing
database is refused without --force."""

import os
import re
import subprocess
import sys

import pytest

MAKE_EVENTS = r"""
import django
django.setup()
from gongxin.people import actions
root = actions.create_org_unit(acting_user=None, name="县委", kind="organ")
for i in range(5):
    actions.create_org_unit(acting_user=None, name=f"第{i}镇", kind="township", parent=root)
from django.core.management import call_command
call_command("ledger", "checkpoint")
"""


def _env(folder):
    return {**os.environ, "GONGXIN_DATA_DIR": str(folder), "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "DJANGO_SETTINGS_MODULE": "gongxin.settings", "GONGXIN_LEDGER_ORIGIN": "test.gongxin.example/ledger"}


def _gx(env, *args, check=True):
    return subprocess.run([sys.executable, "-m", "gongxin.cli", *args], env=env, capture_output=True, text=True,
                          timeout=600, check=check)


def _root(verify_output: str) -> str:
    return re.search(r"hex ([0-9a-f]{64})", verify_output).group(1)


@pytest.mark.slow
def test_backup_and_restore_give_the_same_ledger_root(tmp_path):
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    env = _env(here)
    _gx(env, "migrate", "--verbosity", "0")
    subprocess.run([sys.executable, "-c", MAKE_EVENTS], env=env, check=True, capture_output=True, timeout=300)
    (here / "media").mkdir(exist_ok=True)
    (here / "media" / "attachment.txt").write_text("附件")
    before = _gx(env, "ledger", "verify").stdout
    archive = tmp_path / "county.tar.gz"
    out = _gx(env, "backup", str(archive)).stdout
    assert f"root {_root(before)}" in out

    there.mkdir()
    env2 = _env(there)
    restored = _gx(env2, "restore", str(archive), check=False)
    assert restored.returncode == 0 and "checked" in restored.stdout, restored.stderr
    after = _gx(env2, "ledger", "verify").stdout
    assert _root(after) == _root(before)
    assert (there / "media" / "attachment.txt").read_text() == "附件"
    assert (there / "ledger_ed25519.key").read_bytes() == (here / "ledger_ed25519.key").read_bytes()

    again = _gx(env2, "restore", str(archive), check=False)
    assert again.returncode != 0 and "--force" in again.stderr
    assert _gx(env2, "restore", str(archive), "--force").returncode == 0
