"""Checking every row of a roster: the one-pass check for clean rows, the full one, which
writes every problem in Chinese, for the rest."""

import datetime as dt
import operator

from gongxin.people import idnumber

from .cells import SEXES, _month, cell_text, parse_month
from .columns import LABELS, MAX_LENGTH, MONTH_FIELDS, NAMES, REQUIRED, Lookups, Row


def check_rows(rows: list[list], mapping: dict, lookups: Lookups, *, fixes: dict | None = None,
               skipped: set[int] = frozenset(), first_row: int = 2) -> list[Row]:
    """``rows`` without the header; ``first_row`` is the Excel number of rows[0]."""
    fixes = fixes or {}
    out = []
    append = out.append
    seen: dict[str, int] = {}
    columns = [(name, mapping.get(name)) for name in NAMES]
    id_col = mapping.get("id_number")
    present = [col for _name, col in columns if col is not None]
    widest = max(present, default=-1)
    # the common row (every mapped cell there, all text, no fix typed for it) read in one go:
    # its texts in NAMES order, an unmapped field's the "" put after the mapped ones
    pick = operator.itemgetter(*present) if len(present) > 1 else None
    fill = None if len(present) == len(NAMES) else operator.itemgetter(*[
        present.index(col) if col is not None else len(present) for _name, col in columns])
    strip = str.strip
    fast = _clean_row_checker(lookups, seen)
    def checked_row(number: int, raw, texts: tuple) -> Row:
        """The row of ``raw`` (its texts as a tuple or a dict), by the one pass when it vouches
        for ``texts``, else by the full check; a skipped row is not checked."""
        is_skipped = number in skipped
        values = None if is_skipped else fast(number, texts)
        if values is not None:
            return Row(number, raw, *values)
        row = Row(number, raw)
        if not is_skipped:
            _check(row, lookups, seen)
        return row

    for number, cells in enumerate(rows, start=first_row):
        texts = None
        if pick is not None and len(cells) > widest and not (fixes and str(number) in fixes):
            try:
                texts = tuple(map(strip, pick(cells)))
            except TypeError:  # a cell not text (a number, a date): read as below
                pass
            else:
                if fill is not None:
                    texts = fill((*texts, ""))
                if not any(texts):
                    continue  # an empty row
                append(checked_row(number, texts, texts))
                continue
        raw = {}
        width = len(cells)
        for name, col in columns:
            if col is None or col >= width:
                raw[name] = ""
            else:
                value = cells[col]
                raw[name] = value.strip() if type(value) is str else cell_text(value)
        if id_col is not None and id_col < width and isinstance(cells[id_col], float):
            raw["_id_was_number"] = "1"
        if fixes:
            fix = fixes.get(str(number))
            if fix:
                raw.update(fix)
        if not any(raw[name] for name in NAMES):
            continue  # an empty row
        append(checked_row(number, raw, tuple(raw[name] for name in NAMES)))
    return out


class _Months(dict):
    """Month text → the first of its month, or None when it is not a month from 1900 to today;
    each distinct text parsed once."""

    def __init__(self, today: dt.date):
        super().__init__()
        self.today = today

    def __missing__(self, text: str) -> dt.date | None:
        value = _month(text)
        if value is not None and (value.year < 1900 or value > self.today):
            value = None
        self[text] = value
        return value


class _Births(dict):
    """An ID number's eight date digits → (the date, the first of its month), or None when
    they are not a date from 1900 to today; each distinct text once."""

    def __init__(self):
        super().__init__()
        self.today = dt.date.today()

    def __missing__(self, digits: str) -> tuple[dt.date, dt.date] | None:
        try:
            value = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            value = None
        pair = None
        if value is not None and 1900 <= value.year and value <= self.today:
            pair = (value, value.replace(day=1))
        self[digits] = pair
        return pair


def _clean_row_checker(lookups: Lookups, seen: dict[str, int]):
    """A function that checks the common row, one with nothing to say, in one pass, given its
    Excel number and texts, and returns the ``Row``'s last three arguments (its values, no
    problems, the cadre it updates), so a clean row is made once with them; it returns None,
    touching nothing, at the first doubt, and the row is then checked by ``_check``, which
    words every problem. The same values as ``_check`` gives a clean row (tests/exchange: the
    two agree over good and bad rows)."""
    months = _Months(lookups.today)
    births = _Births()
    limits = tuple(MAX_LENGTH.values())
    assert tuple(MAX_LENGTH) == ("name", "ethnicity", "native_place", "birthplace", "fulltime_education_school",
                                 "current_post_title", "health", "professional_title")  # (as unpacked below)
    length_texts = operator.itemgetter(*(NAMES.index(name) for name in MAX_LENGTH))
    assert NAMES == ("name", "id_number", "sex", "birth", "ethnicity", "native_place", "birthplace",
                     "political_status", "party_joined", "work_started", "fulltime_education", "fulltime_degree",
                     "fulltime_education_school", "org_unit", "current_post_title", "rank", "rank_since", "health",
                     "professional_title")  # (as unpacked below)
    units, ranks, existing = lookups.units, lookups.ranks, lookups.existing
    education, degree, political = lookups.education, lookups.degree, lookups.political
    check_chars, weights, zeros = idnumber.CHECK_CHARS, idnumber.WEIGHTS, 48 * sum(idnumber.WEIGHTS)
    gt, mul = operator.gt, operator.mul

    def fast(row_number: int, texts: tuple) -> tuple | None:
        (name, number, sex_text, born_text, ethnicity, native_place, birthplace, pol_text, party_text, work_text,
         edu_text, deg_text, school, unit, post, rank_text, rank_since_text, health, title) = texts
        if not (name and unit and len(number) == 18 and number.isascii() and number[:17].isdigit()):
            return None
        if any(map(gt, map(len, length_texts(texts)), limits)):
            return None
        born = births[number[6:14]]
        # the check character: the 17 digits' bytes less 48 each, weighted
        if born is None or number in seen or \
                check_chars[(sum(map(mul, number.encode(), weights)) - zeros) % 11] != number[17]:
            return None
        sex = "M" if number[16] in "13579" else "F"
        if sex_text and SEXES.get(sex_text) != sex:
            return None
        held = existing.get(number)
        if held is not None and (not held[2] or held[1] != name):
            return None
        birth, birth_month = born
        # each month a month in range, none before the birth month, the birth month that of the number
        if born_text and months[born_text] != birth_month:
            return None
        party = work = rank_since = None
        if party_text:
            party = months[party_text]
            if party is None or party < birth_month:
                return None
        if work_text:
            work = months[work_text]
            if work is None or work < birth_month:
                return None
        if rank_since_text:
            rank_since = months[rank_since_text]
            if rank_since is None or rank_since < birth_month:
                return None
        edu = education.get(edu_text) if edu_text else ""
        deg = degree.get(deg_text) if deg_text else ""
        pol = political.get(pol_text, False) if pol_text else None
        unit_id = units.get(unit)
        rank_id = ranks.get(rank_text) if rank_text else None
        if edu is None or deg is None or pol is False or unit_id is None or (rank_text and rank_id is None):
            return None
        seen[number] = row_number
        # (in VALUE_NAMES' order), no problems, the cadre it updates
        return ((name, number, sex, birth, ethnicity or "汉族", native_place, birthplace, pol, party, work, edu, deg,
                 school, unit_id, post, rank_id, rank_since, health, title), None, None if held is None else held[0])

    return fast


def _check(row: Row, lookups: Lookups, seen: dict[str, int]) -> None:
    raw, values, problems = row.raw, row.values, row.problems
    for name in REQUIRED:
        if not raw[name]:
            problems.append(f"{LABELS[name]}为空。")
    for name, limit in MAX_LENGTH.items():
        if len(raw[name]) > limit:
            problems.append(f"{LABELS[name]}太长（{len(raw[name])} 字，最多 {limit} 字）。")
        values[name] = raw[name]
    if not values["ethnicity"]:
        values["ethnicity"] = "汉族"
    info = None
    if raw["id_number"]:
        try:
            info = idnumber.parse(raw["id_number"])
        except idnumber.InvalidIdNumber as exc:
            hint = "（这一列被 Excel 存成了数字，末几位可能已丢失：请把该列设为文本后重新填写）" if raw.get("_id_was_number") else ""
            problems.append(f"身份证号码 {raw['id_number']} 有误：{exc}{hint}")
        else:
            number = idnumber.normalise(raw["id_number"])
            values["id_number"], values["birth_date"], values["sex"] = number, info.birth_date, info.sex
            if number in seen:
                problems.append(f"身份证号码与第 {seen[number]} 行重复。")
            else:
                seen[number] = row.number
            if number in lookups.existing:
                cadre_id, name, in_scope = lookups.existing[number]
                if not in_scope:
                    problems.append("系统中已有这个身份证号码的干部，但不在您的数据范围内。")
                elif raw["name"] and name != raw["name"]:
                    problems.append(f"身份证号码已登记为“{name}”，与姓名“{raw['name']}”不一致。")
                else:
                    row.cadre_id = cadre_id
    if raw["sex"] and info:
        sex = SEXES.get(raw["sex"])
        if sex is None:
            problems.append(f"性别应为“男”或“女”，现在是“{raw['sex']}”。")
        elif sex != info.sex:
            problems.append("性别与身份证号码不符。")
    months = {}
    for name in MONTH_FIELDS:
        if not raw[name]:
            months[name] = None
            continue
        try:
            value = parse_month(raw[name])
        except ValueError:
            problems.append(f"{LABELS[name]}“{raw[name]}”不是有效的年月，请写成 1992.01 这样。")
            months[name] = None
            continue
        if value.year < 1900 or value > lookups.today:
            problems.append(f"{LABELS[name]} {value:%Y.%m} 超出范围（应在 1900.01 与今天之间）。")
        months[name] = value
    if info and months["birth"] and (months["birth"].year, months["birth"].month) != (info.birth_date.year,
                                                                                     info.birth_date.month):
        problems.append(f"出生年月 {months['birth']:%Y.%m} 与身份证号码中的 {info.birth_date:%Y.%m} 不符。")
    birth_month = info.birth_date.replace(day=1) if info else None
    for name in ("party_joined", "work_started", "rank_since"):
        if birth_month and months[name] and months[name] < birth_month:
            problems.append(f"{LABELS[name]} {months[name]:%Y.%m} 早于出生年月。")
        values[name] = months[name]
    for name, table in (("fulltime_education", lookups.education), ("fulltime_degree", lookups.degree),
                        ("political_status", lookups.political)):
        text = raw[name]
        if not text:
            values[name] = "" if name != "political_status" else None
        elif text in table:
            values[name] = table[text]
        else:
            problems.append(f"{LABELS[name]}“{text}”无法识别，可填：{'、'.join(sorted(set(table), key=len)[:10])}。")
    if raw["org_unit"]:
        if raw["org_unit"] in lookups.units:
            values["org_unit_id"] = lookups.units[raw["org_unit"]]
        else:
            problems.append(f"工作单位“{raw['org_unit']}”不存在或不在您的数据范围内。")
    if raw["rank"]:
        if raw["rank"] in lookups.ranks:
            values["rank_id"] = lookups.ranks[raw["rank"]]
        else:
            problems.append(f"职级“{raw['rank']}”无法识别，可填：{'、'.join(list(lookups.ranks)[:12])}。")
    else:
        values["rank_id"] = None
