"""Pinyin keys for search: full pinyin ("zhangsan") and initials ("zs"). Polyphonic
surnames take their surname reading (单 shan, 解 xie, 曾 zeng...)."""

from pypinyin import Style, lazy_pinyin

SURNAME_READINGS = {
    "单": "shan", "解": "xie", "曾": "zeng", "查": "zha", "仇": "qiu", "区": "ou", "朴": "piao",
    "繁": "po", "尉": "yu", "乐": "yue", "盖": "ge", "缪": "miao", "覃": "qin", "翟": "zhai",
    "秘": "bi", "員": "yun", "员": "yun", "任": "ren", "沈": "shen", "华": "hua", "燕": "yan",
    "种": "chong", "召": "shao", "长": "chang", "万": "wan", "句": "gou", "郇": "huan", "宿": "su",
}


def pinyin_of(name: str) -> list[str]:
    if not name:
        return []
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="ignore", v_to_u=False)
    if name[0] in SURNAME_READINGS and syllables:
        syllables[0] = SURNAME_READINGS[name[0]]
    return [s.lower() for s in syllables]


def search_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials), both lower case without spaces."""
    syllables = pinyin_of(name)
    return "".join(syllables), "".join(s[0] for s in syllables if s)
