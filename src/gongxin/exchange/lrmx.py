"""LRMX, the 干部任免审批表 exchange file (DOMAIN §6): reading and writing one person.

Pure module (no Django). A record is a dict keyed by element name: text values as str, the
family as a list of dicts keyed by the Item's element names, ZhaoPian as bytes. ``dumps``
writes every element in the national order; ``loads`` reads a file back into the same dict
and refuses a bad one with ``LrmxError`` naming the element."""

import base64
import binascii
import datetime as dt
import re
from xml.etree import ElementTree as ET

from gongxin.people import idnumber

ROOT = "Person"
ELEMENTS = (
    "XingMing", "XingBie", "ChuShengNianYue", "MinZu", "JiGuan", "ChuShengDi", "RuDangShiJian",
    "CanJiaGongZuoShiJian", "JianKangZhuangKuang", "ZhuanYeJiShuZhiWu", "ShuXiZhuanYeYouHeZhuanChang",
    "QuanRiZhiJiaoYu_XueLi", "QuanRiZhiJiaoYu_XueWei", "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "ZaiZhiJiaoYu_XueLi", "ZaiZhiJiaoYu_XueWei",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "XianRenZhiWu", "NiRenZhiWu",
    "NiMianZhiWu", "JianLi", "JiangChengQingKuang", "NianDuKaoHeJieGuo", "RenMianLiYou", "JiaTingChengYuan",
    "ChengBaoDanWei", "JiSuanNianLingShiJian", "TianBiaoShiJian", "TianBiaoRen", "ShenFenZheng", "ZhaoPian",
    "Version",
)
FAMILY = "JiaTingChengYuan"
FAMILY_ITEM = "Item"
FAMILY_ELEMENTS = ("ChengWei", "XingMing", "ChuShengRiQi", "ZhengZhiMianMao", "GongZuoDanWeiJiZhiWu")
# yyyyMM elements (RuDangShiJian may carry a status word before its month, see people_map).
MONTH_ELEMENTS = ("ChuShengNianYue", "CanJiaGongZuoShiJian", "TianBiaoShiJian")
DAY_ELEMENTS = ("JiSuanNianLingShiJian",)
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_FILE_BYTES = 64 * 1024 * 1024  # past this not even parsed; the photo check names ZhaoPian below it
RESUME_LINE = re.compile(r"^(\d{4})\.(\d{2})--(?:(\d{4})\.(\d{2}))?\s{2}(.+)$")


class LrmxError(ValueError):
    """``element`` names where the file is wrong; ``template``/``params`` make the Chinese
    message (a msgid, as in people.idnumber) that says what to fix."""

    def __init__(self, element: str, template: str, **params):
        self.element, self.template, self.params = element, template, params
        super().__init__(f"{element}: {template % params if params else template}")


def N_(message: str) -> str:
    return message


def empty_record() -> dict:
    record = {name: "" for name in ELEMENTS}
    record[FAMILY] = []
    record["ZhaoPian"] = b""
    return record


# ---- dates -------------------------------------------------------------------------------

def month(value: dt.date | None) -> str:
    return f"{value:%Y%m}" if value else ""


def parse_month(element: str, text: str) -> dt.date | None:
    """yyyyMM (a dotted yyyy.MM is accepted too) → the first of that month."""
    text = text.strip().replace(".", "")
    if not text:
        return None
    if not re.fullmatch(r"\d{6}", text):
        raise LrmxError(element, N_("日期“%(text)s”应为六位年月，如 199207。"), text=text)
    year, mon = int(text[:4]), int(text[4:])
    if not (1 <= mon <= 12) or not (1900 <= year <= 2100):
        raise LrmxError(element, N_("日期“%(text)s”不存在：年份应在 1900–2100 之间，月份应为 01–12。"), text=text)
    return dt.date(year, mon, 1)


def parse_day(element: str, text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{8}", text):
        raise LrmxError(element, N_("日期“%(text)s”应为八位年月日，如 20261120。"), text=text)
    try:
        value = dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise LrmxError(element, N_("日期“%(text)s”不存在。"), text=text) from None
    if not 1900 <= value.year <= 2100:
        raise LrmxError(element, N_("日期“%(text)s”不在合理范围内。"), text=text)
    return value


# ---- resume lines --------------------------------------------------------------------------

def resume_line(start: dt.date, end: dt.date | None, description: str) -> str:
    end_text = f"{end:%Y.%m}" if end else ""
    return f"{start:%Y.%m}--{end_text}  {description}"


def parse_resume(text: str) -> list[tuple[dt.date, dt.date | None, str]]:
    """JianLi text → (start, end or None, description), one per line. A line that does not
    start with a period continues the previous line's description (files wrap long lines)."""
    out: list[list] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        m = RESUME_LINE.match(line.strip())
        if m is None:
            if out:
                out[-1][2] += line.strip()
                continue
            raise LrmxError("JianLi", N_("第 %(n)d 行“%(line)s”应为“YYYY.MM--YYYY.MM  经历”。"), n=number, line=line[:40])
        start = parse_month("JianLi", m.group(1) + m.group(2))
        end = parse_month("JianLi", m.group(3) + m.group(4)) if m.group(3) else None
        if end is not None and end < start:
            raise LrmxError("JianLi", N_("第 %(n)d 行的截止年月早于起始年月。"), n=number)
        out.append([start, end, m.group(5).strip()])
    return [tuple(item) for item in out]


# ---- writing -------------------------------------------------------------------------------

def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def dumps(record: dict) -> bytes:
    """The file, elements in the national order, UTF-8. Written by hand (it is flat): about
    twice as fast as building an ElementTree for the same dict."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<Person>\n']
    append = parts.append
    for name in ELEMENTS:
        if name == FAMILY:
            items = record.get(FAMILY) or []
            if not items:
                append("  <JiaTingChengYuan />\n")
                continue
            append("  <JiaTingChengYuan>\n")
            for item in items:
                append("    <Item>\n")
                for field in FAMILY_ELEMENTS:
                    append(f"      <{field}>{_escape(item.get(field, ''))}</{field}>\n")
                append("    </Item>\n")
            append("  </JiaTingChengYuan>\n")
        elif name == "ZhaoPian":
            photo = record.get("ZhaoPian") or b""
            append(f"  <ZhaoPian>{base64.b64encode(photo).decode('ascii')}</ZhaoPian>\n")
        else:
            value = record.get(name) or ""
            # Line breaks inside JianLi and the long texts kept as they are; \r would be
            # normalised away by any XML reader, so it is written as a character reference.
            append(f"  <{name}>{_escape(value).replace(chr(13), '&#13;')}</{name}>\n")
    append("</Person>\n")
    return "".join(parts).encode("utf-8")


# ---- reading -------------------------------------------------------------------------------

def loads(data: bytes) -> dict:
    """One file → a record. Refuses (LrmxError) a file that is not XML, has another root, a
    DOCTYPE (entity tricks), an impossible date, an ID number that fails its check, a photo
    over MAX_PHOTO_BYTES, or an element that is not in the national list."""
    if len(data) > MAX_FILE_BYTES:
        raise LrmxError("Person", N_("文件有 %(mb).1f MB，太大了。"), mb=len(data) / 1048576)
    head = data[:2048]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data:
        raise LrmxError("Person", N_("文件含有 DOCTYPE 或实体声明，任免审批表文件不应包含，拒绝读取。"))
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise LrmxError("Person", N_("文件不是有效的 XML（%(error)s）。请确认选择的是 .lrmx 文件。"), error=str(exc)) from None
    if root.tag != ROOT:
        raise LrmxError(root.tag, N_("根元素应为 Person，这个文件的根元素是 %(tag)s，不是任免审批表文件。"), tag=root.tag)
    record = empty_record()
    seen = set()
    for child in root:
        name = child.tag
        if name not in record:
            raise LrmxError(name, N_("元素 %(tag)s 不在任免审批表的元素清单中。"), tag=name)
        if name in seen:
            raise LrmxError(name, N_("元素 %(tag)s 出现了不止一次。"), tag=name)
        seen.add(name)
        if name == FAMILY:
            record[FAMILY] = [_family_item(item, i) for i, item in enumerate(child, start=1)]
        elif name == "ZhaoPian":
            record["ZhaoPian"] = _photo(child.text or "")
        else:
            record[name] = child.text or ""
    _check(record)
    return record


def _family_item(item, index: int) -> dict:
    if item.tag != FAMILY_ITEM:
        raise LrmxError(FAMILY, N_("家庭成员第 %(n)d 项应为 Item 元素，现在是 %(tag)s。"), n=index, tag=item.tag)
    out = {field: "" for field in FAMILY_ELEMENTS}
    for child in item:
        if child.tag not in out:
            raise LrmxError(f"{FAMILY}/Item/{child.tag}", N_("家庭成员第 %(n)d 项含有未知元素 %(tag)s。"),
                            n=index, tag=child.tag)
        out[child.tag] = (child.text or "").strip()
    birth = out["ChuShengRiQi"].replace(".", "")
    if birth:
        parse_month(f"{FAMILY}/Item/ChuShengRiQi", birth)
        out["ChuShengRiQi"] = birth
    return out


def _photo(text: str) -> bytes:
    compact = "".join(text.split())
    if len(compact) * 3 // 4 > MAX_PHOTO_BYTES:
        raise LrmxError("ZhaoPian", N_("照片有 %(mb).1f MB，超过 %(max)d MB 的上限，请压缩后再导入。"),
                        mb=len(compact) * 3 / 4 / 1048576, max=MAX_PHOTO_BYTES // 1048576)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise LrmxError("ZhaoPian", N_("照片不是有效的 base64 编码。")) from None


def _check(record: dict) -> None:
    if not record["XingMing"].strip():
        raise LrmxError("XingMing", N_("缺少姓名。"))
    for name in MONTH_ELEMENTS:
        parse_month(name, record[name])
    for name in DAY_ELEMENTS:
        parse_day(name, record[name])
    if record["JianLi"].strip():
        parse_resume(record["JianLi"])
    number = record["ShenFenZheng"].strip()
    if not number:
        raise LrmxError("ShenFenZheng", N_("缺少公民身份号码：导入时按身份证号码匹配干部。"))
    try:
        info = idnumber.parse(number)
    except idnumber.InvalidIdNumber as exc:
        raise LrmxError("ShenFenZheng", exc.template, **exc.params) from None
    birth = record["ChuShengNianYue"].replace(".", "")
    if birth and birth != f"{info.birth_date:%Y%m}":
        raise LrmxError("ChuShengNianYue", N_("出生年月 %(text)s 与身份证号码中的 %(id)s 不符。"),
                        text=birth, id=f"{info.birth_date:%Y%m}")
    sex = record["XingBie"].strip()
    if sex and sex not in ("男", "女"):
        raise LrmxError("XingBie", N_("性别应为“男”或“女”，现在是“%(text)s”。"), text=sex)
    if sex and sex != ("男" if info.sex == "M" else "女"):
        raise LrmxError("XingBie", N_("性别与身份证号码第 17 位不符。"))
