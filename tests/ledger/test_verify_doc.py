"""docs/VERIFY.md's examples run as written, against a live server in place of the demo's
address: the shell lines (curl, python -m gongxin.verify) and the Python block."""

import contextlib
import io
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from django.db import transaction

from gongxin.ledger import witnesses
from gongxin.ledger.checkpoints import sign_checkpoint
from gongxin.ledger.recording import record_event
from tests.ledger.test_witness_processes import PORTS, WitnessProcess

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "VERIFY.md").read_text()
DEMO = "http://127.0.0.1:8000"


def _shell_examples() -> list[str]:
    guide = DOC[:DOC.index("## Formats")]
    return [line.strip() for line in guide.splitlines()
            if line.startswith("    ") and line.strip().startswith(("curl ", "python -m gongxin.verify"))
            and "…" not in line]


def _python_example() -> str:
    return re.search(r"```python\n(.*?)```", DOC, re.S).group(1)


def test_the_doc_has_the_examples_this_test_runs():
    shell = _shell_examples()
    assert sum(x.startswith("curl ") for x in shell) == 5 and sum("gongxin.verify" in x for x in shell) == 4
    assert any("--witness" in x and "--quorum 2" in x for x in shell) and any("--leaf" in x for x in shell)
    assert DEMO in _python_example()


def test_the_python_the_doc_states_is_the_one_pyproject_requires():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert f'`requires-python = "{requires}"`' in DOC
    lowest = re.match(r">=\s*(3\.\d+)", requires).group(1)
    assert f"**Python {lowest}**" in DOC
    assert not re.search(r"Python 3\.(\d+) 以上", DOC)  # the old "3.10 以上" is gone


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.django_db(transaction=True)
def test_verify_md_examples_run_as_written(live_server, tmp_path, monkeypatch, settings):
    for i in range(130):
        with transaction.atomic():
            record_event(kind="tests.notice.published", subject=("tests.notice", i), actor=None,
                         payload={"title": f"公告 {i}"}, public=i % 2 == 0 or i >= 120)  # record 128 is public
    sign_checkpoint(reason="doc")
    ws = [WitnessProcess(tmp_path / "w", f"w{i}.example/witness", port) for i, port in enumerate(PORTS)]
    try:
        for w in ws:
            w.start()
        settings.LEDGER_WITNESSES = [(w.vkey, w.url) for w in ws]
        assert all(o.ok for o in witnesses.collect())
        _run_examples(live_server, tmp_path, monkeypatch)
    finally:
        for w in ws:
            w.stop()


def _run_examples(live_server, tmp_path, monkeypatch):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for line in _shell_examples():
        result = subprocess.run(["bash", "-c", line.replace(DEMO, live_server.url)], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (line, result.stdout, result.stderr)
        if "gongxin.verify" in line:
            assert result.stdout.startswith("OK") and "NOTE" not in result.stdout
        if "--witness" in line:
            assert "witnessed by 2 of the 2 witnesses you named (quorum 2)" in result.stdout
        if "--leaf" in line:
            assert "record 128 (leaf " in result.stdout and "is included in the signed checkpoint of size" in result.stdout
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(_python_example().replace(DEMO, live_server.url), {})  # noqa: S102
    assert out.getvalue().splitlines() == ["包含在已签名的账本中", "True"]
