"""docs/VERIFY.md's examples run as written, against a live server in place of the demo's
address: the shell lines (curl, python -m gongxin.verify) and the Python block."""

import contextlib
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import transaction

from gongxin.ledger.checkpoints import sign_checkpoint
from gongxin.ledger.recording import record_event

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
    assert sum(x.startswith("curl ") for x in shell) == 3 and sum("gongxin.verify" in x for x in shell) == 2
    assert DEMO in _python_example()


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.django_db(transaction=True)
def test_verify_md_examples_run_as_written(live_server, tmp_path, monkeypatch):
    for i in range(130):
        with transaction.atomic():
            record_event(kind="tests.notice.published", subject=("tests.notice", i), actor=None,
                         payload={"title": f"公告 {i}"}, public=i % 2 == 0)
    sign_checkpoint(reason="doc")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for line in _shell_examples():
        result = subprocess.run(["bash", "-c", line.replace(DEMO, live_server.url)], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (line, result.stdout, result.stderr)
        if "gongxin.verify" in line:
            assert result.stdout.startswith("OK") and "NOTE" not in result.stdout
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(_python_example().replace(DEMO, live_server.url), {})  # noqa: S102
    assert out.getvalue().strip() == "包含在已签名的账本中"
