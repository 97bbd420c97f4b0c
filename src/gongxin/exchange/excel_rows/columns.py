"""The roster template's columns, the lookups a row's check needs, and a row."""

import datetime as dt
from dataclasses import dataclass, field

# (field, header in the template, other headers recognised)
COLUMNS = [
    ("name", "姓名", ()),
    ("id_number", "公民身份号码", ("身份证号码", "身份证号", "身份证")),
    ("sex", "性别", ()),
    ("birth", "出生年月", ("出生日期",)),
    ("ethnicity", "民族", ()),
    ("native_place", "籍贯", ()),
    ("birthplace", "出生地", ()),
    ("political_status", "政治面貌", ()),
    ("party_joined", "入党时间", ()),
    ("work_started", "参加工作时间", ()),
    ("fulltime_education", "全日制学历", ("学历",)),
    ("fulltime_degree", "全日制学位", ("学位",)),
    ("fulltime_education_school", "毕业院校系及专业", ("毕业院校",)),
    ("org_unit", "工作单位", ("单位",)),
    ("current_post_title", "现任职务", ("职务",)),
    ("rank", "职级", ()),
    ("rank_since", "任现职级时间", ()),
    ("health", "健康状况", ()),
    ("professional_title", "专业技术职务", ()),
]
LABELS = {f: header for f, header, _ in COLUMNS}
REQUIRED = ("name", "id_number", "org_unit")
MONTH_FIELDS = ("birth", "party_joined", "work_started", "rank_since")
MAX_LENGTH = {"name": 30, "ethnicity": 20, "native_place": 50, "birthplace": 50, "fulltime_education_school": 200,
              "current_post_title": 200, "health": 30, "professional_title": 50}


@dataclass
class Lookups:
    units: dict[str, int]                  # unit name (and short name) → id, within the user's scope
    ranks: dict[str, int]                  # rank name → id
    education: dict[str, str]              # 学历 words → code
    degree: dict[str, str]                 # 学位 words → code
    political: dict[str, str]              # 政治面貌 words → code
    existing: dict[str, tuple[int, str, bool]] = field(default_factory=dict)  # id number → (id, name, in scope)
    today: dt.date = field(default_factory=dt.date.today)


NAMES = tuple(name for name, _label, _others in COLUMNS)
VALUE_NAMES = ("name", "id_number", "sex", "birth_date", "ethnicity", "native_place", "birthplace", "political_status",
               "party_joined", "work_started", "fulltime_education", "fulltime_degree", "fulltime_education_school",
               "org_unit_id", "current_post_title", "rank_id", "rank_since", "health", "professional_title")


class Row:
    """One row of the roster. ``raw``: field → the text as read (after fixes); ``values``: the
    checked values by field name; ``problems``; ``cadre_id``: the cadre it updates, when the
    ID number is known. A clean row (the one-pass check's) holds its texts and values as two
    tuples (in ``NAMES`` and ``VALUE_NAMES`` order) and makes the dicts only when asked: a
    county's 100,000 rows would otherwise hold 200,000 dicts of 19 keys."""

    __slots__ = ("number", "_raw", "_values", "problems", "cadre_id")

    def __init__(self, number: int, raw, values=None, problems=None, cadre_id: int | None = None):
        self.number, self._raw, self._values, self.cadre_id = number, raw, {} if values is None else values, cadre_id
        self.problems = [] if problems is None else problems

    @property
    def raw(self) -> dict[str, str]:
        if type(self._raw) is tuple:
            self._raw = dict(zip(NAMES, self._raw, strict=True))
        return self._raw

    @property
    def values(self) -> dict:
        if type(self._values) is tuple:
            self._values = dict(zip(VALUE_NAMES, self._values, strict=True))
        return self._values

    def value_tuple(self) -> tuple:
        """The checked values in ``VALUE_NAMES`` order (None for one not set)."""
        values = self._values
        return values if type(values) is tuple else tuple(map(values.get, VALUE_NAMES))

    @property
    def id_number(self) -> str | None:
        values = self._values
        return values[1] if type(values) is tuple else values.get("id_number")

    def __repr__(self) -> str:
        return f"Row({self.number}, {self.raw!r}, {self.values!r}, {self.problems!r}, {self.cadre_id!r})"
