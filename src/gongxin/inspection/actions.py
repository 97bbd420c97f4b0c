"""Every write in inspection and joint review. Each action is atomic, keyword-only with the
acting user first, validates, and records one ledger event per state change."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.accounts.roles import Role
from gongxin.cases.models import Candidate
from gongxin.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    full_clean_or_raise,
)
from gongxin.ledger.recording import record_event

from . import integration, messages, workflow
from .models import (
    Certificate,
    CheckRecord,
    ComplaintChannel,
    EffectKind,
    EvaluationVote,
    Exam,
    ExamResult,
    Finding,
    Inspection,
    InspectionKind,
    InspectionStatus,
    InspectionTeam,
    Interview,
    KeyProject,
    PerformanceRecord,
    ProblemEffect,
    ProblemFile,
    ProblemStatus,
    ProjectMember,
    Report,
    ReportFinding,
    ReviewAnswer,
    ReviewDepartment,
    ReviewRequest,
    SourcePlace,
    TeamMember,
    TrackingRecord,
    TrainingAttendance,
    TrainingSession,
)

CERTIFICATE_YEARS = 3
REPORT_SECTIONS = ("morality", "ability", "diligence", "achievement", "integrity", "weaknesses")


def _today() -> dt.date:
    return timezone.localdate()


# ---- certification ----------------------------------------------------------------------

@transaction.atomic
def create_training_session(*, acting_user, title: str, held_on: dt.date, hours: int = 8) -> TrainingSession:
    session = TrainingSession(title=title, held_on=held_on, hours=hours)
    full_clean_or_raise(session)
    session.save()
    record_event(kind="inspection.training_session.created", subject=session, actor=acting_user,
                 payload={"title": title, "held_on": held_on, "hours": hours})
    return session


@transaction.atomic
def record_attendance(*, acting_user, session: TrainingSession, user, attended: bool = True) -> TrainingAttendance:
    row, _created = TrainingAttendance.objects.update_or_create(session=session, user=user,
                                                                defaults={"attended": attended})
    record_event(kind="inspection.training_attendance.recorded", subject=session, actor=acting_user,
                 payload={"user": user.pk, "attended": attended})
    return row


@transaction.atomic
def create_exam(*, acting_user, title: str, held_on: dt.date, pass_mark=60, max_score=100) -> Exam:
    exam = Exam(title=title, held_on=held_on, pass_mark=Decimal(str(pass_mark)), max_score=Decimal(str(max_score)))
    full_clean_or_raise(exam)
    if exam.pass_mark > exam.max_score:
        raise DomainError("exam.pass_mark_too_high", _("合格分数线不能高于满分。"))
    exam.save()
    record_event(kind="inspection.exam.created", subject=exam, actor=acting_user,
                 payload={"title": title, "held_on": held_on, "pass_mark": exam.pass_mark, "max_score": exam.max_score})
    return exam


@transaction.atomic
def record_exam_score(*, acting_user, exam: Exam, user, score) -> ExamResult:
    score = Decimal(str(score))
    if score < 0 or score > exam.max_score:
        raise DomainError("exam.score_out_of_range", _("成绩须在 0 到 %(max)s 分之间。") % {"max": exam.max_score})
    row, _created = ExamResult.objects.update_or_create(exam=exam, user=user, defaults={"score": score})
    record_event(kind="inspection.exam_score.recorded", subject=exam, actor=acting_user,
                 payload={"user": user.pk, "score": score, "passed": row.passed})
    return row


@transaction.atomic
def issue_certificate(*, acting_user, user, issued: dt.date | None = None, years: int = CERTIFICATE_YEARS) -> Certificate:
    """A certificate needs attended training and a passed exam; it is valid for ``years``."""
    issued = issued or _today()
    if user.role != Role.INSPECTOR:
        raise DomainError("certificate.not_inspector", _("只能给考察人员账号发放考察资格证书。"))
    attended = TrainingAttendance.objects.filter(user=user, attended=True, session__held_on__lte=issued).count()
    results = list(ExamResult.objects.filter(user=user, exam__held_on__lte=issued).select_related("exam"))
    passing = [r for r in results if r.passed]
    best = max(results, key=lambda r: r.score - r.exam.pass_mark, default=None)
    problems = workflow.can_certify(attended, best.score if best else None, best.exam.pass_mark if best else None)
    if problems:
        raise DomainError(problems[0][0], messages.text(problems[0]), {"blockers": messages.texts(problems)})
    result = max(passing, key=lambda r: r.exam.held_on)
    try:
        expires = issued.replace(year=issued.year + years) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        expires = issued.replace(year=issued.year + years, day=28)
    cert = Certificate.objects.create(user=user, number=f"tmp-{user.pk}-{timezone.now().timestamp()}",
                                      exam_result=result, issued=issued, expires=expires)
    cert.number = f"KC{issued:%Y}{cert.pk:05d}"
    cert.save(update_fields=["number"])
    record_event(kind="inspection.certificate.issued", subject=cert, actor=acting_user,
                 payload={"user": user.pk, "number": cert.number, "issued": issued, "expires": expires})
    return cert


@transaction.atomic
def revoke_certificate(*, acting_user, certificate: Certificate, reason: str, on: dt.date | None = None) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at:
        raise Conflict("certificate.already_revoked", _("该证书已经注销。"))
    if not reason.strip():
        raise DomainError("certificate.reason_required", _("注销证书须写明原因。"))
    certificate.revoked_at = on or _today()
    certificate.revoked_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    record_event(kind="inspection.certificate.revoked", subject=certificate, actor=acting_user,
                 payload={"reason": reason, "on": certificate.revoked_at})
    return certificate


# ---- key projects and performance records -------------------------------------------

@transaction.atomic
def create_key_project(*, acting_user, name: str, started: dt.date, description: str = "", org_unit=None) -> KeyProject:
    project = KeyProject(name=name, started=started, description=description, org_unit=org_unit)
    full_clean_or_raise(project)
    project.save()
    record_event(kind="inspection.key_project.created", subject=project, actor=acting_user,
                 payload={"name": name, "started": started, "org_unit": getattr(org_unit, "pk", None)})
    return project


@transaction.atomic
def add_project_member(*, acting_user, project: KeyProject, cadre, role: str, joined: dt.date) -> ProjectMember:
    if ProjectMember.objects.filter(project=project, cadre=cadre).exists():
        raise Conflict("key_project.already_member", _("%(cadre)s 已是%(project)s的成员。") % {"cadre": cadre, "project": project})
    member = ProjectMember(project=project, cadre=cadre, role=role, joined=joined)
    full_clean_or_raise(member, exclude=["project", "cadre"])
    member.save()
    record_event(kind="inspection.project_member.added", subject=project, actor=acting_user,
                 payload={"cadre": cadre.pk, "role": role, "joined": joined})
    return member


@transaction.atomic
def remove_project_member(*, acting_user, member: ProjectMember, on: dt.date, reason: str) -> ProjectMember:
    member = ProjectMember.objects.select_for_update().get(pk=member.pk)
    if member.removed_on:
        raise Conflict("key_project.already_removed", _("该人员已于 %(date)s 调离。") % {"date": member.removed_on})
    member.removed_on = on
    member.removed_reason = reason
    member.save(update_fields=["removed_on", "removed_reason"])
    record_event(kind="inspection.project_member.removed", subject=member.project, actor=acting_user,
                 payload={"cadre": member.cadre_id, "on": on, "reason": reason})
    return member


@transaction.atomic
def add_performance_record(*, acting_user, project: KeyProject, cadre, recorded_on: dt.date, title: str,
                           text: str) -> PerformanceRecord:
    if not ProjectMember.objects.filter(project=project, cadre=cadre).exists():
        raise DomainError("performance.not_member", _("%(cadre)s 不是%(project)s的成员，不能为其备案实绩。")
                          % {"cadre": cadre, "project": project})
    record = PerformanceRecord(project=project, cadre=cadre, recorded_on=recorded_on, title=title, text=text,
                               recorded_by=acting_user)
    full_clean_or_raise(record, exclude=["recorded_by"])
    record.save()
    record_event(kind="inspection.performance_record.added", subject=record, actor=acting_user,
                 payload={"project": project.pk, "cadre": cadre.pk, "recorded_on": recorded_on, "title": title})
    return record


def performance_evidence(cadre, records=None) -> dict:
    """The evidence a ``performance`` nomination cites: the records and the projects."""
    qs = PerformanceRecord.objects.filter(cadre=cadre).select_related("project")
    if records is not None:
        qs = qs.filter(pk__in=[getattr(r, "pk", r) for r in records])
    rows = list(qs)
    return {
        "performance_records": [
            {"id": r.pk, "project": r.project.name, "date": r.recorded_on.isoformat(), "title": r.title} for r in rows
        ],
        "key_projects": sorted({r.project.name for r in rows}),
    }


def nominate_from_performance(*, acting_user, case, cadre, records=None, post=None):
    """Nominate a cadre through the ``performance`` channel citing their records."""
    evidence = performance_evidence(cadre, records)
    if not evidence["performance_records"]:
        raise DomainError("performance.no_records", _("%(cadre)s 没有实绩备案，不能通过实绩渠道提名。") % {"cadre": cadre})
    return integration.add_candidate(acting_user=acting_user, case=case, cadre=cadre, channel="performance",
                                     evidence=evidence, post=post)


# ---- teams -------------------------------------------------------------------------------

def _member_facts(users, on: dt.date, cadres=()) -> list[workflow.MemberFacts]:
    certs = {}
    for cert in Certificate.objects.filter(user__in=users):
        certs.setdefault(cert.user_id, []).append(
            workflow.Cert(issued=cert.issued, expires=cert.expires, revoked=cert.revoked_at is not None))
    facts = []
    for user in users:
        reason = None
        for cadre in cadres:
            reason = integration.recusal_reason(getattr(user, "cadre", None), cadre)
            if reason:
                reason = _("与考察对象%(cadre)s：%(reason)s") % {"cadre": cadre, "reason": reason}
                break
        facts.append(workflow.MemberFacts(name=user.display_name, is_inspector=user.role == Role.INSPECTOR,
                                          certificates=tuple(certs.get(user.pk, ())), recusal=reason))
    return facts


def _refuse(problems, code="team.refused"):
    if problems:
        texts = messages.texts(problems)
        raise DomainError(problems[0][0] if len(problems) == 1 else code, " ".join(texts), {"blockers": texts})


def team_blockers(*, members, leader, on: dt.date, cadres=()) -> list[str]:
    members = list(dict.fromkeys([leader, *members])) if leader else list(members)
    leaders = 1 if leader else 0
    problems = workflow.team_problems(_member_facts(members, on, cadres), leaders, integration.min_team_members(on), on)
    return messages.texts(problems)


@transaction.atomic
def form_team(*, acting_user, name: str, leader, members, on: dt.date | None = None, cadres=()) -> InspectionTeam:
    """A team of certified inspectors (R10 minimum size) with exactly one leader."""
    on = on or _today()
    users = list(dict.fromkeys([leader, *members])) if leader else list(dict.fromkeys(members))
    facts = _member_facts(users, on, cadres)
    problems = workflow.team_problems(facts, 1 if leader else 0, integration.min_team_members(on), on)
    _refuse(problems)
    team = InspectionTeam(name=name, created_by=acting_user)
    full_clean_or_raise(team, exclude=["created_by"])
    team.save()
    TeamMember.objects.bulk_create([TeamMember(team=team, user=u, is_leader=(u == leader)) for u in users])
    record_event(kind="inspection.team.formed", subject=team, actor=acting_user,
                 payload={"name": name, "leader": leader.pk, "members": [u.pk for u in users]})
    return team


# ---- inspections ---------------------------------------------------------------------------

def _resume_places(cadre) -> list[dict]:
    seen, out = set(), []
    for entry in cadre.resume_entries.order_by("start", "id"):
        place = (entry.place or entry.description).strip()[:100]
        if not place or place in seen:
            continue
        seen.add(place)
        end = f"{entry.end:%Y.%m}" if entry.end else _("至今")
        out.append({"entry": entry, "place": place, "period": f"{entry.start:%Y.%m}—{end}",
                    "description": entry.description})
    return out


@transaction.atomic
def open_inspection(*, acting_user, team: InspectionTeam, kind: str, cadre, opened_on: dt.date | None = None,
                    candidate=None, key_project: KeyProject | None = None) -> Inspection:
    opened_on = opened_on or _today()
    if kind not in InspectionKind.values:
        raise DomainError("inspection.kind", _("考察类型无效。"))
    members = [m.user for m in team.members.select_related("user", "user__cadre")]
    leaders = sum(1 for m in team.members.all() if m.is_leader)
    problems = workflow.team_problems(_member_facts(members, opened_on, [cadre]), leaders,
                                      integration.min_team_members(opened_on), opened_on)
    _refuse(problems)
    if candidate is not None and candidate.cadre_id != cadre.pk:
        raise DomainError("inspection.candidate_mismatch", _("人选与考察对象不一致。"))
    if kind == InspectionKind.TRACKING:
        if key_project is None:
            raise DomainError("inspection.project_required", _("跟踪考察须选择重点工程。"))
        if not ProjectMember.objects.filter(project=key_project, cadre=cadre).exists():
            raise DomainError("inspection.not_on_project", _("%(cadre)s 不在%(project)s中，不能跟踪考察。")
                              % {"cadre": cadre, "project": key_project})
    inspection = Inspection.objects.create(team=team, kind=kind, cadre=cadre, candidate=candidate,
                                           key_project=key_project, opened_on=opened_on, created_by=acting_user)
    places = []
    if kind == InspectionKind.SOURCE_TRACING:
        places = _resume_places(cadre)
        SourcePlace.objects.bulk_create([
            SourcePlace(inspection=inspection, resume_entry=p["entry"], place=p["place"], period=p["period"],
                        description=p["description"]) for p in places])
    record_event(kind="inspection.inspection.opened", subject=inspection, actor=acting_user,
                 payload={"team": team.pk, "kind": kind, "cadre": cadre.pk, "candidate": getattr(candidate, "pk", None),
                          "key_project": getattr(key_project, "pk", None), "opened_on": opened_on,
                          "places": len(places)})
    return inspection


def _require_open(inspection: Inspection):
    inspection.refresh_from_db(fields=["status"])
    if inspection.status != InspectionStatus.OPEN:
        raise Conflict("inspection.signed", _("考察报告已签发，考察记录不能再修改。"))


@transaction.atomic
def add_tracking_record(*, acting_user, inspection: Inspection, observed_on: dt.date, text: str) -> TrackingRecord:
    _require_open(inspection)
    if inspection.kind != InspectionKind.TRACKING:
        raise DomainError("inspection.not_tracking", _("只有跟踪考察才能添加跟踪记录。"))
    if not text.strip():
        raise DomainError("tracking.text_required", _("请填写跟踪情况。"))
    row = TrackingRecord.objects.create(inspection=inspection, observed_on=observed_on, text=text, recorded_by=acting_user)
    record_event(kind="inspection.tracking_record.added", subject=inspection, actor=acting_user,
                 payload={"record": row.pk, "observed_on": observed_on})
    return row


@transaction.atomic
def add_source_place(*, acting_user, inspection: Inspection, place: str, description: str = "") -> SourcePlace:
    _require_open(inspection)
    if inspection.kind != InspectionKind.SOURCE_TRACING:
        raise DomainError("inspection.not_source_tracing", _("只有溯源考察才有走访地点。"))
    if SourcePlace.objects.filter(inspection=inspection, place=place).exists():
        raise Conflict("source_place.exists", _("地点“%(place)s”已在清单中。") % {"place": place})
    row = SourcePlace(inspection=inspection, place=place, description=description)
    full_clean_or_raise(row, exclude=["inspection"])
    row.save()
    record_event(kind="inspection.source_place.added", subject=inspection, actor=acting_user,
                 payload={"place": place})
    return row


@transaction.atomic
def mark_place_visited(*, acting_user, place: SourcePlace, visited_on: dt.date, note: str = "") -> SourcePlace:
    place = SourcePlace.objects.select_for_update().select_related("inspection").get(pk=place.pk)
    _require_open(place.inspection)
    if visited_on < place.inspection.opened_on:
        raise DomainError("source_place.before_opening", _("走访日期不能早于考察开始日期 %(date)s。")
                          % {"date": place.inspection.opened_on})
    place.visited_on = visited_on
    place.visited_by = acting_user
    place.note = note
    place.save(update_fields=["visited_on", "visited_by", "note"])
    record_event(kind="inspection.source_place.visited", subject=place.inspection, actor=acting_user,
                 payload={"place": place.place, "visited_on": visited_on})
    return place


@transaction.atomic
def record_interview(*, acting_user, inspection: Inspection, interviewee: str, category: str, circle: str,
                     place: str, held_on: dt.date, summary: str, leaning: str, source_place=None) -> Interview:
    _require_open(inspection)
    row = Interview(inspection=inspection, interviewee=interviewee, category=category, circle=circle, place=place,
                    held_on=held_on, summary=summary, leaning=leaning, source_place=source_place,
                    recorded_by=acting_user)
    full_clean_or_raise(row, exclude=["inspection", "recorded_by", "source_place"])
    if source_place is not None and source_place.inspection_id != inspection.pk:
        raise DomainError("interview.place_mismatch", _("溯源地点不属于本次考察。"))
    if held_on > _today():
        raise DomainError("interview.future", _("谈话日期不能晚于今天。"))
    row.save()
    # The interviewee's name stays out of the public ledger payload; the event is private anyway.
    record_event(kind="inspection.interview.recorded", subject=inspection, actor=acting_user,
                 payload={"interview": row.pk, "category": category, "circle": circle, "held_on": held_on,
                          "leaning": leaning})
    return row


@transaction.atomic
def record_vote(*, acting_user, inspection: Inspection, held_on: dt.date, excellent: int = 0, competent: int = 0,
                basically_competent: int = 0, incompetent: int = 0) -> EvaluationVote:
    _require_open(inspection)
    counts = {"excellent": excellent, "competent": competent, "basically_competent": basically_competent,
              "incompetent": incompetent}
    if any(v < 0 for v in counts.values()):
        raise DomainError("vote.negative", _("票数不能为负数。"))
    if sum(counts.values()) == 0:
        raise DomainError("vote.empty", _("请填写测评票数。"))
    vote, _created = EvaluationVote.objects.update_or_create(inspection=inspection,
                                                             defaults={"held_on": held_on, **counts})
    record_event(kind="inspection.vote.recorded", subject=inspection, actor=acting_user,
                 payload={"held_on": held_on, **counts})
    return vote


def vote_results_text(vote: EvaluationVote | None) -> str:
    if vote is None:
        return ""
    shares = workflow.vote_shares(vote.counts)
    labels = {"excellent": _("优秀"), "competent": _("称职"), "basically_competent": _("基本称职"),
              "incompetent": _("不称职")}
    total = sum(vote.counts.values())
    parts = [_("%(label)s %(n)s 票（%(share)s）") % {"label": labels[g], "n": vote.counts[g],
                                                    "share": workflow.percent_text(shares[g])} for g in workflow.GRADES]
    return _("共 %(total)s 票：") % {"total": total} + "；".join(parts)


@transaction.atomic
def save_report(*, acting_user, inspection: Inspection, **sections) -> Report:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _require_open(inspection)
    unknown = set(sections) - set(REPORT_SECTIONS) - {"conclusion"}
    if unknown:
        raise DomainError("report.unknown_section", _("报告没有这些部分：%(s)s") % {"s": "、".join(sorted(unknown))})
    report, _created = Report.objects.get_or_create(inspection=inspection)
    for key, value in sections.items():
        setattr(report, key, value)
    report.save()
    record_event(kind="inspection.report.saved", subject=inspection, actor=acting_user,
                 payload={"sections": sorted(k for k, v in sections.items() if v)})
    return report


def report_blockers(inspection: Inspection) -> list[str]:
    blockers = []
    report = getattr(inspection, "report", None)
    labels = {f.name: f.verbose_name for f in Report._meta.fields}
    for key in REPORT_SECTIONS:
        if report is None or not getattr(report, key).strip():
            blockers.append(_("报告缺少“%(section)s”部分。") % {"section": labels[key]})
    if not EvaluationVote.objects.filter(inspection=inspection).exists():
        blockers.append(_("尚未录入民主测评结果。"))
    if not inspection.interviews.exists():
        blockers.append(_("尚无谈话记录。"))
    return blockers


@transaction.atomic
def sign_report(*, acting_user, inspection: Inspection) -> Report:
    """The team leader signs the report off; the inspection is locked from then on."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _require_open(inspection)
    if not TeamMember.objects.filter(team=inspection.team_id, user=acting_user, is_leader=True).exists():
        raise Forbidden("report.not_leader", _("只有考察组组长才能签发考察报告。"))
    blockers = report_blockers(inspection)
    if blockers:
        raise DomainError("report.incomplete", " ".join(blockers), {"blockers": blockers})
    report = Report.objects.select_for_update().get(inspection=inspection)
    report.vote_results = vote_results_text(inspection.vote)
    report.signed_by = acting_user
    report.signed_at = timezone.now()
    report.save()
    inspection.status = InspectionStatus.SIGNED
    inspection.save(update_fields=["status"])
    record_event(kind="inspection.report.signed", subject=inspection, actor=acting_user,
                 payload={"vote_results": report.vote_results})
    return report


@transaction.atomic
def record_report_finding(*, acting_user, inspection: Inspection, kind: str, text: str,
                          found_on: dt.date | None = None) -> ReportFinding:
    """Inspector accountability: the report hid or distorted facts; recorded against the team."""
    inspection = Inspection.objects.select_related("team").get(pk=inspection.pk)
    if inspection.status != InspectionStatus.SIGNED:
        raise DomainError("report_finding.not_signed", _("报告尚未签发，不能认定报告失真失实。"))
    if not text.strip():
        raise DomainError("report_finding.text_required", _("请写明认定的失真失实情况。"))
    row = ReportFinding(team=inspection.team, inspection=inspection, kind=kind, text=text,
                        found_on=found_on or _today(), recorded_by=acting_user)
    full_clean_or_raise(row, exclude=["team", "inspection", "recorded_by"])
    row.save()
    record_event(kind="inspection.report_finding.recorded", subject=inspection.team, actor=acting_user,
                 payload={"inspection": inspection.pk, "kind": kind, "found_on": row.found_on})
    return row


# ---- joint review ---------------------------------------------------------------------------

@transaction.atomic
def create_review_department(*, acting_user, code: str, name: str, sort_order: int = 0) -> ReviewDepartment:
    dept = ReviewDepartment(code=code, name=name, sort_order=sort_order)
    full_clean_or_raise(dept)
    dept.save()
    record_event(kind="inspection.review_department.created", subject=dept, actor=acting_user,
                 payload={"code": code, "name": name})
    return dept


@transaction.atomic
def update_review_department(*, acting_user, department: ReviewDepartment, **data) -> ReviewDepartment:
    department = ReviewDepartment.objects.select_for_update().get(pk=department.pk)
    for key, value in data.items():
        if key not in {"name", "is_active", "sort_order"}:
            raise DomainError("review_department.field", _("不能修改字段 %(f)s。") % {"f": key})
        setattr(department, key, value)
    full_clean_or_raise(department)
    department.save()
    record_event(kind="inspection.review_department.updated", subject=department, actor=acting_user, payload=data)
    return department


@transaction.atomic
def send_review_requests(*, acting_user, candidate, deadline: dt.date, sent_on: dt.date | None = None
                         ) -> list[ReviewRequest]:
    """One request to every active department at once, all with the same deadline.
    ``sent_on`` (default today) lets a paper request already sent be entered afterwards."""
    sent_on = sent_on or _today()
    if sent_on > _today():
        raise DomainError("review.sent_in_future", _("发函日期不能晚于今天。"))
    if deadline < sent_on:
        raise DomainError("review.deadline_past", _("答复期限不能早于发函日期。"))
    if candidate.status != "active":
        raise DomainError("review.candidate_not_active", _("%(cadre)s 当前不是有效人选，不能发起联审。")
                          % {"cadre": candidate.cadre})
    departments = list(ReviewDepartment.objects.filter(is_active=True))
    if not departments:
        raise DomainError("review.no_departments", _("尚未配置联审单位。"))
    asked = set(ReviewRequest.objects.filter(candidate=candidate).values_list("department_id", flat=True))
    sent_at = timezone.now() if sent_on == _today() else timezone.make_aware(dt.datetime.combine(sent_on, dt.time(9)))
    created = ReviewRequest.objects.bulk_create([
        ReviewRequest(candidate=candidate, department=d, deadline=deadline, sent_by=acting_user, sent_at=sent_at)
        for d in departments if d.pk not in asked])
    if not created:
        raise Conflict("review.already_sent", _("已向全部联审单位发出联审函。"))
    record_event(kind="inspection.review.sent", subject=candidate, actor=acting_user,
                 payload={"deadline": deadline, "sent_on": sent_on, "departments": [r.department.code for r in created]})
    return created


@transaction.atomic
def answer_review_request(*, acting_user, request: ReviewRequest, answer: str, text: str = "") -> ReviewRequest:
    """A department's officer answers its own request: clear, problem found (with text) or
    needs verification. A problem opens a problem file and suspends the candidate."""
    request = ReviewRequest.objects.select_for_update().select_related("department", "candidate__cadre").get(pk=request.pk)
    if not acting_user.has_capability("review.answer") or acting_user.review_department != request.department.code:
        raise Forbidden("review.not_your_department", _("这份联审函发给%(dept)s，您不能代为答复。")
                        % {"dept": request.department.name})
    if request.answer in (ReviewAnswer.CLEAR, ReviewAnswer.PROBLEM):
        raise Conflict("review.already_answered", _("这份联审函已答复为“%(a)s”，不能再改。")
                       % {"a": request.get_answer_display()})
    if answer not in (ReviewAnswer.CLEAR, ReviewAnswer.PROBLEM, ReviewAnswer.NEEDS_VERIFICATION):
        raise DomainError("review.answer_invalid", _("请选择答复：无问题、发现问题或需进一步核实。"))
    if answer in (ReviewAnswer.PROBLEM, ReviewAnswer.NEEDS_VERIFICATION) and not text.strip():
        raise DomainError("review.text_required", _("答复“%(a)s”须写明具体情况。") % {"a": ReviewAnswer(answer).label})
    request.answer = answer
    request.answer_text = text
    request.answered_by = acting_user
    request.answered_at = timezone.now()
    request.save()
    record_event(kind="inspection.review.answered", subject=request.candidate, actor=acting_user,
                 payload={"request": request.pk, "department": request.department.code, "answer": answer})
    if answer == ReviewAnswer.PROBLEM:
        problem = intake_complaint(acting_user=acting_user, cadre=request.candidate.cadre,
                                   channel=ComplaintChannel.JOINT_REVIEW, text=text,
                                   source_ref=f"{request.department.code}:{request.pk}")
        request.problem_file = problem
        request.save(update_fields=["problem_file"])
        if request.candidate.status == "active":
            integration.suspend_candidate(
                acting_user=acting_user, candidate=request.candidate,
                reason=_("联审：%(dept)s发现问题：%(text)s") % {"dept": request.department.name, "text": text})
    return request


@transaction.atomic
def record_check(*, acting_user, candidate, check: str, done_on: dt.date | None = None, note: str = "") -> CheckRecord:
    if check not in workflow.FOUR_CHECKS:
        raise DomainError("four_checks.unknown", _("没有这项“凡提四必”事项。"))
    if CheckRecord.objects.filter(candidate=candidate, item=check).exists():
        raise Conflict("four_checks.done", _("这项已经登记完成。"))
    row = CheckRecord.objects.create(candidate=candidate, item=check, done_on=done_on or _today(), note=note,
                                     done_by=acting_user)
    record_event(kind="inspection.four_check.done", subject=candidate, actor=acting_user,
                 payload={"check": check, "done_on": row.done_on})
    _recheck_eligibility(acting_user, candidate.cadre)
    return row


def _recheck_eligibility(acting_user, cadre) -> None:
    """The eligibility check (R13) reads the four checks, open problem files and findings. When
    one of those changes, it runs again for the cadre's active candidates, so the result stored
    on each (and shown on the case page) stays true."""
    for candidate in Candidate.objects.filter(cadre=cadre, status="active", case__status="active"):
        integration.recheck_eligibility(acting_user=acting_user, candidate=candidate)


# ---- problem files ----------------------------------------------------------------------

@transaction.atomic
def intake_complaint(*, acting_user, cadre, channel: str, text: str, source_ref: str | None = None) -> ProblemFile:
    """Receive a complaint about a cadre from any channel (publicity feedback included)."""
    if channel not in ComplaintChannel.values:
        raise DomainError("complaint.channel", _("来源渠道无效。"))
    if not text or not text.strip():
        raise DomainError("complaint.text_required", _("请填写反映的具体内容。"))
    problem = ProblemFile(cadre=cadre, channel=channel, text=text.strip(), source_ref=source_ref or "",
                          received_by=acting_user if getattr(acting_user, "pk", None) else None)
    full_clean_or_raise(problem, exclude=["cadre", "received_by", "assignee"])
    problem.save()
    record_event(kind="inspection.problem_file.received", subject=problem, actor=acting_user,
                 payload={"cadre": cadre.pk, "channel": channel, "source_ref": problem.source_ref})
    _recheck_eligibility(acting_user, cadre)
    return problem


def _open_problem(problem: ProblemFile) -> ProblemFile:
    problem = ProblemFile.objects.select_for_update().get(pk=problem.pk)
    if problem.status == ProblemStatus.CLOSED:
        raise Conflict("problem_file.closed", _("该问题已办结。"))
    return problem


@transaction.atomic
def assign_problem(*, acting_user, problem: ProblemFile, assignee) -> ProblemFile:
    problem = _open_problem(problem)
    problem.assignee = assignee
    problem.status = ProblemStatus.ASSIGNED
    problem.save(update_fields=["assignee", "status"])
    record_event(kind="inspection.problem_file.assigned", subject=problem, actor=acting_user,
                 payload={"assignee": assignee.pk})
    return problem


@transaction.atomic
def record_verification(*, acting_user, problem: ProblemFile, text: str) -> ProblemFile:
    problem = _open_problem(problem)
    if not text.strip():
        raise DomainError("problem_file.verification_required", _("请填写核查情况。"))
    problem.verification = (problem.verification + "\n" if problem.verification else "") + text.strip()
    problem.status = ProblemStatus.VERIFYING
    problem.save(update_fields=["verification", "status"])
    record_event(kind="inspection.problem_file.verified", subject=problem, actor=acting_user, payload={})
    return problem


@transaction.atomic
def record_finding(*, acting_user, problem: ProblemFile, finding: str, text: str, found_on: dt.date | None = None,
                   remove_from_projects: bool = False, suspend_promotion: bool = False) -> ProblemFile:
    """Close a problem file. Unsubstantiated: candidates suspended by it resume. Substantiated:
    the effects chosen apply (removed from key projects, promotion suspended) and the
    eligibility engine fails on this cadre from now on."""
    problem = _open_problem(problem)
    if finding not in Finding.values:
        raise DomainError("problem_file.finding", _("请选择核查结论：属实或不属实。"))
    if not text.strip():
        raise DomainError("problem_file.finding_text_required", _("请写明结论说明。"))
    found_on = found_on or _today()
    problem.finding, problem.finding_text, problem.found_on = finding, text.strip(), found_on
    problem.status = ProblemStatus.CLOSED
    problem.save(update_fields=["finding", "finding_text", "found_on", "status"])
    effects = []
    if finding == Finding.SUBSTANTIATED:
        if remove_from_projects:
            for member in ProjectMember.objects.filter(cadre=problem.cadre, removed_on__isnull=True).select_related("project"):
                remove_project_member(acting_user=acting_user, member=member, on=found_on,
                                      reason=_("问题属实：%(t)s") % {"t": problem.headline})
                effects.append(ProblemEffect(problem_file=problem, kind=EffectKind.REMOVED_FROM_PROJECT,
                                             detail=member.project.name, applied_on=found_on))
        if suspend_promotion:
            for candidate in Candidate.objects.filter(cadre=problem.cadre, status="active"):
                integration.suspend_candidate(acting_user=acting_user, candidate=candidate,
                                              reason=_("问题属实，暂缓提拔：%(t)s") % {"t": problem.headline})
            effects.append(ProblemEffect(problem_file=problem, kind=EffectKind.PROMOTION_SUSPENDED,
                                         detail=problem.headline, applied_on=found_on))
        ProblemEffect.objects.bulk_create(effects)
    record_event(kind="inspection.problem_file.found", subject=problem, actor=acting_user,
                 payload={"finding": finding, "found_on": found_on, "effects": [e.kind for e in effects]})
    if finding == Finding.UNSUBSTANTIATED:
        _resume_if_clear(acting_user, problem)
    _recheck_eligibility(acting_user, problem.cadre)
    return problem


def _resume_if_clear(acting_user, problem: ProblemFile) -> None:
    """Candidates suspended through joint review resume once none of their requests is a
    problem still open or substantiated."""
    for request in problem.review_requests.select_related("candidate"):
        candidate = request.candidate
        if candidate.status != "suspended":
            continue
        still_open = ReviewRequest.objects.filter(candidate=candidate, answer=ReviewAnswer.PROBLEM).exclude(
            problem_file__finding=Finding.UNSUBSTANTIATED).exists()
        substantiated = ProblemFile.objects.filter(cadre=candidate.cadre, finding=Finding.SUBSTANTIATED).exists()
        if not still_open and not substantiated:
            integration.resume_candidate(acting_user=acting_user, candidate=candidate,
                                         reason=_("联审反映问题经核查不属实：%(t)s") % {"t": problem.finding_text})
