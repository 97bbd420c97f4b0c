"""The roster check's one-pass path for clean rows (excel_rows.checks._clean_row_checker) against the
full check over good and bad rows: the same values, the same cadre, the same problems in the
same words. Pure: no database."""

import datetime as dt
import random

from gongxin.exchange import excel_rows
from gongxin.people import idnumber

MAPPING = excel_rows.guess_mapping([h for _f, h, _o in excel_rows.COLUMNS])
TODAY = dt.date(2026, 6, 1)


def _lookups(existing):
    return excel_rows.Lookups(units={"李庄镇": 7, "李庄": 7, "县委": 1}, ranks={"一级科员": 3, "科员": 4},
                              education={"大学本科": "bachelor", "研究生": "postgraduate"},
                              degree={"学士": "bachelor", "无": ""}, political={"中共党员": "cpc", "群众": "masses"},
                              existing=existing, today=TODAY)


def _rows(rng):
    """Clean rows and rows with one thing wrong each (every branch the full check words)."""
    def clean(i):
        sex = "M" if i % 2 else "F"
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 11000))  # (every date before TODAY)
        number = idnumber.make(f"3716{i % 90 + 10}", birth, sex, rng)
        return [f"测试{i}", number, "男" if sex == "M" else "女", f"{birth:%Y.%m}", "汉族", "山东惠民", "山东惠民",
                "中共党员", f"{birth.year + 25}.07", f"{birth.year + 22}.07", "大学本科", "学士", "山东大学", "李庄镇",
                "科员", "一级科员", f"{birth.year + 30}.01", "健康", ""]

    out = [clean(i) for i in range(60)]
    variants = [
        (1, lambda n: n.lower() if n.endswith("X") else n[:17] + "x"), (1, lambda n: n[:6] + " " + n[6:]),
        (1, lambda n: n[:17] + ("0" if n[17] != "0" else "1")), (1, lambda n: n[:16]),
        (1, lambda n: "１" + n[1:]), (1, lambda n: n[:6] + "19991340" + n[14:]), (1, lambda n: n[:6] + "18991201" + n[14:]),
        (2, lambda s: "女" if s == "男" else "男"), (2, lambda s: "不详"), (2, lambda s: ""),
        (3, lambda m: "1850.01"), (3, lambda m: "2099.01"), (3, lambda m: "2001.13"), (3, lambda m: ""),
        (3, lambda m: m[:4] + "-" + m[5:]), (3, lambda m: "1999.01"),
        (8, lambda m: "1901.01"), (8, lambda m: "入党"), (9, lambda m: "2099.12"), (16, lambda m: "1900.02"),
        (10, lambda e: "博士后"), (10, lambda e: ""), (11, lambda d: "无"), (11, lambda d: "硕士"),
        (7, lambda p: "群众"), (7, lambda p: "民主人士"), (7, lambda p: ""), (13, lambda u: "李庄"),
        (13, lambda u: "火星"), (13, lambda u: ""), (15, lambda r: ""), (15, lambda r: "副处"),
        (0, lambda n: ""), (0, lambda n: "名" * 31), (4, lambda e: ""), (17, lambda h: ""), (14, lambda t: "长" * 201),
    ]
    for k, (col, change) in enumerate(variants):
        row = clean(100 + k)
        row[col] = change(row[col])
        out.append(row)
    out.append(list(out[3]))                         # a duplicate ID number
    as_float = list(out[5])
    as_float[1] = float(as_float[1][:15]) if as_float[1][:17].isdigit() else as_float[1]
    out.append(as_float)                             # an ID number Excel kept as a number
    out.append([""] * 19)                            # a blank line
    return out


def _compare(existing, monkeypatch):
    rows = _rows(random.Random(5))
    fixes = {"70": {"org_unit": "县委"}, "71": {"id_number": "37162119900101001X"}}
    taken = []
    real = excel_rows._clean_row_checker

    def counting(lookups, seen):
        one_pass = real(lookups, seen)

        def fast(number, texts):
            checked = one_pass(number, texts)
            if checked is not None:
                taken.append(number)
            return checked
        return fast

    with monkeypatch.context() as m:
        m.setattr(excel_rows.checks, "_clean_row_checker", counting)
        fast = excel_rows.check_rows(rows, MAPPING, _lookups(existing), fixes=fixes, skipped={66})
    with monkeypatch.context() as m:
        m.setattr(excel_rows.checks, "_clean_row_checker", lambda lookups, seen: lambda number, texts: None)
        full = excel_rows.check_rows(rows, MAPPING, _lookups(existing), fixes=fixes, skipped={66})
    assert [(r.number, r.raw, r.values, r.problems, r.cadre_id) for r in fast] == \
        [(r.number, r.raw, r.values, r.problems, r.cadre_id) for r in full]
    return fast, taken


def test_the_one_pass_check_agrees_with_the_full_check(monkeypatch):
    checked, taken = _compare({}, monkeypatch)
    assert len(taken) > 40                                  # most clean rows took the one pass
    assert sum(1 for r in checked if r.problems) > 20      # and the bad ones were all worded


def test_the_one_pass_check_agrees_on_cadres_already_held(monkeypatch):
    rows = _rows(random.Random(5))
    existing = {rows[0][1]: (10, rows[0][0], True), rows[1][1]: (11, "别人", True), rows[2][1]: (12, rows[2][0], False)}
    checked, taken = _compare(existing, monkeypatch)
    assert 2 in taken
    by_number = {r.number: r for r in checked}
    assert by_number[2].cadre_id == 10 and not by_number[2].problems
    assert by_number[3].problems and by_number[4].problems


def test_a_clean_row_holds_tuples_and_gives_the_same_dicts(monkeypatch):
    """The one-pass rows keep their texts and values as tuples (a county's roster held as
    200,000 dicts was about 200 MB more at its peak), and still answer ``raw`` and ``values``
    as the full check's rows do; with columns left unmapped and cells that are not text too."""
    rows = _rows(random.Random(7))
    rows[0][18] = 1.0                                # a number among the texts: read cell by cell
    checked = excel_rows.check_rows(rows, MAPPING, _lookups({}))
    assert all(type(r._raw) is tuple and type(r._values) is tuple for r in checked[1:40])
    assert checked[1].value_tuple()[1] == checked[1].id_number == checked[1].values["id_number"]
    mapping = {**MAPPING, "ethnicity": None, "health": None}
    fast = excel_rows.check_rows(rows, mapping, _lookups({}), skipped={66})
    with monkeypatch.context() as m:
        m.setattr(excel_rows.checks, "_clean_row_checker", lambda lookups, seen: lambda number, texts: None)
        full = excel_rows.check_rows(rows, mapping, _lookups({}), skipped={66})
    assert [(r.number, r.raw, r.values, r.problems, r.cadre_id) for r in fast] == \
        [(r.number, r.raw, r.values, r.problems, r.cadre_id) for r in full]
    assert fast[0].raw["professional_title"] == "1" and fast[1].raw["ethnicity"] == "" and fast[1].values["ethnicity"] == "汉族"
    assert sum(1 for r in fast if not r.problems) > 40
