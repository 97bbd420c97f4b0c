"""Reading an upload (.lrmx, or a .zip of them) and previewing it against the cadres we
hold: matched by ID number, each person new / update / same / conflict, field by field.
Nothing here writes; ``actions.import_lrmx`` applies a preview."""

import hashlib
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gongxin.accounts.scope import cadre_q
from gongxin.core.errors import DomainError
from gongxin.people.models import Cadre

from . import lrmx, people_map
from .lrmx import LrmxError

MAX_MEMBERS = 2000
MAX_UNZIPPED = 400 * 1024 * 1024


@dataclass
class PersonPreview:
    filename: str
    sha256: str
    record: dict
    status: str = "new"            # new / update / same / conflict
    cadre: Cadre | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, ours, the file's)
    reason: str = ""
    blocked: bool = False          # a conflict that cannot be confirmed (out of the user's scope)

    @property
    def id_number(self) -> str:
        return self.record["ShenFenZheng"].strip().upper()

    @property
    def name(self) -> str:
        return self.record["XingMing"].strip()


def _refuse(filename: str, exc: LrmxError) -> DomainError:
    message = _(exc.template) % exc.params if exc.params else _(exc.template)
    label = people_map.ELEMENT_LABELS.get(exc.element.split("/")[0], "")
    where = f"{exc.element}（{label}）" if label else exc.element
    return DomainError("lrmx.invalid", _("文件 %(file)s 的元素 %(element)s 有误：%(message)s 没有导入任何数据。") % {
        "file": filename, "element": where, "message": message}, {"element": exc.element, "file": filename})


def read_upload(filename: str, data: bytes) -> list[tuple[str, str, dict]]:
    """(member name, sha256, record) for each person; refuses the whole upload on the first
    bad file, naming it and the element."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        out = []
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".lrmx")]
            if not members:
                raise DomainError("lrmx.empty_zip", _("压缩包里没有 .lrmx 文件。"))
            if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED:
                raise DomainError("lrmx.zip_too_big", _("压缩包太大：一次最多导入 %(n)d 人。") % {"n": MAX_MEMBERS})
            for member in members:
                body = archive.read(member)
                out.append((member.filename, hashlib.sha256(body).hexdigest(), _load(member.filename, body)))
        return out
    return [(filename, hashlib.sha256(data).hexdigest(), _load(filename, data))]


def _load(filename: str, data: bytes) -> dict:
    try:
        record = lrmx.loads(data)
        people_map.record_to_fields(record)  # the words (学历, 政治面貌) must be known too
    except LrmxError as exc:
        raise _refuse(filename, exc) from None
    return record


def _show(element: str, value) -> str:
    if element == "ZhaoPian":
        return _("有照片（%(kb)d KB）") % {"kb": max(1, len(value) // 1024)} if value else _("无照片")
    if element == lrmx.FAMILY:
        return "；".join(f"{i['ChengWei']} {i['XingMing']} {i['ChuShengRiQi']} {i['ZhengZhiMianMao']} "
                        f"{i['GongZuoDanWeiJiZhiWu']}".strip() for i in value)
    return str(value)


def _same(element: str, ours, theirs) -> bool:
    if element in (lrmx.FAMILY, "ZhaoPian"):
        return ours == theirs
    if element == "JianLi":
        return lrmx.parse_resume(ours) == lrmx.parse_resume(theirs)
    if element in people_map.LONG_TEXT:
        return ours.replace("\r\n", "\n") == theirs.replace("\r\n", "\n")
    return ours.strip() == theirs.strip()


def diff(cadre: Cadre, record: dict) -> list[tuple[str, str, str]]:
    ours = people_map.cadre_to_record(cadre, cadre.resume_entries.all(), cadre.relations.all())
    out = []
    for element in lrmx.ELEMENTS:
        if element == "ChuShengNianYue":
            continue  # follows from the ID number, which matched
        if not _same(element, ours[element], record[element]):
            out.append((people_map.ELEMENT_LABELS[element], _show(element, ours[element]), _show(element, record[element])))
    return out


def preview(user, entries: list[tuple[str, str, dict]]) -> list[PersonPreview]:
    numbers = [r["ShenFenZheng"].strip().upper() for _f, _h, r in entries]
    existing = {c.id_number: c for c in Cadre.objects.filter(id_number__in=numbers)}
    visible = set(Cadre.objects.filter(cadre_q(user), id_number__in=numbers).values_list("id_number", flat=True))
    seen: dict[str, str] = {}
    out = []
    for filename, sha, record in entries:
        person = PersonPreview(filename=filename, sha256=sha, record=record)
        number = person.id_number
        if number in seen:
            person.status, person.blocked = "conflict", True
            person.reason = _("与 %(other)s 的身份证号码相同：同一人只能导入一份。") % {"other": seen[number]}
        elif number in existing:
            cadre = person.cadre = existing[number]
            if number not in visible:
                person.status, person.blocked = "conflict", True
                person.reason = _("系统中已有这个身份证号码的干部，但不在您的数据范围内，不能导入。")
            else:
                person.changes = diff(cadre, record)
                if not person.changes:
                    person.status = "same"
                elif cadre.name != person.name:
                    person.status = "conflict"
                    person.reason = _("身份证号码相同但姓名不同（系统中是 %(ours)s）：请核对，确认后才会覆盖。") % {"ours": cadre.name}
                else:
                    person.status = "update"
        seen.setdefault(number, filename)
        out.append(person)
    return out
