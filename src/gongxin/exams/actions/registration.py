"""Registration (cadres logged in, the public by ID number, or imported from the platform's list),
screening by the eligibility engine, and appeals."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.cases import eligibility as core
from gongxin.core.errors import Conflict, DomainError
from gongxin.ledger.recording import record_event
from gongxin.people import idnumber

from .. import screening
from ..models import (
    AppealStatus,
    Exam,
    ExamChannel,
    ExamPost,
    ExamStatus,
    Registration,
    RegistrationStatus,
)
from ..rules import exam_rule
from .common import _locked, _move

# ---- registration -------------------------------------------------------------------------------

def _open_for_registration(exam: Exam) -> None:
    if exam.status != ExamStatus.REGISTRATION:
        raise Conflict("exam.registration_closed", _("%(title)s 不在报名期。") % {"title": exam.title})
    if timezone.localdate() > exam.registration_closes:
        raise Conflict("exam.registration_closed", _("报名已于 %(date)s 截止。") % {"date": exam.registration_closes})


def _create_registration(exam, exam_post, **fields) -> Registration:
    if exam_post.exam_id != exam.pk:
        raise DomainError("exam.post", _("所选职位不属于本次考试。"))
    reg = Registration(exam=exam, exam_post=exam_post, tracking_code=secrets.token_hex(6).upper(), **fields)
    try:
        with transaction.atomic():
            reg.save()
    except IntegrityError:
        raise Conflict("exam.registration_duplicate",
                       _("该身份证号码已报名本次考试（每人只能报考一个职位）。")) from None
    return reg


@transaction.atomic
def register_cadre(*, acting_user, exam: Exam, exam_post: ExamPost, cadre, phone: str = "") -> Registration:
    """A cadre registers (logged in); screening runs at once so they see why they are or are
    not eligible, and staff confirm it when registration closes."""
    exam = _locked(exam)
    _open_for_registration(exam)
    reg = _create_registration(exam, exam_post, cadre=cadre, name=cadre.name, id_number=cadre.id_number,
                               sex=cadre.sex, birth_date=cadre.birth_date, education=cadre.fulltime_education,
                               phone=phone.strip()[:20], user=acting_user)
    passed = _screen(reg)
    reg.save(update_fields=["screening", "screened_at"])
    record_event(kind="exams.registration.submitted", subject=reg, actor=acting_user, payload={
        "exam": exam.pk, "post": exam_post.code, "cadre": cadre.pk, "name": cadre.name, "preliminary": passed})
    return reg


@transaction.atomic
def register_public(*, exam: Exam, exam_post: ExamPost, name: str, id_number: str, education: str,
                    phone: str = "", is_veteran: bool = False, is_graduate: bool = False) -> Registration:
    """A member of the public registers for a recruitment exam with their ID number (no
    account): birth date and sex come from the number; they keep the tracking code."""
    exam = _locked(exam)
    if exam.channel != ExamChannel.RECRUITMENT:
        raise DomainError("exam.public_closed", _("%(channel)s只面向在职干部，请登录后报名。") % {
            "channel": exam.get_channel_display()})
    _open_for_registration(exam)
    name = (name or "").strip()
    if not name or len(name) > 30:
        raise DomainError("exam.name", _("请填写姓名（不超过 30 个字）。"), {"fields": {"name": [_("请填写姓名")]}})
    try:
        info = idnumber.parse(id_number)
    except idnumber.InvalidIdNumber as exc:
        raise DomainError("exam.id_number", _("身份证号码有误：%(why)s") % {"why": _(str(exc))},
                          {"fields": {"id_number": [_(str(exc))]}}) from None
    if education not in core.EDUCATION_ORDER:
        raise DomainError("exam.education", _("请选择学历。"), {"fields": {"education": [_("请选择学历")]}})
    reg = _create_registration(exam, exam_post, name=name, id_number=idnumber.normalise(id_number), sex=info.sex,
                               birth_date=info.birth_date, education=education, phone=(phone or "").strip()[:20],
                               is_veteran=is_veteran, is_graduate=is_graduate)
    passed = _screen(reg)
    reg.save(update_fields=["screening", "screened_at"])
    record_event(kind="exams.registration.submitted", subject=reg, actor=None, payload={
        "exam": exam.pk, "post": exam_post.code, "name": name, "id_number": idnumber.mask(reg.id_number),
        "veteran": is_veteran, "graduate": is_graduate, "preliminary": passed})
    return reg


@transaction.atomic
def import_registrations(*, acting_user, exam: Exam, rows: list[dict], source: str) -> int:
    """Registrations of a recruitment exam taken from the online registration platform's
    list (``source`` names it): each row as ``register_public`` takes it (exam_post, name,
    id_number, education, is_veteran, is_graduate), checked the same way, written in bulk with
    one ledger event listing them (ID numbers masked)."""
    exam = _locked(exam)
    if exam.channel != ExamChannel.RECRUITMENT:
        raise DomainError("exam.public_closed", _("只有公开招录可以导入社会报名名单。"))
    if exam.status != ExamStatus.REGISTRATION:
        raise Conflict("exam.registration_closed", _("%(title)s 不在报名期。") % {"title": exam.title})
    posts = {p.pk: p for p in exam.posts.all()}
    regs, seen = [], set(exam.registrations.values_list("id_number", flat=True))
    for n, row in enumerate(rows, start=1):
        try:
            info = idnumber.parse(row["id_number"])
        except idnumber.InvalidIdNumber as exc:
            raise DomainError("exam.id_number", _("第 %(n)d 行身份证号码有误：%(why)s") % {"n": n, "why": _(str(exc))}) from None
        number = idnumber.normalise(row["id_number"])
        if number in seen:
            raise Conflict("exam.registration_duplicate", _("第 %(n)d 行：该身份证号码已报名本次考试。") % {"n": n})
        seen.add(number)
        post = posts.get(row["exam_post"].pk if hasattr(row["exam_post"], "pk") else row["exam_post"])
        if post is None or row.get("education") not in core.EDUCATION_ORDER or not (row.get("name") or "").strip():
            raise DomainError("exam.import_row", _("第 %(n)d 行的职位、姓名或学历不完整。") % {"n": n})
        regs.append(Registration(exam=exam, exam_post=post, name=row["name"].strip()[:30], id_number=number,
                                 sex=info.sex, birth_date=info.birth_date, education=row["education"],
                                 is_veteran=bool(row.get("is_veteran")), is_graduate=bool(row.get("is_graduate")),
                                 tracking_code=secrets.token_hex(6).upper()))
    Registration.objects.bulk_create(regs, batch_size=1000)
    record_event(kind="exams.registrations.imported", subject=exam, actor=acting_user, payload={
        "source": source, "count": len(regs),
        "rows": [[r.exam_post.code, r.name, idnumber.mask(r.id_number), r.is_veteran, r.is_graduate] for r in regs]})
    return len(regs)


def _screen(reg: Registration, cache: dict | None = None) -> bool:
    cache = cache if cache is not None else {}
    if "specs" not in cache:
        from gongxin.cases.facts import rule_specs
        from gongxin.cases.rules import rule_set_in_force

        rule_set = reg.exam.case.rule_set if reg.exam.case_id else rule_set_in_force()
        village, name, source = exam_rule("village", rule_set=rule_set)
        cache["specs"] = rule_specs(rule_set)
        cache["village"] = {**village, "_name": name, "_source": source}
    results = screening.screen(reg, rule_specs=cache["specs"], village=cache["village"])
    reg.screening = [r.as_dict() for r in results]
    reg.screened_at = timezone.now()
    return core.passed(results)


@transaction.atomic
def close_registration(*, acting_user, exam: Exam) -> Exam:
    """Registration closes; screening runs again on everyone (the facts as of today) and its
    result becomes each registration's status, with the reasons stored."""
    exam = _locked(exam)
    _move(exam, ExamStatus.SCREENING)
    exam.save(update_fields=["status"])
    cache: dict = {}
    regs = list(exam.registrations.filter(status=RegistrationStatus.SUBMITTED)
                .select_related("exam__case__rule_set", "exam__org_unit", "exam_post__post__rank",
                                "cadre__org_unit"))
    outcome = {}
    for reg in regs:
        passed = _screen(reg, cache)
        reg.status = RegistrationStatus.ELIGIBLE if passed else RegistrationStatus.INELIGIBLE
        outcome[str(reg.pk)] = reg.status
    Registration.objects.bulk_update(regs, ["screening", "screened_at", "status"], batch_size=500)
    record_event(kind="exams.screening.completed", subject=exam, actor=acting_user, payload={
        "eligible": sum(1 for v in outcome.values() if v == RegistrationStatus.ELIGIBLE),
        "ineligible": sum(1 for v in outcome.values() if v == RegistrationStatus.INELIGIBLE),
        "registrations": outcome})
    return exam


@transaction.atomic
def appeal_screening(*, acting_user, registration: Registration, text: str) -> Registration:
    """The registrant asks for the screening to be reviewed (only a refused one, once)."""
    reg = Registration.objects.select_for_update().select_related("exam").get(pk=registration.pk)
    if reg.exam.status != ExamStatus.SCREENING or reg.status != RegistrationStatus.INELIGIBLE:
        raise Conflict("exam.appeal_closed", _("只有资格审查未通过、且考试仍在资格审查阶段时才能申请复核。"))
    if reg.appeal:
        raise Conflict("exam.appeal_once", _("已经申请过复核。"))
    text = (text or "").strip()
    if not text:
        raise DomainError("exam.appeal_text", _("请写明申请复核的理由。"))
    reg.appeal, reg.appeal_text = AppealStatus.PENDING, text[:2000]
    reg.save(update_fields=["appeal", "appeal_text"])
    record_event(kind="exams.appeal.submitted", subject=reg, actor=acting_user,
                 payload={"exam": reg.exam_id, "text": reg.appeal_text})
    return reg


@transaction.atomic
def decide_appeal(*, acting_user, registration: Registration, upheld: bool, decision: str) -> Registration:
    """Staff decide an appeal: upheld makes the registration eligible; the reason is recorded."""
    reg = Registration.objects.select_for_update().select_related("exam").get(pk=registration.pk)
    if reg.appeal != AppealStatus.PENDING:
        raise Conflict("exam.appeal_none", _("这份报名没有待处理的复核申请。"))
    decision = (decision or "").strip()
    if not decision:
        raise DomainError("exam.appeal_decision", _("请填写复核意见。"))
    reg.appeal = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
    reg.appeal_decision = decision[:2000]
    if upheld:
        reg.status = RegistrationStatus.ELIGIBLE
    reg.save(update_fields=["appeal", "appeal_decision", "status"])
    record_event(kind="exams.appeal.decided", subject=reg, actor=acting_user,
                 payload={"exam": reg.exam_id, "upheld": upheld, "decision": reg.appeal_decision})
    return reg
