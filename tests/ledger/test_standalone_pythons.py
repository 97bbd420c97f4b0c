"""The offline verifier and the witness need only the standard library and ``cryptography``:
each Python from 3.11 to 3.13 that is installable here runs them in a subprocess where importing
Django (or django-ninja) raises. A missing interpreter is skipped with the reason.

An interpreter is looked for as ``python3.X`` on PATH and under pyenv; the one used gets a venv
with only ``cryptography`` in GONGXIN_TEST_PYTHONS (default /tmp/gongxin-test-pythons/3.X), made
once and reused."""

import glob
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import transaction

from gongxin.ledger import keys
from gongxin.ledger.bundle import write_bundle
from gongxin.ledger.checkpoints import sign_checkpoint
from gongxin.ledger.paper import covering_checkpoint, proof_line
from gongxin.ledger.recording import record_event

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("GONGXIN_TEST_PYTHONS", "/tmp/gongxin-test-pythons"))

SCRIPT = textwrap.dedent('''
    import importlib.abc, io, json, sys, contextlib
    class NoDjango(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("django", "ninja"):
                raise ImportError(f"{name} is blocked in this test")
    sys.meta_path.insert(0, NoDjango())
    sys.path.insert(0, sys.argv[1])
    bundle, vkey, line, work = sys.argv[2:6]

    from gongxin import verify, witness
    from gongxin.ledger import cosign, note

    # a witness, in this interpreter: make a key, cosign the bundle's latest checkpoint
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert witness.main(["keygen", "--name", "w.example/py", "--key", work + "/w.key"]) == 0
    wkey = out.getvalue().strip()
    rows = [json.loads(x) for x in open(bundle, encoding="utf-8")]
    cps = [r for r in rows if r["type"] == "checkpoint"]
    name, public = note.parse_verifier_key(vkey)
    w = witness.Witness("w.example/py", witness.load_key(work + "/w.key"), work + "/state.json",
                        [witness.LogConfig(note.parse(cps[-1]["note"]).origin, [(name, public)])])
    cps[-1]["note"] = cosign.with_lines(cps[-1]["note"], [w.add_checkpoint(0, [], cps[-1]["note"])])
    with open(work + "/witnessed.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\\n" for r in rows)

    code = verify.main([work + "/witnessed.jsonl", "--key", vkey, "--witness", wkey, "--quorum", "1", "--leaf", line])
    assert code == 0, code
    assert verify.main([bundle, "--key", vkey, "--witness", wkey]) == 1  # not cosigned: the quorum fails
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("django", "ninja"))
    assert not loaded, loaded
    print("PYTHON", sys.version_info[:2], "OK")
''')


def _interpreter(version: str) -> str | None:
    """A Python ``version`` with ``cryptography`` importable, or None."""
    cached = CACHE / version / "bin" / "python"
    if cached.exists() and _has_cryptography(str(cached)):
        return str(cached)
    if sys.version_info[:2] == tuple(map(int, version.split("."))):
        return sys.executable  # this test run's own interpreter has it
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
    for base in filter(None, candidates):
        if _has_cryptography(base):
            return base
        made = subprocess.run(f"'{base}' -m venv '{CACHE / version}' && '{CACHE / version}/bin/pip' install -q cryptography",
                              shell=True, capture_output=True, text=True, timeout=600)
        if made.returncode == 0 and _has_cryptography(str(cached)):
            return str(cached)
    return None


def _has_cryptography(python: str) -> bool:
    return subprocess.run([python, "-c", "import cryptography"], capture_output=True, timeout=60).returncode == 0


@pytest.fixture
def bundle(db, tmp_path):
    for i in range(40):
        with transaction.atomic():
            record_event(kind="tests.notice.published", subject=("tests.notice", i), actor=None,
                         payload={"title": f"公告 {i}"}, public=i % 3 == 0)
    sign_checkpoint(reason="standalone")
    path = tmp_path / "public.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        write_bundle(fh, audience="public")
    from gongxin.ledger.models import Event

    leaf = bytes(Event.objects.get(seq=17).leaf_hash).hex()
    return path, keys.verifier_key(), proof_line(17, leaf, covering_checkpoint(17))


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13"])
def test_verifier_and_witness_run_without_django(version, bundle, tmp_path):
    python = _interpreter(version)
    if python is None:
        pytest.skip(f"no Python {version} with cryptography installable here (looked on PATH and under ~/.pyenv)")
    path, vkey, line = bundle
    script = tmp_path / "standalone.py"
    script.write_text(SCRIPT)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run([python, "-I", str(script), str(ROOT / "src"), str(path), vkey, line, str(tmp_path)],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"PYTHON ({version.replace('.', ', ')}) OK" in result.stdout
    assert "witnessed by 1 of the 1 witnesses you named (quorum 1)" in result.stdout
    assert "record 17 (leaf" in result.stdout
