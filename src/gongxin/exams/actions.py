"""Every write of the exam pipeline: atomic, keyword-only ``acting_user``, one ledger event
per state change in the same transaction (STYLE.md). The ranking itself is ranking.py;
screening is screening.py; the score sheet is importing.py."""

import contextlib
import datetime as dt
import hashlib
import random
import secrets

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.cases import eligibility as core
from gongxin.core.errors import Conflict, DomainError
from gongxin.ledger.recording import record_event
from gongxin.people import idnumber

from . import ranking, screening, workflow
from .models import (
    AppealStatus,
    Exam,
    ExamChannel,
    ExamPost,
    ExamStatus,
    Outcome,
    Registration,
    RegistrationStatus,
)
from .rules import exam_rule

COMPONENTS = ("written", "interview")
ROOM_SIZE = 30


def _locked(exam: Exam) -> Exam:
    return Exam.objects.select_for_update(of=("self",)).select_related("org_unit", "case").get(pk=exam.pk)


def refused(exc: ranking.InvalidWeights) -> DomainError:
    return DomainError(exc.code, _(exc.template) % exc.params if exc.params else _(exc.template))


def clean_weights(weights: dict) -> dict:
    unknown = [k for k in weights if k not in COMPONENTS]
    if unknown:
        raise DomainError("exam.weights", _("成绩只能由笔试成绩和面试成绩组成（未知：%(k)s）。") % {"k": "、".join(unknown)})
    try:
        checked = ranking.check_weights({k: v for k, v in weights.items()})
    except ranking.InvalidWeights as exc:
        raise refused(exc) from None
    if set(checked) != set(COMPONENTS):
        raise DomainError("exam.weights", _("请同时设置笔试成绩和面试成绩的权重。"))
    return {k: str(v) if v.denominator != 1 else str(v.numerator) for k, v in
            ((k, ranking.parse_weight(weights[k])) for k in COMPONENTS)}


# ---- announcement -------------------------------------------------------------------------------

@transaction.atomic
def announce_exam(*, acting_user, channel: str, title: str, org_unit, posts: list[dict],
                  registration_closes: dt.date, written_on: dt.date | None = None,
                  interview_on: dt.date | None = None, qualifications: str = "", requirements: dict | None = None,
                  weights: dict | None = None, interview_ratio: int | None = None, inspection_ratio: int | None = None,
                  venue: str = "", case=None) -> Exam:
    """An announcement in draft: its posts (title, code, count, post, veterans_only), its
    qualifications, and the weights, ratios and tie order of the EXM rule row (the weights may
    be set for this exam; they must sum to 1)."""
    if channel not in ExamChannel.values:
        raise DomainError("exam.channel", _("未知的考试渠道。"))
    title = (title or "").strip()
    if not title:
        raise DomainError("exam.title", _("请填写考试公告的名称。"))
    if not posts:
        raise DomainError("exam.posts", _("请至少列出一个招考职位。"))
    params, name, source = exam_rule("", rule_set=case.rule_set if case is not None else None)
    weights = clean_weights(weights or {"written": params["written_weight"], "interview": params["interview_weight"]})
    interview_ratio = int(interview_ratio or params["interview_ratio"])
    inspection_ratio = int(inspection_ratio or params["inspection_ratio"])
    if not 1 <= interview_ratio <= 10 or not 1 <= inspection_ratio <= interview_ratio:
        raise DomainError("exam.ratio", _("面试比例应在 1 至 10 之间，考察比例不能大于面试比例。"))
    if written_on and written_on <= registration_closes:
        raise DomainError("exam.dates", _("笔试日期应在报名截止日期之后。"))
    if case is not None and channel not in case.channels:
        raise DomainError("exam.case_channel", _("关联案件“%(case)s”的提名渠道中没有“%(channel)s”。") % {
            "case": case, "channel": ExamChannel(channel).label})
    exam = Exam.objects.create(
        channel=channel, title=title, org_unit=org_unit, case=case, qualifications=qualifications.strip(),
        requirements=requirements or {}, weights=weights, interview_ratio=interview_ratio,
        inspection_ratio=inspection_ratio, tie_order=list(params.get("tie_order", ["written", "interview"])),
        name_order=params.get("name_order", "rank"), rule_source=f"{name}：{source}"[:500],
        registration_closes=registration_closes, written_on=written_on, interview_on=interview_on,
        venue=venue.strip(), created_by=acting_user)
    rows = []
    for i, p in enumerate(posts, start=1):
        post = p.get("post")
        code = str(p.get("code") or f"{i:02d}").strip()
        count = int(p.get("count") or 1)
        if count < 1:
            raise DomainError("exam.post_count", _("职位 %(code)s 的人数至少为 1。") % {"code": code})
        if post is not None and channel == ExamChannel.COMPETITIVE_POSTING and not (
                post.org_unit_id == org_unit.pk or post.org_unit.parent_id == org_unit.pk):
            raise DomainError("exam.post_unit", _("竞争上岗的职位须是 %(unit)s 的岗位。") % {"unit": org_unit})
        try:
            with transaction.atomic():
                ep = ExamPost.objects.create(exam=exam, post=post, title=(p.get("title") or str(post or "")).strip(),
                                             code=code, count=count, veterans_only=bool(p.get("veterans_only")))
        except IntegrityError:
            raise DomainError("exam.post_code", _("职位代码 %(code)s 重复。") % {"code": code}) from None
        rows.append({"id": ep.pk, "code": code, "title": ep.title, "post": post.pk if post else None,
                     "count": count, "veterans_only": ep.veterans_only})
    record_event(kind="exams.exam.announced", subject=exam, actor=acting_user, payload={
        "channel": channel, "title": title, "org_unit": org_unit.pk, "case": case.pk if case else None,
        "posts": rows, "weights": weights, "interview_ratio": interview_ratio, "inspection_ratio": inspection_ratio,
        "tie_order": exam.tie_order, "requirements": exam.requirements, "rule_source": exam.rule_source,
        "registration_closes": registration_closes.isoformat()})
    return exam


def _counts(exam: Exam) -> dict:
    regs = exam.registrations
    return {"posts": exam.posts.count(),
            "pending_appeals": regs.filter(appeal=AppealStatus.PENDING).count(),
            "eligible": regs.filter(status=RegistrationStatus.ELIGIBLE).count()}


def _move(exam: Exam, to: str, counts: dict | None = None) -> str:
    blockers = workflow.move_blockers(exam, to, counts=counts if counts is not None else _counts(exam))
    if blockers:
        raise Conflict("exam.blocked", blockers[0], {"blockers": blockers})
    old = exam.status
    exam.status = to
    return old


@transaction.atomic
def publish_exam(*, acting_user, exam: Exam) -> Exam:
    """The announcement goes on the portal; registration opens."""
    exam = _locked(exam)
    _move(exam, ExamStatus.REGISTRATION)
    exam.published_at = timezone.now()
    exam.save(update_fields=["status", "published_at"])
    record_event(kind="exams.exam.published", subject=exam, actor=acting_user, public=True, payload={
        "title": exam.title, "channel": exam.channel, "qualifications": exam.qualifications,
        "posts": [{"code": p.code, "title": p.title, "count": p.count, "veterans_only": p.veterans_only}
                  for p in exam.posts.all()],
        "weights": exam.weights, "interview_ratio": exam.interview_ratio, "inspection_ratio": exam.inspection_ratio,
        "tie_order": exam.tie_order, "registration_closes": exam.registration_closes.isoformat()})
    return exam


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


# ---- the written exam ---------------------------------------------------------------------------

@transaction.atomic
def issue_admission_tickets(*, acting_user, exam: Exam, room_size: int = ROOM_SIZE) -> Exam:
    """Admission tickets for everyone eligible: seats in a random order (drawn here, recorded
    in the event), ``room_size`` to a room; the ticket number is year + exam + room + seat."""
    exam = _locked(exam)
    _move(exam, ExamStatus.WRITTEN)
    exam.save(update_fields=["status"])
    regs = list(exam.registrations.filter(status=RegistrationStatus.ELIGIBLE).order_by("pk"))
    seed = secrets.token_hex(8)
    random.Random(seed).shuffle(regs)
    year = (exam.written_on or timezone.localdate()).year
    for i, reg in enumerate(regs):
        reg.room, reg.seat = i // room_size + 1, i % room_size + 1
        reg.ticket_number = f"{year}{exam.pk:04d}{reg.room:03d}{reg.seat:02d}"
    Registration.objects.bulk_update(regs, ["room", "seat", "ticket_number"], batch_size=500)
    record_event(kind="exams.tickets.issued", subject=exam, actor=acting_user, payload={
        "seed": seed, "room_size": room_size, "tickets": {r.ticket_number: r.pk for r in regs}})
    return exam


def _score_field(component: str) -> str:
    return f"{component}_score"


def scorable(exam: Exam, component: str):
    """The registrations that take ``component``: the eligible for the written exam, those
    invited for the interview."""
    qs = exam.registrations.filter(status=RegistrationStatus.ELIGIBLE).exclude(ticket_number="")
    if component == "interview":
        qs = qs.exclude(outcome=Outcome.NOT_INVITED)
    return qs


def scorable_held(exam: Exam, component: str, *, lock: bool = False) -> list[tuple[int, str, str, int | None]]:
    """(id, ticket, name, score held) of everyone taking ``component``; locked with ``lock``
    (inside a transaction that has locked the exam first)."""
    qs = scorable(exam, component)
    if lock:
        qs = qs.select_for_update()
    # the ORM's query, unordered (the model's order is a sort of every row), fetched in one go
    # (a score sheet's 100,000 rows: half the time of iterating the queryset; the four columns
    # need no converter)
    sql, params = qs.order_by().values_list("pk", "ticket_number", "name", _score_field(component)).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


UPDATE_BATCH = 8000  # rows a statement: 16,000 parameters, inside SQLite's (32,766 since 3.32) and PostgreSQL's limits


def _write_scores(field: str, changed: list[tuple[int, int]]) -> None:
    """``UPDATE … FROM (VALUES …)`` in batches (SQLite ≥ 3.33 and PostgreSQL both name the
    columns column1, column2): a statement per 8,000 rows instead of one per row. On SQLite
    the driver's own cursor with its ``?`` placeholders (Django's wrapper rewrites every
    ``%s`` of a statement with a regular expression first)."""
    ops = connection.ops
    table, column = ops.quote_name(Registration._meta.db_table), ops.quote_name(field)
    sqlite = connection.vendor == "sqlite"
    mark = "?" if sqlite else "%s"
    connection.ensure_connection()
    with (contextlib.closing(connection.connection.cursor()) if sqlite else connection.cursor()) as cursor:
        for start in range(0, len(changed), UPDATE_BATCH):
            batch = changed[start:start + UPDATE_BATCH]
            values = ", ".join([f"(CAST({mark} AS INTEGER), CAST({mark} AS INTEGER))"] * len(batch))
            cursor.execute(f"UPDATE {table} SET {column} = v.column2 FROM (VALUES {values}) AS v "
                           f"WHERE {table}.id = v.column1", [x for pair in batch for x in pair])


@transaction.atomic
def record_scores(*, acting_user, exam: Exam, component: str, scores: dict[int, int], source: dict | None = None,
                  event: bool = True, held: dict[int, tuple[str, int | None]] | None = None) -> int:
    """Scores of ``component`` by registration id (hundredths or a mark), entered on the page or
    from an imported sheet (``source`` says which file). A score already recorded is not
    overwritten here: that is a correction, with its reason. Returns how many were written.
    ``held``: id → (ticket, score held) of everyone taking the component, when the caller has
    just read them locked in this transaction (the score import, for its own check)."""
    exam = _locked(exam)
    blockers = workflow.score_blockers(exam, component)
    if blockers:
        raise Conflict("exam.scores_closed", blockers[0])
    field = _score_field(component)
    if held is None:  # (ticket, score held) of everyone taking the component, locked
        held = {pk: (t, old) for pk, t, _name, old in scorable_held(exam, component, lock=True)}
    unknown = [k for k in scores if k not in held]
    if unknown:
        raise DomainError("exam.scores_unknown", _("有 %(n)d 条成绩不属于本次考试的%(c)s人员。") % {
            "n": len(unknown), "c": _("面试") if component == "interview" else _("笔试")})
    changed, already = [], []
    marks = ranking.MARKS
    top = ranking.MAX_SCORE
    for pk, value in scores.items():
        if not (value in marks or 0 <= value <= top):
            raise DomainError("exam.score_range", _("成绩超出范围。"))
        ticket, old = held[pk]
        if old is None:
            changed.append((pk, value))
        elif old != value:
            already.append(ticket)
    if already:
        raise Conflict("exam.score_exists", _("准考证号 %(t)s 的成绩已经录入；如需修改，请使用“更正成绩”并写明原因。") % {
            "t": "、".join(already[:5])}, {"tickets": already})
    if changed:
        _write_scores(field, changed)
    if event and changed:
        show = ranking.show
        payload = {"component": component, "source": source or {"entered": "page"}}
        if source and "sha256" in source:
            # a sheet: the file's SHA-256 names the rows; the scores written are a digest and a
            # count (100,000 scores listed would be megabytes an event), which anyone can check
            # against the file or the registrations (scores_digest)
            payload["written"] = len(changed)
            payload["scores_sha256"] = scores_digest((held[pk][0], value) for pk, value in changed)
        else:
            payload["scores"] = {held[pk][0]: show(value) for pk, value in changed}
        record_event(kind="exams.scores.recorded", subject=exam, actor=acting_user, payload=payload)
    return len(changed)


def scores_digest(scores) -> str:
    """SHA-256 of (ticket, score) pairs as the lines ``ticket<TAB>score<LF>`` (the score as
    ``ranking.show`` writes it: "85.50", "absent"), sorted by ticket: what an imported sheet's
    ledger event records of the scores it wrote."""
    pairs = list(scores)
    tails = {value: f"\t{ranking.show(value)}\n" for value in {value for _ticket, value in pairs}}  # (scores repeat)
    lines = [ticket + tails[value] for ticket, value in pairs]
    lines.sort()
    return hashlib.sha256("".join(lines).encode()).hexdigest()


@transaction.atomic
def correct_score(*, acting_user, registration: Registration, component: str, value: int, reason: str) -> Registration:
    """A recorded score changed, with the reason: the old and new values go to the ledger."""
    reg = Registration.objects.select_for_update().select_related("exam").get(pk=registration.pk)
    blockers = workflow.correction_blockers(reg.exam)
    if blockers:
        raise Conflict("exam.correction_closed", blockers[0])
    if component not in COMPONENTS:
        raise DomainError("exam.component", _("未知的成绩类别。"))
    if reg.exam.status == ExamStatus.INTERVIEW and component == "written":
        raise Conflict("exam.correction_closed", _("面试人选已按笔试成绩确定，笔试成绩不能再更正。"))
    if getattr(reg, _score_field(component)) is None:
        raise DomainError("exam.correction_none", _("这项成绩还没有录入，请直接录入。"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("exam.correction_reason", _("请写明更正成绩的原因（如复核结果、登分错误）。"))
    if not (value in ranking.MARKS or 0 <= value <= ranking.MAX_SCORE):
        raise DomainError("exam.score_range", _("成绩超出范围。"))
    field = _score_field(component)
    old = getattr(reg, field)
    if old == value:
        raise DomainError("exam.correction_same", _("更正后的成绩与原成绩相同。"))
    setattr(reg, field, value)
    reg.save(update_fields=[field])
    record_event(kind="exams.score.corrected", subject=reg, actor=acting_user, payload={
        "exam": reg.exam_id, "ticket": reg.ticket_number, "component": component,
        "from": ranking.show(old), "to": ranking.show(value), "reason": reason})
    if reg.exam.status == ExamStatus.RANKED:
        # the ranking is made again from the corrected scores, in the same transaction
        _rank_final(acting_user, _locked(reg.exam), again=True)
    return reg


# ---- rankings -----------------------------------------------------------------------------------

def _tie_columns(exam: Exam) -> list[int]:
    return [COMPONENTS.index(c) for c in exam.tie_order if c in COMPONENTS]


def _note(row: ranking.Ranked, exam: Exam) -> str:
    """The row's note as a code (ranking.note); queries.rank_note_label gives its words."""
    return ranking.note(row, [c for c in exam.tie_order if c in COMPONENTS])



def _cut_json(c: ranking.Cut, post: ExamPost, ratio: int) -> dict:
    return {"post": post.code, "posts": post.count, "ratio": ratio, "places": c.places, "available": c.available,
            "fewer": c.fewer, "tied_at_line": c.tied_at_line, "selected": len(c.selected)}


@transaction.atomic
def rank_written(*, acting_user, exam: Exam) -> Exam:
    """The written ranking of each post, and the interview list at the ratio: ties on the
    line go on together; when fewer than the ratio remain, all who sat go on."""
    exam = _locked(exam)
    missing = scorable(exam, "written").filter(written_score__isnull=True).count()
    _move(exam, ExamStatus.INTERVIEW, {"missing": missing})
    exam.save(update_fields=["status"])
    cuts, changed = [], []
    for post in exam.posts.all():
        regs = list(scorable(exam, "written").filter(exam_post=post).order_by("pk"))
        rows = ranking.rank([[r.written_score for r in regs]], [ranking.parse_weight(1)])
        c = ranking.cut(rows, post.count, exam.interview_ratio)
        chosen = set(c.selected)
        for row in rows:
            reg = regs[row.index]
            reg.written_rank = row.rank
            reg.outcome = Outcome.NONE if row.index in chosen else Outcome.NOT_INVITED
            changed.append(reg)
        cuts.append(_cut_json(c, post, exam.interview_ratio))
    Registration.objects.bulk_update(changed, ["written_rank", "outcome"], batch_size=1000)
    exam.interview_cut = cuts
    exam.save(update_fields=["interview_cut"])
    record_event(kind="exams.written.ranked", subject=exam, actor=acting_user, payload={
        "cuts": cuts, "invited": [r.ticket_number for r in changed if r.outcome != Outcome.NOT_INVITED]})
    return exam


@transaction.atomic
def rank_final(*, acting_user, exam: Exam) -> Exam:
    """Weighted totals, the ranking of each post in the declared tie order, and the
    candidates for inspection at the ratio."""
    exam = _locked(exam)
    missing = scorable(exam, "interview").filter(interview_score__isnull=True).count()
    _move(exam, ExamStatus.RANKED, {"missing": missing})
    exam.save(update_fields=["status"])
    return _rank_final(acting_user, exam)


def _rank_final(acting_user, exam: Exam, *, again: bool = False) -> Exam:
    weights = [ranking.parse_weight(exam.weights[c]) for c in COMPONENTS]
    cuts, changed, listing = [], [], []
    for post in exam.posts.all():
        regs = list(scorable(exam, "interview").filter(exam_post=post).order_by("pk"))
        rows = ranking.rank([[r.written_score for r in regs], [r.interview_score for r in regs]], weights,
                            _tie_columns(exam))
        c = ranking.cut(rows, post.count, exam.inspection_ratio)
        chosen = set(c.selected)
        for row in rows:
            reg = regs[row.index]
            reg.total_score, reg.final_rank, reg.rank_note = row.total, row.rank, _note(row, exam)
            reg.outcome = Outcome.FOR_INSPECTION if row.index in chosen else Outcome.NOT_SELECTED
            changed.append(reg)
            listing.append([reg.ticket_number, ranking.show(row.total), row.rank, reg.outcome])
        cuts.append(_cut_json(c, post, exam.inspection_ratio))
    Registration.objects.bulk_update(changed, ["total_score", "final_rank", "rank_note", "outcome"], batch_size=1000)
    exam.inspection_cut = cuts
    exam.save(update_fields=["inspection_cut"])
    record_event(kind="exams.final.ranked", subject=exam, actor=acting_user, payload={
        "again": again, "weights": exam.weights, "tie_order": exam.tie_order, "cuts": cuts, "ranking": listing})
    return exam


@transaction.atomic
def publish_results(*, acting_user, exam: Exam) -> Exam:
    """Scores and rankings on the portal (ID numbers masked) as one public ledger event; when
    the exam is linked to a case, its candidates for inspection who are cadres enter the case
    through the exam's channel."""
    exam = _locked(exam)
    _move(exam, ExamStatus.PUBLISHED, {})
    exam.results_published_at = timezone.now()
    rows = list(exam.registrations.filter(status=RegistrationStatus.ELIGIBLE).exclude(ticket_number="")
                .select_related("exam_post").order_by("exam_post__code", "final_rank", "written_rank", "pk"))
    listing = [{"post": r.exam_post.code, "name": r.name, "id_number": idnumber.mask(r.id_number),
                "ticket": r.ticket_number, "written": ranking.show(r.written_score),
                "interview": ranking.show(r.interview_score), "total": ranking.show(r.total_score),
                "rank": r.final_rank, "note": r.rank_note, "outcome": r.outcome or Outcome.NOT_INVITED}
               for r in rows]
    event = record_event(kind="exams.results.published", subject=exam, actor=acting_user, public=True, payload={
        "title": exam.title, "weights": exam.weights, "tie_order": exam.tie_order,
        "interview_cut": exam.interview_cut, "inspection_cut": exam.inspection_cut, "results": listing})
    exam.results_ledger_seq, exam.results_leaf_hash = event.seq, bytes(event.leaf_hash).hex()
    exam.save(update_fields=["status", "results_published_at", "results_ledger_seq", "results_leaf_hash"])
    if exam.case_id:
        send_to_case(acting_user=acting_user, exam=exam)
    return exam


@transaction.atomic
def send_to_case(*, acting_user, exam: Exam) -> list:
    """The candidates for inspection who are cadres enter the linked case (cases' own
    ``add_candidate``, so its checks and eligibility run), each with the exam as evidence."""
    from gongxin.cases import actions as case_actions

    exam = _locked(exam)
    if exam.case is None:
        raise DomainError("exam.no_case", _("本次考试没有关联选任案件。"))
    if exam.status not in (ExamStatus.RANKED, ExamStatus.PUBLISHED):
        raise Conflict("exam.not_ranked", _("综合成绩排名确定后，考察对象才能进入案件。"))
    added = []
    for reg in (exam.registrations.filter(outcome=Outcome.FOR_INSPECTION, cadre__isnull=False, candidate__isnull=True)
                .select_related("cadre", "exam_post__post").order_by("exam_post__code", "final_rank", "pk")):
        post = reg.exam_post.post if reg.exam_post.post and exam.case.case_posts.filter(
            post=reg.exam_post.post).exists() else None
        cand = case_actions.add_candidate(
            acting_user=acting_user, case=exam.case, cadre=reg.cadre, channel=exam.channel, post=post,
            evidence={"exam": exam.pk, "title": exam.title, "ticket": reg.ticket_number,
                      "total": ranking.show(reg.total_score), "rank": reg.final_rank, "post": reg.exam_post.code})
        reg.candidate = cand
        reg.save(update_fields=["candidate"])
        added.append(cand)
    return added
