"""Citizen ID numbers (公民身份号码), GB 11643-1999: 6-digit region, 8-digit birth date,
3-digit sequence (odd for men), 1 check character. Pure module: no Django.

Messages are in Chinese and say what to fix; the gettext wrapper is applied by callers
that need the English UI (the messages are the catalogue's msgids)."""

import datetime as dt
import random
from dataclasses import dataclass
from operator import mul

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def N_(message: str) -> str:
    """Marks a msgid for extraction (makemessages --keyword=N_) without translating here."""
    return message


class InvalidIdNumber(ValueError):
    """``template`` is the Chinese msgid and ``params`` its values, so that a caller with
    Django can show ``gettext(template) % params`` in the user's language."""

    def __init__(self, template: str, **params):
        self.template, self.params = template, params
        super().__init__(template % params if params else template)


@dataclass(frozen=True)
class IdInfo:
    region: str
    birth_date: dt.date
    sex: str  # "M" or "F"


def check_char(first17: str) -> str:
    if len(first17) != 17:
        raise ValueError(first17)
    return CHECK_CHARS[sum(map(mul, map(int, first17), WEIGHTS)) % 11]  # (an import checks 100,000 of them)


def normalise(value: str) -> str:
    """Strip spaces and turn a lowercase check character x into X."""
    return "".join(value.split()).upper()


def parse(value: str) -> IdInfo:
    number = normalise(value)
    if len(number) != 18:
        raise InvalidIdNumber(N_("身份证号码应为 18 位，现在是 %(n)d 位。"), n=len(number))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber(N_("身份证号码前 17 位应为数字，最后一位为数字或 X。"))
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(N_("身份证号码第 7–14 位不是有效的出生日期：%(digits)s。"), digits=number[6:14]) from None
    if birth.year < 1900 or birth > dt.date.today():
        raise InvalidIdNumber(N_("身份证号码中的出生日期 %(date)s 不在合理范围内。"), date=f"{birth:%Y-%m-%d}")
    expected = check_char(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber(N_("身份证号码校验位不对：最后一位应为 %(char)s，请核对号码是否抄错。"), char=expected)
    return IdInfo(region=number[:6], birth_date=birth, sex="M" if int(number[16]) % 2 else "F")


def is_valid(value: str) -> bool:
    try:
        parse(value)
    except InvalidIdNumber:
        return False
    return True


def mask(value: str) -> str:
    """Shown where the full number may not be: region and check digit only (3715**********123X)."""
    if not value:
        return ""
    if len(value) < 10:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def make(region: str, birth: dt.date, sex: str, rng: random.Random) -> str:
    """A valid number for demo and test data."""
    seq = rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)
