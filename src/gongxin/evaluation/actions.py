"""Every write of 一报告两评议. Atomic, keyword-only, the acting user first, one ledger event per
state change. The evaluation meeting's own steps (electorate, codes, opening, casting, the sealed
box) are the meetings app's actions; this module creates the meeting with its items, closes it
and reads the rates, publishes, and follows up flagged cadres."""

import datetime as dt
import hashlib
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import Conflict, DomainError
from gongxin.ledger.recording import record_event
from gongxin.meetings import actions as meeting_actions
from gongxin.meetings import rating
from gongxin.meetings.models import MeetingMode, MeetingStatus
from gongxin.meetings.permissions import unit_in_scope

from . import ballot, figures
from .models import EvaluatedCadre, Evaluation, FollowUp, FollowUpStatus, Report, ReportStatus
from .rule_defaults import DEFAULT_RULES

MAX_REPORT_CHARS = 50_000


def _require_scope(user, unit) -> None:
    if not unit_in_scope(user, unit):
        raise DomainError("evaluation.unit_out_of_scope", _("该单位不在您的管理范围内。"), status=403)


def _check_year(year: int) -> None:
    if not 2000 <= int(year) <= timezone.localdate().year + 1:
        raise DomainError("evaluation.bad_year", _("年度应在 2000 年至明年之间。"), {"fields": {"year": [str(year)]}})


# ---- the report ---------------------------------------------------------------------------

@transaction.atomic
def generate_report(*, acting_user, org_unit, year: int) -> Report:
    """The draft report from the year's data. Run again on a draft, it refreshes the figures and
    replaces the text only if the clerk has not edited it (edits are never lost)."""
    _require_scope(acting_user, org_unit)
    _check_year(year)
    data = figures.collect(org_unit, year)
    draft = figures.draft_text(data)
    report = Report.objects.select_for_update().filter(year=year, org_unit=org_unit).first()
    if report is None:
        report = Report.objects.create(year=year, org_unit=org_unit, figures=data, text=draft,
                                       title=_("%(unit)s%(year)d年度干部选拔任用工作情况报告") % {"unit": org_unit.name, "year": year},
                                       created_by=acting_user if getattr(acting_user, "pk", None) else None)
        kept = False
    else:
        if report.is_final:
            raise Conflict("report.final", _("报告已定稿，不能重新生成。"))
        kept = report.text.strip() != figures.draft_text(report.figures).strip()
        report.figures = data
        if not kept:
            report.text = draft
        report.generated_at = timezone.now()
        report.save(update_fields=["figures", "text", "generated_at"])
    record_event(kind="evaluation.report.generated", subject=report, actor=acting_user,
                 payload={"year": year, "org_unit": org_unit.pk, "figures": data, "edited_text_kept": kept})
    report.edited_text_kept = kept
    return report


@transaction.atomic
def save_report(*, acting_user, report: Report, text: str, title: str | None = None) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_final:
        raise Conflict("report.final", _("报告已定稿，不能再修改。"))
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise DomainError("report.empty", _("报告正文不能为空。"), {"fields": {"text": [_("请填写报告正文。")]}})
    if len(text) > MAX_REPORT_CHARS:
        raise DomainError("report.too_long", _("报告正文最多 %(n)d 字。") % {"n": MAX_REPORT_CHARS},
                          {"fields": {"text": [_("报告正文过长。")]}})
    changed = text != report.text or (title is not None and title.strip() and title.strip() != report.title)
    if not changed:
        return report
    report.text = text
    if title and title.strip():
        report.title = title.strip()[:200]
    report.save(update_fields=["text", "title"])
    record_event(kind="evaluation.report.edited", subject=report, actor=acting_user,
                 payload={"text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "chars": len(text)})
    return report


@transaction.atomic
def finalize_report(*, acting_user, report: Report) -> Report:
    """The final text, with its SHA-256, into the ledger; the report no longer changes."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_final:
        return report
    if not report.text.strip():
        raise DomainError("report.empty", _("报告正文不能为空。"))
    report.status = ReportStatus.FINAL
    report.finalized_at = timezone.now()
    report.text_sha256 = hashlib.sha256(report.text.encode("utf-8")).hexdigest()
    report.save(update_fields=["status", "finalized_at", "text_sha256"])
    record_event(kind="evaluation.report.finalized", subject=report, actor=acting_user, payload={
        "year": report.year, "org_unit": report.org_unit_id, "title": report.title, "text": report.text,
        "text_sha256": report.text_sha256, "figures": report.figures})
    return report


# ---- the evaluation meeting ---------------------------------------------------------------

def flag_rule_in_force(on: dt.date) -> dict:
    """R30/evaluation in force on ``on``: its parameters and its source (the documented default
    when no rule set holds it)."""
    default = DEFAULT_RULES[0]
    params, source, rule_set = dict(default["parameters"]), default["regulation"], ""
    try:
        from gongxin.cases.rules import get_rule, rule_set_in_force
    except ImportError:  # pragma: no cover - cases is part of every install
        pass
    else:
        try:
            rs = rule_set_in_force(on=on)
            rule = get_rule(rs, "R30", "evaluation")
            params, source, rule_set = dict(rule.parameters), rule.source or rule.regulation, str(rs)
        except DomainError as exc:
            if exc.code not in ("rules.none_in_force", "rules.missing"):
                raise
    rules = rating.RatingRules.from_dict(params)
    return {**rules.to_dict(), "code": "R30/evaluation", "source": source, "rule_set": rule_set}


def ballot_items(org_unit, year: int) -> list[dict]:
    """One line per cadre newly appointed to a leading post in ``year`` (an appointment starting
    between 1 January and 31 December), oldest appointment first; a cadre appointed twice is on
    it once (the first). Appointments to middle-level and general posts (a unit's competitive
    posting, village cadres into township offices) are the year's figures, not the plenary's
    ballot: the committee evaluates the leading cadres it selected."""
    seen, out = set(), []
    for row in figures.appointments_in_year(org_unit, year):
        if not row["leading"] or row["cadre"].pk in seen:
            continue
        seen.add(row["cadre"].pk)
        out.append(row)
    return out


@transaction.atomic
def create_evaluation(*, acting_user, org_unit, year: int, meeting_date: dt.date | None = None, location: str = "",
                      electors: Sequence = (), report: Report | None = None) -> Evaluation:
    """The evaluation meeting (a rating meeting) with its ballot generated from the year's
    appointments, the flag rule in force frozen into it, and the plenary members given."""
    _require_scope(acting_user, org_unit)
    _check_year(year)
    if Evaluation.objects.filter(year=year, org_unit=org_unit).exists():
        raise Conflict("evaluation.exists", _("%(year)d年度%(unit)s的民主评议已经建立。") % {"year": year, "unit": org_unit.name})
    meeting_date = meeting_date or timezone.localdate()
    if meeting_date.year < year:
        raise DomainError("evaluation.date_before_year", _("评议会议应在所评年度之内或之后召开。"),
                          {"fields": {"meeting_date": [str(meeting_date)]}})
    rule = flag_rule_in_force(meeting_date)
    meeting = meeting_actions.create_meeting(
        acting_user=acting_user, title=_("%(year)d年度干部选拔任用工作民主评议") % {"year": year}, org_unit=org_unit,
        mode=MeetingMode.RATING, meeting_date=meeting_date, location=location,
        rules={**meeting_actions.default_rules(), "flag_share": rule["flag_share"], "flag_strict": rule["flag_strict"]})
    meeting_actions.add_post(acting_user=acting_user, meeting=meeting, options=ballot.WORK_OPTIONS,
                             title=_("对%(year)d年度干部选拔任用工作的总体评价") % {"year": year})
    evaluation = Evaluation.objects.create(year=year, org_unit=org_unit, meeting=meeting, report=report, flag_rule=rule)
    rows = []
    for row in ballot_items(org_unit, year):
        cadre = row["cadre"]
        item = meeting_actions.add_post(acting_user=acting_user, meeting=meeting, options=ballot.CADRE_OPTIONS,
                                        subject=cadre, title=f"{cadre.name}（{row['post_title']}）")
        rows.append(EvaluatedCadre(evaluation=evaluation, cadre=cadre, item_key=item.key, post_title=row["post_title"],
                                   appointed_on=row["start"], appointment_id=row["appointment"], channel=row["channel"]))
    EvaluatedCadre.objects.bulk_create(rows)
    if electors:
        meeting_actions.add_electors(acting_user=acting_user, meeting=meeting, cadres=list(electors))
    record_event(kind="evaluation.evaluation.created", subject=evaluation, actor=acting_user, payload={
        "year": year, "org_unit": org_unit.pk, "meeting": meeting.pk, "flag_rule": rule,
        "cadres": [{"cadre": r.cadre_id, "item": r.item_key, "appointed_on": r.appointed_on, "channel": r.channel}
                   for r in rows]})
    return evaluation


def items_of(evaluation: Evaluation) -> list[dict]:
    return [{"key": p.key, "title": p.title, "options": p.options}
            for p in meeting_actions.posts_of(evaluation.meeting)]


def results_from_tally(evaluation: Evaluation, tally_result: dict) -> dict:
    rules = meeting_actions.rating_rules_of(evaluation.meeting)
    return ballot.results(tally_result, items_of(evaluation), rules)


@transaction.atomic
def close_evaluation(*, acting_user, evaluation: Evaluation, key_shares: Sequence[str] = (),
                     slips_issued: int | None = None, paper_spoiled: int = 0) -> Evaluation:
    """Close the meeting (the tellers open the sealed box, ``meetings.close_meeting``), read the
    rates from its tally, flag each cadre whose 不认同 share passes the rule and open a follow-up
    for each, in one transaction: a refusal leaves the box sealed and nothing changed."""
    evaluation = Evaluation.objects.select_for_update().select_related("meeting", "org_unit").get(pk=evaluation.pk)
    _require_scope(acting_user, evaluation.org_unit)
    result = meeting_actions.close_meeting(acting_user=acting_user, meeting=evaluation.meeting, key_shares=key_shares,
                                           slips_issued=slips_issued, paper_spoiled=paper_spoiled)
    return _record_results(acting_user, evaluation, result)


@transaction.atomic
def record_results(*, acting_user, evaluation: Evaluation) -> Evaluation:
    """Read the rates of a meeting closed on the meetings page (not through ``close_evaluation``)."""
    evaluation = Evaluation.objects.select_for_update().select_related("meeting", "org_unit").get(pk=evaluation.pk)
    _require_scope(acting_user, evaluation.org_unit)
    if evaluation.results:
        return evaluation
    if evaluation.meeting.status not in (MeetingStatus.CLOSED, MeetingStatus.PUBLISHED):
        raise Conflict("evaluation.not_closed", _("请先结束投票并计票。"))
    return _record_results(acting_user, evaluation, evaluation.meeting.result)


def _record_results(acting_user, evaluation: Evaluation, result) -> Evaluation:
    res = results_from_tally(evaluation, result.tally)
    evaluation.results = res
    evaluation.save(update_fields=["results"])
    flagged = set(res["flagged"]) if res["valid"] else set()
    subjects = list(evaluation.cadres.select_related("cadre"))
    for ev in subjects:
        if (ev.item_key in flagged) != ev.flagged:
            ev.flagged = ev.item_key in flagged
            ev.save(update_fields=["flagged"])
    follow_ups = [FollowUp(evaluated=ev) for ev in subjects if ev.flagged]
    FollowUp.objects.bulk_create(follow_ups)
    record_event(kind="evaluation.evaluation.closed", subject=evaluation, actor=acting_user, payload={
        "meeting": evaluation.meeting_id, "ballots_sha256": result.ballots_sha256,
        "satisfaction_rate": res["satisfaction_rate"], "unknown_share": res["unknown_share"], "valid": res["valid"],
        "flag_rule": evaluation.flag_rule,
        "flagged": [{"cadre": ev.cadre_id, "item": ev.item_key,
                     "not_endorse_share": res["cadres"][ev.item_key]["unfavourable_share"]}
                    for ev in subjects if ev.flagged]})
    evaluation.meeting.refresh_from_db()
    return evaluation


@transaction.atomic
def publish_evaluation(*, acting_user, evaluation: Evaluation) -> Evaluation:
    """Publish the results: the meeting's notice, receipts and ballot file (``meetings``), and
    the evaluation's rate and count of flagged cadres on the portal."""
    evaluation = Evaluation.objects.select_for_update().select_related("meeting", "org_unit").get(pk=evaluation.pk)
    _require_scope(acting_user, evaluation.org_unit)
    if evaluation.meeting.status != MeetingStatus.CLOSED:
        raise Conflict("evaluation.not_closed", _("请先结束投票并计票，再公布评议结果。"))
    result = meeting_actions.publish_results(acting_user=acting_user, meeting=evaluation.meeting)
    res = evaluation.results
    record_event(kind="evaluation.evaluation.published", subject=evaluation, actor=acting_user, public=True, payload={
        "year": evaluation.year, "org_unit": evaluation.org_unit_id, "meeting": evaluation.meeting_id,
        "satisfaction_rate": res.get("satisfaction_rate"), "unknown_share": res.get("unknown_share"),
        "flagged": len(res.get("flagged", [])) if res.get("valid") else 0,
        "ballots_file_sha256": hashlib.sha256(bytes(result.ballots_file)).hexdigest()})
    evaluation.meeting.refresh_from_db()
    return evaluation


# ---- follow-up of a flagged cadre ---------------------------------------------------------

def _open_follow_up(follow_up: FollowUp) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().select_related(
        "evaluated__cadre", "evaluated__evaluation__org_unit").get(pk=follow_up.pk)
    if follow_up.status == FollowUpStatus.CLOSED:
        raise Conflict("follow_up.closed", _("该核实已办结。"))
    return follow_up


@transaction.atomic
def record_analysis(*, acting_user, follow_up: FollowUp, analysis: str) -> FollowUp:
    follow_up = _open_follow_up(follow_up)
    _require_scope(acting_user, follow_up.evaluated.evaluation.org_unit)
    analysis = (analysis or "").strip()
    if not analysis:
        raise DomainError("follow_up.analysis_required", _("请填写分析意见：评议结果反映出的问题、了解核实的情况。"),
                          {"fields": {"analysis": [_("请填写分析意见。")]}})
    follow_up.analysis = analysis
    if follow_up.status == FollowUpStatus.OPEN:
        follow_up.status = FollowUpStatus.ANALYSED
    follow_up.save(update_fields=["analysis", "status"])
    record_event(kind="evaluation.follow_up.analysed", subject=follow_up, actor=acting_user,
                 payload={"cadre": follow_up.evaluated.cadre_id, "analysis": analysis})
    return follow_up


@transaction.atomic
def refer_to_problem_file(*, acting_user, follow_up: FollowUp, text: str):
    """Open a problem file on the cadre through the inspection app's intake (its own action and
    event); the follow-up keeps its number."""
    from gongxin.inspection.actions import intake_complaint
    from gongxin.inspection.models import ComplaintChannel

    follow_up = _open_follow_up(follow_up)
    _require_scope(acting_user, follow_up.evaluated.evaluation.org_unit)
    if follow_up.problem_file_id:
        raise Conflict("follow_up.already_referred", _("已为该干部建立问题档案。"))
    evaluation = follow_up.evaluated.evaluation
    problem = intake_complaint(acting_user=acting_user, cadre=follow_up.evaluated.cadre, channel=ComplaintChannel.EVALUATION,
                               text=text, source_ref=_("%(year)d年度民主评议") % {"year": evaluation.year})
    follow_up.problem_file_id = problem.pk
    follow_up.status = FollowUpStatus.REFERRED
    follow_up.save(update_fields=["problem_file_id", "status"])
    record_event(kind="evaluation.follow_up.referred", subject=follow_up, actor=acting_user,
                 payload={"cadre": follow_up.evaluated.cadre_id, "problem_file": problem.pk})
    return problem


@transaction.atomic
def close_follow_up(*, acting_user, follow_up: FollowUp) -> FollowUp:
    follow_up = _open_follow_up(follow_up)
    _require_scope(acting_user, follow_up.evaluated.evaluation.org_unit)
    if not follow_up.analysis:
        raise DomainError("follow_up.analysis_required", _("请先填写分析意见，再办结核实。"))
    follow_up.status = FollowUpStatus.CLOSED
    follow_up.closed_at = timezone.now()
    follow_up.save(update_fields=["status", "closed_at"])
    record_event(kind="evaluation.follow_up.closed", subject=follow_up, actor=acting_user,
                 payload={"cadre": follow_up.evaluated.cadre_id, "problem_file": follow_up.problem_file_id})
    return follow_up
