"""Carry a case from motion to appointment through the real actions, for the demo builders.

Every appointment the demo makes goes through here (or through the same actions by hand):
motion → nomination → candidates for inspection → inspection and joint review → decision →
pre-appointment publicity → appointment → closed, each with its ledger events and with every
other app's guards in force (a guard that refuses raises ``DomainError``: the demo step stops
and says why; nothing is written around it).

    case = run_case_to_appointment(
        acting_user=clerk, title="…", org_unit=county, posts=[post],
        candidates_with_channels=[Nominee(cadre, "performance", post=post)],
        motion_date=ctx.on(9, 1), decided_on=ctx.on(9, 25), publicity_start=ctx.on(9, 28),
        appointed_on=ctx.on(10, 20), members=decision_members(ctx), reviewers=ctx.data.get("reviewers"))

``run_case_to_publicity`` stops once the notice is public (feedback can then be sent and
answered), and ``finish_case`` takes such a case on to appointment and closes it.

Dates: the steps happen on the dates given, which must lie in the past far enough for R17's
working days to have run out before today when the case is to reach appointment. The case enters
each stage on its step's day (:func:`entered_on`): motion and nomination on ``motion_date``,
candidates, inspection and decision a quarter, half and 85% of the way to ``decided_on``,
publicity the day after the decision, appointment and closing on ``appointed_on``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import actions
from .models import Case, CaseStage

STOP_STAGES = ("nomination", "candidates", "inspection", "decision", "publicity", "appointment", "closed")


@dataclass
class Nominee:
    """One person put forward: through which channel, for which post, citing what."""
    cadre: Any
    channel: str
    post: Any = None
    evidence: dict = field(default_factory=dict)


def decision_members(ctx) -> list[dict]:
    """The decision meeting's members: the demo's voters (county leaders with accounts), or the
    county leaders by name when there are no accounts."""
    voters = list(ctx.data.get("voters") or [])[:11]
    if voters:
        return [{"name": u.display_name, "user": u, "cadre": u.cadre} for u in voters]
    return [{"name": c.name, "cadre": c} for c in ctx.data.get("county_leaders", [])[:11]]


def entered_on(case: Case, day: dt.date) -> Case:
    """Place the case's entry into its current stage on the demo's calendar. ``advance_case``
    stamps the moment it runs (the build), which would show every demo case as "阶段第 1 天" on
    the workbench and the case list; the demo's steps happen on their own days. ``day`` at 09:00
    local time, never later than now."""
    from django.utils import timezone

    at = min(timezone.make_aware(dt.datetime.combine(day, dt.time(9))), timezone.now())
    case.stage_entered_at = at
    case.save(update_fields=["stage_entered_at"])
    return case


def between(first: dt.date, last: dt.date, part: float) -> dt.date:
    """The day ``part`` of the way from ``first`` to ``last`` (the days of the steps the demo
    does not date itself: candidates, inspection)."""
    return first + dt.timedelta(days=int(max((last - first).days, 0) * part))


def _channels(nominees: Iterable[Nominee]) -> list[str]:
    seen: list[str] = []
    for n in nominees:
        if n.channel not in seen:
            seen.append(n.channel)
    return seen


def run_case_to_publicity(*, acting_user, title: str, org_unit, posts: list, candidates_with_channels: list[Nominee],
                          motion_date: dt.date, decided_on: dt.date, publicity_start: dt.date, members: list[dict],
                          motion_reason: str = "", reviewers: dict | None = None,
                          inspect: Callable[[Any], None] | None = None, stop_at: str = "publicity",
                          drop_ineligible: bool = True, case: Case | None = None) -> Case:
    """Open the case and carry it to ``stop_at`` (default: its pre-appointment notice published
    from ``publicity_start``). ``inspect(candidate)`` runs for each candidate at the inspection
    stage (e.g. a signed inspection report); joint review and the four checks are then cleared
    through the inspection app's actions. Candidates who fail eligibility are disqualified with
    the reason when ``drop_ineligible``. ``case``: a case already at nomination whose candidates
    came in through their channel's own action (an exam's ranking): it is carried on from there."""
    from .demo import clear_inspection, hold_decision, publish_publicity

    if stop_at not in STOP_STAGES:
        raise ValueError(f"stop_at must be one of {STOP_STAGES}")
    if case is None:
        case = actions.open_case(acting_user=acting_user, title=title, org_unit=org_unit, posts=posts,
                                 channels=_channels(candidates_with_channels), motion_date=motion_date,
                                 motion_reason=motion_reason or f"{'、'.join(str(p) for p in posts)}职位空缺，按干部管理权限启动选任程序。")
        entered_on(case, motion_date)
        # ``posts``: posts, or (post, places) pairs when one post takes several people.
        entered_on(actions.advance_case(acting_user=acting_user, case=case, to_stage=CaseStage.NOMINATION), motion_date)
    for n in candidates_with_channels:
        actions.add_candidate(acting_user=acting_user, case=case, cadre=n.cadre, channel=n.channel, post=n.post,
                              evidence=n.evidence or {"recommended_on": motion_date.isoformat(), "note": "组织推荐"})
    if stop_at == "nomination":
        return case
    entered_on(actions.advance_case(acting_user=acting_user, case=case, to_stage=CaseStage.CANDIDATES),
               between(motion_date, decided_on, 0.25))
    if drop_ineligible:
        for cand in case.candidates.filter(status="active", eligibility_passed=False):
            actions.disqualify_candidate(acting_user=acting_user, candidate=cand, reason="资格审查未通过")
    if stop_at == "candidates":
        return case
    entered_on(actions.advance_case(acting_user=acting_user, case=case, to_stage=CaseStage.INSPECTION),
               between(motion_date, decided_on, 0.5))
    for cand in case.candidates.filter(status="active").select_related("cadre"):
        if inspect is not None:
            inspect(cand)
        clear_inspection(cand, acting_user=acting_user, reviewers=reviewers)
    if stop_at == "inspection":
        return case
    entered_on(actions.advance_case(acting_user=acting_user, case=case, to_stage=CaseStage.DECISION),
               between(motion_date, decided_on, 0.85))
    hold_decision(case, acting_user=acting_user, members=members, held_on=decided_on, close=stop_at != "decision",
                  all_agree=True)
    if stop_at == "decision":
        return case
    entered_on(actions.advance_case(acting_user=acting_user, case=case, to_stage=CaseStage.PUBLICITY),
               max(decided_on, min(publicity_start, decided_on + dt.timedelta(days=1))))
    publish_publicity(case, acting_user=acting_user, start=publicity_start)
    case.refresh_from_db()
    return case


def finish_case(case: Case, *, acting_user, appointed_on: dt.date, close: bool = True,
                document_number: str = "") -> Case:
    """From publicity (period over, every feedback item answered) to appointment: the notice is
    closed, each active candidate takes the post from ``appointed_on`` (through the publicity
    app's appointment record, with its 任职文号 and probation, when that app is installed); then
    the case is closed (办结)."""
    from .facts import post_for

    case = entered_on(actions.advance_case(acting_user=acting_user, case=case, to_stage=CaseStage.APPOINTMENT),
                      appointed_on)
    try:
        from gongxin.publicity import actions as pa
        from gongxin.publicity.models import Notice, NoticeKind, NoticeStatus
    except ImportError:
        pa = None
    notice = None
    if pa is not None:
        notice = Notice.objects.filter(case_id=case.pk, kind=NoticeKind.PRE_APPOINTMENT).first()
        if notice is not None and notice.status == NoticeStatus.PUBLISHED:
            notice = pa.close_notice(acting_user=acting_user, notice=notice)
    number = document_number or f"惠组任〔{appointed_on.year}〕{case.pk}号"
    for cand in case.candidates.filter(status="active").select_related("cadre", "post").order_by("id"):
        if notice is not None:
            pa.appoint(acting_user=acting_user, cadre=cand.cadre, post=post_for(cand, cand.post), start=appointed_on,
                       notice=notice, document_number=number)
        else:
            actions.appoint_candidate(acting_user=acting_user, candidate=cand, start=appointed_on)
    if close:
        case = entered_on(actions.advance_case(acting_user=acting_user, case=case, to_stage=CaseStage.CLOSED),
                          appointed_on)
    return case


def run_case_to_appointment(*, acting_user, appointed_on: dt.date, close: bool = True, **kwargs) -> Case:
    """The whole selection, motion to appointment (closed unless ``close=False``): the keyword
    arguments of :func:`run_case_to_publicity` plus the appointment's start date."""
    case = run_case_to_publicity(acting_user=acting_user, stop_at="publicity", **kwargs)
    return finish_case(case, acting_user=acting_user, appointed_on=appointed_on, close=close)
