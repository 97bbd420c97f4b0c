"""The reserve's pure cores (R24 entry rules, composition) load without Django (STYLE.md rule 10):
they build on the eligibility engine and the decision arithmetic, themselves pure."""

import subprocess
import sys


def test_pure_modules_load_without_django():
    code = ("import sys; import gongxin.reserve.entry_rules, gongxin.reserve.composition; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'ninja')); "
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": "src"},
                         cwd=__file__.rsplit("/tests/", 1)[0])
    assert out.returncode == 0, out.stdout + out.stderr
