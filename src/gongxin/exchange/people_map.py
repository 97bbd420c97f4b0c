"""Between a cadre as stored (people.models) and an LRMX record (lrmx.py). Codes become the
form's Chinese words and back; months are ``yyyyMM``. Comparing in the record's terms is
what makes re-importing an exported file change nothing."""

import datetime as dt

from django.utils import translation

from gongxin.people import idnumber
from gongxin.people.models import Degree, Education, PoliticalStatus, RelationKind, Sex

from . import lrmx
from .lrmx import N_, LrmxError


def _labels(choices) -> dict[str, str]:
    with translation.override(None):  # the msgids: the form's Chinese words in any UI language
        return {value: str(label) for value, label in choices.choices}


EDUCATION_LABEL = _labels(Education)
DEGREE_LABEL = {**_labels(Degree), "": ""}
POLITICAL_LABEL = _labels(PoliticalStatus)
EDUCATION_WORDS = {label: code for code, label in EDUCATION_LABEL.items()} | {
    "本科": "bachelor", "大学": "bachelor", "专科": "associate", "硕士研究生": "master", "硕士": "master",
    "博士": "doctor", "研究生（博士）": "doctor", "研究生（硕士）": "master", "中等专科": "secondary_vocational",
}
POLITICAL_WORDS = {label: code for code, label in POLITICAL_LABEL.items()} | {"党员": "cpc", "预备党员": "cpc_probationary"}

# 称谓 → relation kind, for family items read from a file (the file has no kind).
TITLE_KIND = {
    "妻子": RelationKind.SPOUSE, "丈夫": RelationKind.SPOUSE, "配偶": RelationKind.SPOUSE,
    "父亲": RelationKind.FATHER, "母亲": RelationKind.MOTHER,
    "儿子": RelationKind.SON, "长子": RelationKind.SON, "次子": RelationKind.SON,
    "女儿": RelationKind.DAUGHTER, "长女": RelationKind.DAUGHTER, "次女": RelationKind.DAUGHTER,
    "哥哥": RelationKind.BROTHER, "弟弟": RelationKind.BROTHER, "兄弟": RelationKind.BROTHER,
    "姐姐": RelationKind.SISTER, "妹妹": RelationKind.SISTER, "姐妹": RelationKind.SISTER,
    "岳父": RelationKind.PARENT_IN_LAW, "岳母": RelationKind.PARENT_IN_LAW,
    "公公": RelationKind.PARENT_IN_LAW, "婆婆": RelationKind.PARENT_IN_LAW,
    "儿媳": RelationKind.CHILD_IN_LAW, "女婿": RelationKind.CHILD_IN_LAW,
}

# Element → the cadre field it holds (plain text elements only).
TEXT_FIELDS = {
    "XingMing": "name", "MinZu": "ethnicity", "JiGuan": "native_place", "ChuShengDi": "birthplace",
    "JianKangZhuangKuang": "health", "ZhuanYeJiShuZhiWu": "professional_title",
    "ShuXiZhuanYeYouHeZhuanChang": "expertise",
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "fulltime_education_school",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "fulltime_degree_school",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "parttime_education_school",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "parttime_degree_school",
    "XianRenZhiWu": "current_post_title", "NiRenZhiWu": "proposed_post_title",
    "NiMianZhiWu": "proposed_removal_title", "JiangChengQingKuang": "rewards_and_punishments",
    "NianDuKaoHeJieGuo": "annual_assessment_text", "RenMianLiYou": "appointment_reason",
    "ChengBaoDanWei": "reporting_unit", "TianBiaoRen": "form_filled_by", "ShenFenZheng": "id_number",
    "Version": "lrmx_version",
}

LONG_TEXT = {"JiangChengQingKuang", "NianDuKaoHeJieGuo", "RenMianLiYou"}

# The Chinese label of each element, for previews and messages.
ELEMENT_LABELS = {
    "XingMing": "姓名", "XingBie": "性别", "ChuShengNianYue": "出生年月", "MinZu": "民族", "JiGuan": "籍贯",
    "ChuShengDi": "出生地", "RuDangShiJian": "入党时间", "CanJiaGongZuoShiJian": "参加工作时间",
    "JianKangZhuangKuang": "健康状况", "ZhuanYeJiShuZhiWu": "专业技术职务",
    "ShuXiZhuanYeYouHeZhuanChang": "熟悉专业有何专长", "QuanRiZhiJiaoYu_XueLi": "全日制教育学历",
    "QuanRiZhiJiaoYu_XueWei": "全日制教育学位", "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "全日制学历毕业院校系及专业",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "全日制学位毕业院校系及专业", "ZaiZhiJiaoYu_XueLi": "在职教育学历",
    "ZaiZhiJiaoYu_XueWei": "在职教育学位", "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "在职学历毕业院校系及专业",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "在职学位毕业院校系及专业", "XianRenZhiWu": "现任职务",
    "NiRenZhiWu": "拟任职务", "NiMianZhiWu": "拟免职务", "JianLi": "简历", "JiangChengQingKuang": "奖惩情况",
    "NianDuKaoHeJieGuo": "年度考核结果", "RenMianLiYou": "任免理由", "JiaTingChengYuan": "家庭主要成员及重要社会关系",
    "ChengBaoDanWei": "呈报单位", "JiSuanNianLingShiJian": "计算年龄时间", "TianBiaoShiJian": "填表时间",
    "TianBiaoRen": "填表人", "ShenFenZheng": "公民身份号码", "ZhaoPian": "照片", "Version": "版本",
}


def party_text(status: str, joined: dt.date | None) -> str:
    """RuDangShiJian: the month alone for a Party member (the national usage); otherwise
    the status word, followed by the month when there is one (预备党员 202303)."""
    if status == PoliticalStatus.CPC and joined:
        return lrmx.month(joined)
    label = POLITICAL_LABEL.get(status, "")
    return f"{label} {lrmx.month(joined)}".strip() if joined else label


def parse_party(text: str) -> tuple[str | None, dt.date | None]:
    text = text.strip()
    if not text:
        return None, None
    word, _, rest = text.rpartition(" ")
    if not word and not rest[:1].isdigit():
        word, rest = rest, ""
    joined = lrmx.parse_month("RuDangShiJian", rest) if rest else None
    if not word:
        return PoliticalStatus.CPC, joined
    if word not in POLITICAL_WORDS:
        raise LrmxError("RuDangShiJian", N_("“%(text)s”不是可识别的政治面貌或入党时间。"), text=text)
    return POLITICAL_WORDS[word], joined


def _education(element: str, text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    if text in EDUCATION_WORDS:
        return EDUCATION_WORDS[text]
    raise LrmxError(element, N_("学历“%(text)s”无法识别，应为：%(choices)s。"), text=text,
                    choices="、".join(EDUCATION_LABEL.values()))


def _degree(element: str, text: str) -> str:
    text = text.strip()
    if not text or text == "无":
        return ""
    for code, suffix in (("doctor", "博士"), ("master", "硕士"), ("bachelor", "学士")):
        if text.endswith(suffix):
            return code
    raise LrmxError(element, N_("学位“%(text)s”无法识别，应以学士、硕士或博士结尾。"), text=text)


# The cadre fields a record is made from (values_to_record).
RECORD_FIELDS = (*TEXT_FIELDS.values(), "sex", "birth_date", "political_status", "party_joined", "work_started",
                 "fulltime_education", "fulltime_degree", "parttime_education", "parttime_degree",
                 "age_reference_date", "form_filled_date", "photo")
_TEXT_PAIRS = tuple(TEXT_FIELDS.items())


def cadre_to_record(cadre, resume, relations) -> dict:
    return values_to_record({name: getattr(cadre, name) for name in RECORD_FIELDS},
                            [(e.start, e.end, e.description) for e in resume],
                            [(r.title, r.name, r.birth, r.political_status, r.work_unit_and_post) for r in relations])


def values_to_record(v: dict, resume, relations) -> dict:
    """A record from a cadre's ``RECORD_FIELDS`` (a ``values()`` row will do), its resume as
    (start, end, description) and its family as (title, name, birth, political status, work
    unit and post), each in their order: what an export of thousands reads without making a
    model instance of each row."""
    month = lrmx.month
    record = {element: v[name] or "" for element, name in _TEXT_PAIRS}
    record["XingBie"] = "男" if v["sex"] == Sex.MALE else "女"
    record["ChuShengNianYue"] = month(v["birth_date"])
    record["RuDangShiJian"] = party_text(v["political_status"], v["party_joined"])
    record["CanJiaGongZuoShiJian"] = month(v["work_started"])
    record["QuanRiZhiJiaoYu_XueLi"] = EDUCATION_LABEL.get(v["fulltime_education"], "")
    record["QuanRiZhiJiaoYu_XueWei"] = DEGREE_LABEL.get(v["fulltime_degree"], "")
    record["ZaiZhiJiaoYu_XueLi"] = EDUCATION_LABEL.get(v["parttime_education"], "")
    record["ZaiZhiJiaoYu_XueWei"] = DEGREE_LABEL.get(v["parttime_degree"], "")
    record["JianLi"] = "\n".join([lrmx.resume_line(start, end, text) for start, end, text in resume])
    record["JiaTingChengYuan"] = [
        {"ChengWei": title, "XingMing": name, "ChuShengRiQi": (birth or "").replace(".", ""),
         "ZhengZhiMianMao": political, "GongZuoDanWeiJiZhiWu": work}
        for title, name, birth, political, work in relations
    ]
    age_date = v["age_reference_date"]
    record["JiSuanNianLingShiJian"] = f"{age_date:%Y%m%d}" if age_date else ""
    record["TianBiaoShiJian"] = month(v["form_filled_date"])
    photo = v["photo"]
    record["ZhaoPian"] = bytes(photo) if photo else b""
    return record


def photo_type(data: bytes) -> str:
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data.startswith(b"BM"):
        return "image/bmp"
    return "application/octet-stream" if data else ""


def record_to_fields(record: dict) -> dict:
    """The cadre's own fields from a record (validated by lrmx.loads). Resume lines and
    family come separately: ``lrmx.parse_resume(record["JianLi"])`` and ``record[FAMILY]``."""
    fields = {field: record[element] if element in LONG_TEXT else record[element].strip()
              for element, field in TEXT_FIELDS.items()}

    info = idnumber.parse(record["ShenFenZheng"])
    fields["id_number"] = idnumber.normalise(record["ShenFenZheng"])
    fields["sex"] = info.sex
    fields["birth_date"] = info.birth_date
    status, joined = parse_party(record["RuDangShiJian"])
    fields["political_status"] = status or PoliticalStatus.MASSES
    fields["party_joined"] = joined
    fields["work_started"] = lrmx.parse_month("CanJiaGongZuoShiJian", record["CanJiaGongZuoShiJian"])
    fields["fulltime_education"] = _education("QuanRiZhiJiaoYu_XueLi", record["QuanRiZhiJiaoYu_XueLi"])
    fields["fulltime_degree"] = _degree("QuanRiZhiJiaoYu_XueWei", record["QuanRiZhiJiaoYu_XueWei"])
    fields["parttime_education"] = _education("ZaiZhiJiaoYu_XueLi", record["ZaiZhiJiaoYu_XueLi"])
    fields["parttime_degree"] = _degree("ZaiZhiJiaoYu_XueWei", record["ZaiZhiJiaoYu_XueWei"])
    fields["age_reference_date"] = lrmx.parse_day("JiSuanNianLingShiJian", record["JiSuanNianLingShiJian"])
    fields["form_filled_date"] = lrmx.parse_month("TianBiaoShiJian", record["TianBiaoShiJian"])
    photo = record["ZhaoPian"]
    fields["photo"] = photo or None
    fields["photo_type"] = photo_type(photo)
    if not fields["ethnicity"]:
        fields["ethnicity"] = "汉族"
    return fields


def relation_fields(item: dict) -> dict:
    title = item["ChengWei"].strip()
    return {"kind": TITLE_KIND.get(title, RelationKind.OTHER_FAMILY), "title": title or "亲属",
            "name": item["XingMing"].strip(), "birth": item["ChuShengRiQi"].strip()[:8],
            "political_status": item["ZhengZhiMianMao"].strip()[:20],
            "work_unit_and_post": item["GongZuoDanWeiJiZhiWu"].strip()[:200]}
