"""The pure cores import nothing from Django or the rest of Gongxin."""

import ast
from pathlib import Path

import pytest

import gongxin.publicity as pkg

PURE = ["workdays.py", "strokes.py"]


@pytest.mark.parametrize("name", PURE)
def test_pure_module_imports_no_django(name):
    tree = ast.parse((Path(pkg.__file__).parent / name).read_text("utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." if node.level else node.module.split(".")[0])
    assert not imported & {"django", "gongxin", "."}, imported
    assert imported <= {"__future__", "collections", "dataclasses", "datetime", "functools", "pathlib", "typing",
                        "chinese_calendar"}
