"""Every write on the reserve pool and training classes: atomic, keyword-only, ``acting_user``
required, one ledger event per state change in the same transaction (STYLE.md)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import Conflict, DomainError, full_clean_or_raise
from gongxin.ledger.recording import record_event

from . import workflow
from .checks import entry_results, training_params
from .composition import share
from .models import (
    Assignment,
    Attendance,
    ChangeKind,
    ClassGrade,
    ClassSession,
    CompositionTarget,
    EntrySource,
    ExitReason,
    Measure,
    ReserveCadre,
    ReserveChange,
    ReserveStatus,
    Tier,
    Trainee,
    TraineeStatus,
    TrainingClass,
)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason.required", _("请填写原因。"))
    return reason


def _lock(reserve: ReserveCadre) -> ReserveCadre:
    return ReserveCadre.objects.select_for_update(of=("self",)).select_related("cadre").get(pk=reserve.pk)


def _tier(tier) -> int:
    try:
        tier = int(tier)
    except (TypeError, ValueError):
        tier = 0
    if tier not in Tier.values:
        raise DomainError("reserve.bad_tier", _("层次只能是第一、第二或第三层次。"))
    return tier


# ---- the pool ---------------------------------------------------------------------------------

@transaction.atomic
def enter_reserve(*, acting_user, cadre, tier, target_rank, source: str, entered_on: dt.date | None = None,
                  profile: str = "", source_note: str = "", source_meeting=None, ready_soon: bool = False) -> ReserveCadre:
    """reserve_entry: R24's check runs on the cadre (age at entry, education, the R8 bars, problem
    files, sanctions); a failure refuses with every reason."""
    entered_on = entered_on or timezone.localdate()
    tier = _tier(tier)
    if source not in EntrySource.values:
        raise DomainError("reserve.bad_source", _("请选择推荐来源：民主推荐会议、组织推荐或实绩备案。"))
    if source == EntrySource.MEETING and source_meeting is None:
        raise DomainError("reserve.meeting_required", _("推荐来源为民主推荐会议时，请选择推荐会议。"))
    if len(profile or "") > 500:
        raise DomainError("reserve.profile_too_long", _("简要情况不能超过 500 字（现为 %(n)d 字）。") % {"n": len(profile)},
                          {"fields": {"profile": [_("不能超过 500 字。")]}})
    if cadre.status != "active":
        raise DomainError("reserve.cadre_not_active", _("%(name)s 不是在职干部，不能入库。") % {"name": cadre.name})
    if ReserveCadre.objects.filter(cadre=cadre, status=ReserveStatus.ACTIVE).exists():
        raise Conflict("reserve.already_in", _("%(name)s 已在后备干部库中。") % {"name": cadre.name})
    results = entry_results(cadre, on=entered_on)
    failed = [r.reason for r in results if r.outcome == "fail"]
    if failed:
        raise DomainError("reserve.entry_refused", _("%(name)s 不符合入库条件：%(why)s") % {
            "name": cadre.name, "why": "；".join(failed)}, {"blockers": failed})
    reserve = ReserveCadre(cadre=cadre, tier=tier, target_rank=target_rank, source=source, source_meeting=source_meeting,
                           source_note=(source_note or "").strip(), entered_on=entered_on, profile=(profile or "").strip(),
                           ready_soon=bool(ready_soon), entry_check=[r.as_dict() for r in results],
                           created_by=acting_user if getattr(acting_user, "pk", None) else None)
    full_clean_or_raise(reserve)
    try:
        with transaction.atomic():
            reserve.save()
    except IntegrityError as exc:
        raise Conflict("reserve.already_in", _("%(name)s 已在后备干部库中。") % {"name": cadre.name}) from exc
    ReserveChange.objects.create(reserve=reserve, kind=ChangeKind.ENTRY, to_tier=tier, on=entered_on,
                                 reason=reserve.get_source_display(), by=reserve.created_by)
    record_event(kind="reserve.reserve_cadre.entered", subject=reserve, actor=acting_user, payload={
        "cadre": cadre.pk, "name": cadre.name, "tier": tier, "target_rank": target_rank.code, "source": source,
        "source_meeting": source_meeting.pk if source_meeting else None, "source_note": reserve.source_note,
        "entered_on": entered_on, "ready_soon": reserve.ready_soon,
        "checks": [{"item": r.item, "outcome": r.outcome} for r in results]})
    return reserve


@transaction.atomic
def change_tier(*, acting_user, reserve: ReserveCadre, tier, reason: str, on: dt.date | None = None) -> ReserveCadre:
    """tier_change: up or down one or more tiers, with the reason."""
    reserve = _lock(reserve)
    tier = _tier(tier)
    if not reserve.is_active:
        raise Conflict("reserve.not_active", _("%(name)s 已出库，不能调整层次。") % {"name": reserve.cadre.name})
    if tier == reserve.tier:
        raise DomainError("reserve.same_tier", _("%(name)s 已在%(tier)s。") % {
            "name": reserve.cadre.name, "tier": reserve.get_tier_display()})
    reason, on = _reason(reason), on or timezone.localdate()
    old = reserve.tier
    reserve.tier = tier
    reserve.save(update_fields=["tier"])
    ReserveChange.objects.create(reserve=reserve, kind=ChangeKind.TIER_CHANGE, from_tier=old, to_tier=tier, on=on,
                                 reason=reason, by=acting_user if getattr(acting_user, "pk", None) else None)
    record_event(kind="reserve.reserve_cadre.tier_changed", subject=reserve, actor=acting_user,
                 payload={"cadre": reserve.cadre_id, "from": old, "to": tier, "on": on, "reason": reason})
    return reserve


@transaction.atomic
def set_ready_soon(*, acting_user, reserve: ReserveCadre, ready_soon: bool) -> ReserveCadre:
    reserve = _lock(reserve)
    if not reserve.is_active:
        raise Conflict("reserve.not_active", _("%(name)s 已出库。") % {"name": reserve.cadre.name})
    if reserve.ready_soon == bool(ready_soon):
        return reserve
    reserve.ready_soon = bool(ready_soon)
    reserve.save(update_fields=["ready_soon"])
    record_event(kind="reserve.reserve_cadre.readiness_set", subject=reserve, actor=acting_user,
                 payload={"cadre": reserve.cadre_id, "ready_soon": reserve.ready_soon})
    return reserve


@transaction.atomic
def exit_reserve(*, acting_user, reserve: ReserveCadre, reason: str, note: str = "",
                 on: dt.date | None = None) -> ReserveCadre:
    """reserve_exit: promoted, over age, problem found, resigned, or by decision."""
    reserve = _lock(reserve)
    if reason not in ExitReason.values:
        raise DomainError("reserve.bad_exit_reason", _("请选择出库原因：提拔任职、超过年龄、发现问题、辞职或调离、组织决定。"))
    if not reserve.is_active:
        raise Conflict("reserve.not_active", _("%(name)s 已于 %(date)s 出库。") % {
            "name": reserve.cadre.name, "date": reserve.exited_on})
    note = (note or "").strip()
    if reason != ExitReason.PROMOTED and not note:
        raise DomainError("reserve.exit_note_required", _("请写明出库的具体情况。"), {"fields": {"note": [_("请填写说明。")]}})
    on = on or timezone.localdate()
    if on < reserve.entered_on:
        raise DomainError("reserve.exit_before_entry", _("出库日期不能早于入库日期 %(d)s。") % {"d": reserve.entered_on})
    reserve.status, reserve.exited_on, reserve.exit_reason, reserve.exit_note = ReserveStatus.EXITED, on, reason, note
    reserve.save(update_fields=["status", "exited_on", "exit_reason", "exit_note"])
    ReserveChange.objects.create(reserve=reserve, kind=ChangeKind.EXIT, from_tier=reserve.tier, on=on,
                                 reason=f"{reserve.get_exit_reason_display()}{'：' + note if note else ''}",
                                 by=acting_user if getattr(acting_user, "pk", None) else None)
    record_event(kind="reserve.reserve_cadre.exited", subject=reserve, actor=acting_user,
                 payload={"cadre": reserve.cadre_id, "reason": reason, "note": note, "on": on, "tier": reserve.tier})
    return reserve


def exit_on_appointment(candidate, acting_user) -> None:
    """Hook (cases.guards.register_on_candidate_appointed): an appointed reserve cadre leaves the
    pool, promoted, citing the case."""
    reserve = ReserveCadre.objects.filter(cadre_id=candidate.cadre_id, status=ReserveStatus.ACTIVE).first()
    if reserve is None:
        return
    holding_start = candidate.cadre.post_holdings.filter(end__isnull=True).order_by("-start").values_list(
        "start", flat=True).first()
    exit_reserve(acting_user=acting_user, reserve=reserve, reason=ExitReason.PROMOTED,
                 note=_("经选任案件“%(case)s”任职") % {"case": candidate.case.title},
                 on=max(holding_start or timezone.localdate(), reserve.entered_on))


@transaction.atomic
def enter_from_meeting(*, acting_user, meeting, tier, target_rank,
                       entered_on: dt.date | None = None) -> tuple[list[ReserveCadre], list[str]]:
    """Recommendation into the pool: a published recommendation meeting with no case; each cadre
    its result nominates enters the pool, the votes cited. Returns (entered, refusals): those
    who fail R24 are reported with the reason, not entered; those already entered are skipped."""
    from gongxin.meetings.models import MeetingStatus
    from gongxin.people.models import Cadre

    if meeting.case_id:
        raise DomainError("reserve.meeting_has_case", _("该推荐会议属于选任案件，其结果进入案件的提名，不进入后备干部库。"))
    if meeting.status != MeetingStatus.PUBLISHED:
        raise Conflict("reserve.meeting_not_published", _("推荐会议“%(t)s”尚未公布结果。") % {"t": meeting.title})
    result = meeting.result
    entered, refused = [], []
    for entry in result.tally.get("posts", []):
        for cand in (entry.get("slate") or {}).get("nominees", []):
            cadre = Cadre.objects.get(pk=int(cand))
            if ReserveCadre.objects.filter(cadre=cadre, source_meeting=meeting).exists():
                continue
            note = _("%(t)s：得 %(v)s 票（有效票 %(n)s）") % {"t": meeting.title, "v": entry["votes"][cand],
                                                        "n": entry["valid"]}
            try:
                with transaction.atomic():
                    entered.append(enter_reserve(acting_user=acting_user, cadre=cadre, tier=tier, target_rank=target_rank,
                                                 source=EntrySource.MEETING, source_meeting=meeting, source_note=note,
                                                 entered_on=entered_on or meeting.meeting_date))
            except DomainError as exc:
                refused.append(exc.message)
    return entered, refused


# ---- composition targets ---------------------------------------------------------------------------

@transaction.atomic
def set_composition_target(*, acting_user, measure: str, min_share: str, tier=None, unit_kind: str = "") -> CompositionTarget:
    if measure not in Measure.values:
        raise DomainError("reserve.bad_measure", _("未知的结构指标。"))
    tier = _tier(tier) if tier not in (None, "") else None
    text = (min_share or "").strip()
    try:
        value = share(text)
    except (ValueError, ZeroDivisionError):
        value = None
    if value is None or not 0 <= value <= 1:
        raise DomainError("reserve.bad_share", _("比例请写成 20% 或 1/3 这样的形式，且在 0 到 100% 之间。"),
                          {"fields": {"min_share": [_("格式如 20% 或 1/3。")]}})
    target = CompositionTarget.objects.select_for_update().filter(tier=tier, unit_kind=unit_kind, measure=measure).first()
    old = target.min_share if target else None
    if target is None:
        target = CompositionTarget(tier=tier, unit_kind=unit_kind, measure=measure)
    target.min_share = text
    target.save()
    record_event(kind="reserve.composition_target.set", subject=target, actor=acting_user,
                 payload={"measure": measure, "tier": tier, "unit_kind": unit_kind, "min_share": text, "old": old})
    return target


# ---- training classes -----------------------------------------------------------------------------

def _lock_class(training_class: TrainingClass) -> TrainingClass:
    return TrainingClass.objects.select_for_update().get(pk=training_class.pk)


def _open_class(training_class: TrainingClass) -> TrainingClass:
    training_class = _lock_class(training_class)
    if training_class.is_graduated:
        raise Conflict("training_class.graduated", _("“%(n)s”已于 %(d)s 结业，不能再修改。") % {
            "n": training_class.name, "d": training_class.graduated_on})
    return training_class


@transaction.atomic
def create_training_class(*, acting_user, name: str, starts_on: dt.date, ends_on: dt.date,
                          curriculum: str = "") -> TrainingClass:
    name = (name or "").strip()
    if not name:
        raise DomainError("training_class.name_required", _("请填写班次名称。"))
    if ends_on < starts_on:
        raise DomainError("training_class.bad_dates", _("结业日期不能早于开班日期。"),
                          {"fields": {"ends_on": [_("结业日期不能早于开班日期。")]}})
    if TrainingClass.objects.filter(name=name).exists():
        raise Conflict("training_class.duplicate", _("已有名为“%(n)s”的班次。") % {"n": name})
    tc = TrainingClass(name=name, starts_on=starts_on, ends_on=ends_on, curriculum=(curriculum or "").strip(),
                       created_by=acting_user if getattr(acting_user, "pk", None) else None)
    full_clean_or_raise(tc)
    tc.save()
    record_event(kind="reserve.training_class.created", subject=tc, actor=acting_user,
                 payload={"name": name, "starts_on": starts_on, "ends_on": ends_on, "curriculum": tc.curriculum})
    return tc


@transaction.atomic
def add_session(*, acting_user, training_class: TrainingClass, held_on: dt.date, topic: str) -> ClassSession:
    training_class = _open_class(training_class)
    topic = (topic or "").strip()
    if not topic:
        raise DomainError("session.topic_required", _("请填写课程名称。"))
    if not training_class.starts_on <= held_on <= training_class.ends_on:
        raise DomainError("session.out_of_class", _("课程日期须在开班与结业日期之间（%(a)s 至 %(b)s）。") % {
            "a": training_class.starts_on, "b": training_class.ends_on})
    session = ClassSession.objects.create(training_class=training_class, held_on=held_on, topic=topic)
    record_event(kind="reserve.class_session.added", subject=session, actor=acting_user,
                 payload={"class": training_class.pk, "held_on": held_on, "topic": topic})
    return session


@transaction.atomic
def enrol_trainee(*, acting_user, training_class: TrainingClass, cadre, decision: str = "",
                  enrolled_on: dt.date | None = None) -> Trainee:
    """Enrolment: tier-1 reserve cadres; anyone else only with the organisation's decision cited."""
    training_class = _open_class(training_class)
    reserve = ReserveCadre.objects.filter(cadre=cadre, status=ReserveStatus.ACTIVE).first()
    decision = (decision or "").strip()
    blockers = workflow.enrolment_blockers(reserve_tier=reserve.tier if reserve else None, decision=decision,
                                           name=cadre.name)
    if blockers:
        raise DomainError("trainee.not_allowed", blockers[0], {"blockers": blockers})
    if Trainee.objects.filter(training_class=training_class, cadre=cadre).exists():
        raise Conflict("trainee.duplicate", _("%(name)s 已是本班学员。") % {"name": cadre.name})
    trainee = Trainee(training_class=training_class, cadre=cadre, reserve=reserve, decision=decision,
                      enrolled_on=enrolled_on or training_class.starts_on)
    try:
        with transaction.atomic():
            trainee.save()
    except IntegrityError as exc:
        raise Conflict("trainee.duplicate", _("%(name)s 已是本班学员。") % {"name": cadre.name}) from exc
    record_event(kind="reserve.trainee.enrolled", subject=trainee, actor=acting_user,
                 payload={"class": training_class.pk, "cadre": cadre.pk, "name": cadre.name,
                          "tier": reserve.tier if reserve else None, "decision": decision})
    return trainee


@transaction.atomic
def record_attendance(*, acting_user, session: ClassSession, present: list[int], notes: dict | None = None) -> int:
    """Attendance for one session: ``present`` are trainee ids; every other enrolled trainee is
    recorded absent. Re-recording replaces the sheet (one event each time)."""
    _open_class(session.training_class)
    notes = notes or {}
    trainees = list(session.training_class.trainees.filter(status=TraineeStatus.ENROLLED))
    ids = {t.pk for t in trainees}
    unknown = set(present) - ids
    if unknown:
        raise DomainError("attendance.unknown_trainee", _("出勤名单中有不是本班在学学员的人。"))
    present_set = set(present)
    for t in trainees:
        Attendance.objects.update_or_create(session=session, trainee=t, defaults={
            "present": t.pk in present_set, "note": (notes.get(t.pk) or "")[:200]})
    record_event(kind="reserve.attendance.recorded", subject=session, actor=acting_user,
                 payload={"class": session.training_class_id, "present": sorted(present_set),
                          "absent": sorted(ids - present_set)})
    return len(present_set)


@transaction.atomic
def add_assignment(*, acting_user, trainee: Trainee, title: str, submitted_on: dt.date, mark: str,
                   comment: str = "") -> Assignment:
    _open_class(trainee.training_class)
    if mark not in ClassGrade.values:
        raise DomainError("assignment.bad_mark", _("请选择评定等次：优秀、良好、合格或不合格。"))
    if not (title or "").strip():
        raise DomainError("assignment.title_required", _("请填写作业题目。"))
    a = Assignment.objects.create(trainee=trainee, title=title.strip(), submitted_on=submitted_on, mark=mark,
                                  comment=(comment or "").strip()[:500])
    record_event(kind="reserve.assignment.added", subject=trainee, actor=acting_user,
                 payload={"assignment": a.pk, "title": a.title, "mark": mark, "submitted_on": submitted_on})
    return a


@transaction.atomic
def evaluate_trainee(*, acting_user, trainee: Trainee, grade: str, comment: str) -> Trainee:
    """The trainee's evaluation at the end of the class: grade and comment."""
    _open_class(trainee.training_class)
    trainee = Trainee.objects.select_for_update().select_related("cadre").get(pk=trainee.pk)
    if grade not in ClassGrade.values:
        raise DomainError("trainee.bad_grade", _("请选择鉴定等次：优秀、良好、合格或不合格。"))
    comment = (comment or "").strip()
    if not comment:
        raise DomainError("trainee.comment_required", _("请填写鉴定评语。"), {"fields": {"comment": [_("请填写评语。")]}})
    if trainee.status != TraineeStatus.ENROLLED:
        raise Conflict("trainee.not_enrolled", _("%(name)s 当前为“%(s)s”，不能鉴定。") % {
            "name": trainee.cadre.name, "s": trainee.get_status_display()})
    trainee.grade, trainee.comment = grade, comment
    trainee.save(update_fields=["grade", "comment"])
    record_event(kind="reserve.trainee.evaluated", subject=trainee, actor=acting_user,
                 payload={"class": trainee.training_class_id, "cadre": trainee.cadre_id, "grade": grade,
                          "comment": comment})
    return trainee


@transaction.atomic
def withdraw_trainee(*, acting_user, trainee: Trainee, reason: str) -> Trainee:
    _open_class(trainee.training_class)
    trainee = Trainee.objects.select_for_update().get(pk=trainee.pk)
    if trainee.status != TraineeStatus.ENROLLED:
        raise Conflict("trainee.not_enrolled", _("该学员不在学。"))
    trainee.status, trainee.status_note = TraineeStatus.WITHDRAWN, _reason(reason)
    trainee.save(update_fields=["status", "status_note"])
    record_event(kind="reserve.trainee.withdrawn", subject=trainee, actor=acting_user,
                 payload={"class": trainee.training_class_id, "cadre": trainee.cadre_id, "reason": trainee.status_note})
    return trainee


@transaction.atomic
def graduate_class(*, acting_user, training_class: TrainingClass, on: dt.date | None = None) -> TrainingClass:
    """Graduation: every enrolled trainee evaluated; those with a passing grade and the attendance
    R24/training asks for graduate, the others do not (the reason is kept)."""
    training_class = _open_class(training_class)
    on = on or timezone.localdate()
    trainees = list(training_class.trainees.filter(status=TraineeStatus.ENROLLED).select_related("cadre"))
    sessions = training_class.sessions.count()
    found = workflow.graduation_blockers(
        on=on, starts_on=training_class.starts_on, trainees=len(trainees),
        unevaluated=[t.cadre.name for t in trainees if not t.grade])
    if found:
        raise DomainError("training_class.not_ready", found[0], {"blockers": found})
    params = training_params(on=on)
    present = {}
    for tid, ok in Attendance.objects.filter(session__training_class=training_class).values_list("trainee_id", "present"):
        present[tid] = present.get(tid, 0) + (1 if ok else 0)
    graduated, not_graduated = [], []
    for t in trainees:
        outcome, note = workflow.graduation_outcome(grade=t.grade, attended=present.get(t.pk, 0), sessions=sessions,
                                                    min_attendance=share(params.get("min_attendance", "0")))
        t.status, t.status_note = outcome, note
        t.graduated_on = on if outcome == TraineeStatus.GRADUATED else None
        t.save(update_fields=["status", "status_note", "graduated_on"])
        (graduated if outcome == TraineeStatus.GRADUATED else not_graduated).append(t.cadre_id)
    training_class.graduated_on = on
    training_class.save(update_fields=["graduated_on"])
    record_event(kind="reserve.training_class.graduated", subject=training_class, actor=acting_user,
                 payload={"on": on, "graduated": graduated, "not_graduated": not_graduated, "sessions": sessions})
    return training_class

