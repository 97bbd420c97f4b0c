"""Names in notices ordered by strokes (R28). Pure: no Django.

The rule: the surname's stroke count; ties by the sequence of stroke classes
横 竖 撇 点 折 (提 counts as 横); then the next character, and so on. Two variants:

- ``surname`` (姓氏笔画): only the surname decides; people with the same surname keep the
  order they came in (a stable sort).
- ``full_name`` (姓名笔画): every character of the name in turn, so a single-character given
  name comes before a longer one that starts with the same character.

Data: ``data/strokes.tsv`` (see data/README.md): the five-class stroke sequence of 6,970
characters, every GB 2312 hanzi included, from maintained MIT-licensed packages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

DATA_FILE = Path(__file__).resolve().parent / "data" / "strokes.tsv"
STROKE_CLASSES = {"1": "横", "2": "竖", "3": "撇", "4": "点", "5": "折"}

SURNAME = "surname"
FULL_NAME = "full_name"
VARIANTS = (SURNAME, FULL_NAME)

# Compound surnames (复姓) that appear in Chinese personnel lists: the whole surname is
# compared character by character under the surname variant.
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "令狐", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "公冶", "太史",
})

T = TypeVar("T")


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[str, int]]:
    """Character → (stroke-class sequence, tie order among identical sequences)."""
    rows: dict[str, tuple[str, int]] = {}
    with DATA_FILE.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            char, sequence, tie = line.rstrip("\n").split("\t")
            rows[char] = (sequence, int(tie))
    return rows


class UnknownCharacter(KeyError):
    pass


def sequence(char: str) -> str:
    """The stroke classes of one character as digits 1–5 (横 竖 撇 点 折)."""
    try:
        return table()[char][0]
    except KeyError:
        raise UnknownCharacter(char) from None


def stroke_count(char: str) -> int:
    return len(sequence(char))


def describe(char: str) -> str:
    """``"王：4 画，横横竖横"``: for showing the rule at work."""
    seq = sequence(char)
    return f"{char}：{len(seq)} 画，{''.join(STROKE_CLASSES[s] for s in seq)}"


@lru_cache(maxsize=16384)
def char_key(char: str) -> tuple:
    """Sort key of one character: count, then the sequence, then the data's tie order.
    Characters the table does not know (Latin letters, rare hanzi) sort after every known
    one, by code point, so nothing is lost or raises."""
    row = table().get(char)
    if row is None:
        return (1, 0, "", 0, ord(char))
    seq, tie = row
    return (0, len(seq), seq, tie, ord(char))


def split_surname(name: str) -> tuple[str, str]:
    name = name.strip()
    if name[:2] in COMPOUND_SURNAMES and len(name) > 2:
        return name[:2], name[2:]
    return name[:1], name[1:]


def name_key(name: str, variant: str = FULL_NAME) -> tuple:
    """Sort key of a name. A shorter name that is a prefix of a longer one comes first
    (王一 before 王一二), because tuples compare that way."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    name = "".join(name.split())  # "王  五" in lists with padded two-character names
    part = split_surname(name)[0] if variant == SURNAME else name
    return tuple(char_key(c) for c in part)


def sort_names(names: Iterable[str], variant: str = FULL_NAME) -> list[str]:
    return sorted(names, key=lambda n: name_key(n, variant))


def sort_by_name(items: Iterable[T], name_of: Callable[[T], str], variant: str = FULL_NAME) -> list[T]:
    """Sort any objects by their names (stable: equal keys keep their input order)."""
    return sorted(items, key=lambda item: name_key(name_of(item), variant))


def unknown_characters(names: Sequence[str]) -> set[str]:
    known = table()
    return {c for n in names for c in "".join(n.split()) if c not in known}
