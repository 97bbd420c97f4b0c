"""Pure cores import nothing from Django (STYLE.md rule 10)."""

import ast
from pathlib import Path

import pytest

PURE = ["eligibility.py", "recusal_core.py", "decision_core.py", "rule_defaults.py"]
ROOT = Path(__file__).resolve().parents[2] / "src" / "gongxin" / "cases"


@pytest.mark.parametrize("name", PURE)
def test_pure_module_imports_no_django(name):
    tree = ast.parse((ROOT / name).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for n in names:
            assert not n.startswith(("django", "gongxin", "ninja")), f"{name} imports {n}"
