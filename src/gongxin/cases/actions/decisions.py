"""The decision meeting (R15): members, voting (open, own stance or secret counts), attendance,
recusal, the tally and closing it."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import Conflict, DomainError, Forbidden, full_clean_or_raise
from gongxin.ledger.recording import record_event

from .. import eligibility as core
from ..facts import run_eligibility
from ..models import (
    Candidate,
    CandidateStatus,
    Case,
    CaseStage,
    CaseStatus,
    DecisionMeeting,
    DecisionMember,
    DecisionVote,
    SecretCount,
    VotingMode,
)
from .common import _checkpoint_after_commit, _lock_case

# ---- decision meeting ---------------------------------------------------------------------------

@transaction.atomic
def create_decision_meeting(*, acting_user, case: Case, title: str, members: list[dict[str, Any]],
                            held_on: dt.date | None = None, place: str = "", mode: str = VotingMode.OPEN
                            ) -> DecisionMeeting:
    """``members``: [{"name":..., "user": User|None, "cadre": Cadre|None}, ...] — the committee roster."""
    case = _lock_case(case)
    if case.stage != CaseStage.DECISION or case.status != CaseStatus.ACTIVE:
        raise Conflict("decision.wrong_stage", _("案件进入“讨论决定”阶段后才能召开讨论决定会议。"))
    if case.decision_meetings.filter(status=DecisionMeeting.Status.OPEN).exists():
        raise Conflict("decision.already_open", _("已有一个未结束的讨论决定会议。"))
    if not members:
        raise DomainError("decision.no_members", _("请填写应到会成员名单。"))
    meeting = DecisionMeeting(case=case, title=title, held_on=held_on or timezone.localdate(), place=place, mode=mode)
    full_clean_or_raise(meeting, exclude=["case"])
    meeting.save()
    names = []
    for i, m in enumerate(members):
        user, cadre = m.get("user"), m.get("cadre")
        if cadre is None and user is not None:
            cadre = user.cadre
        name = m.get("name") or (cadre.name if cadre else getattr(user, "display_name", ""))
        if name in names:
            raise DomainError("decision.duplicate_member", _("成员 %(n)s 重复。") % {"n": name})
        names.append(name)
        DecisionMember.objects.create(meeting=meeting, name=name, user=user, cadre=cadre, sort_order=i)
    record_event(kind="cases.decision_meeting.created", subject=meeting, actor=acting_user,
                 payload={"case": case.pk, "title": title, "held_on": meeting.held_on, "mode": mode, "members": names})
    return meeting


def _open_meeting(meeting) -> DecisionMeeting:
    meeting = DecisionMeeting.objects.select_for_update(of=("self",)).select_related("case__rule_set").get(pk=meeting.pk)
    if meeting.status == DecisionMeeting.Status.NOT_HELD:
        raise Conflict("decision.not_held", _("该会议不足法定人数，已记为会议无效，不能再修改；请重新召开讨论决定会议。"))
    if meeting.status != DecisionMeeting.Status.OPEN:
        raise Conflict("decision.closed", _("会议已形成决定，不能再修改。"))
    return meeting


@transaction.atomic
def open_voting(*, acting_user, meeting: DecisionMeeting) -> DecisionMeeting:
    """The clerk opens the stances (R15) once attendance shows a quorum; from then on each
    present member records their own agree / disagree / defer on their page."""
    from .. import decision_core
    from ..rules import params_in

    meeting = _open_meeting(meeting)
    if meeting.voting_open:
        raise Conflict("decision.voting_open", _("表态已经开始。"))
    members = list(meeting.members.all())
    present = sum(1 for m in members if m.present)
    quorum = params_in(meeting.case.rule_set, "R15").get("quorum", "2/3")
    if not decision_core.quorum_met(len(members), present, quorum):
        raise DomainError("decision.no_quorum", _("实到 %(p)d 人，未达到应到 %(m)d 人的法定到会比例 %(q)s，不能开始表态；"
                                                  "请点“结束会议”记为会议无效，再重新召开。") % {
            "p": present, "m": len(members), "q": quorum})
    meeting.voting_open = True
    meeting.save(update_fields=["voting_open"])
    record_event(kind="cases.decision_meeting.voting_opened", subject=meeting, actor=acting_user,
                 payload={"case": meeting.case_id, "members": len(members), "present": present})
    return meeting


def member_of(meeting: DecisionMeeting, user) -> DecisionMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return meeting.members.filter(user=user).first()


@transaction.atomic
def record_own_stance(*, acting_user, meeting: DecisionMeeting, candidate: Candidate, choice: str) -> DecisionVote:
    """A committee member's own stance on one candidate (open mode, after the clerk opened voting)."""
    meeting = _open_meeting(meeting)
    member = member_of(meeting, acting_user)
    if member is None:
        raise Forbidden("decision.not_member", _("您不是本会议的应到会成员，不能表态。"))
    if meeting.mode != VotingMode.OPEN:
        raise Conflict("decision.secret_mode", _("本会议为无记名投票，由工作人员录入计票结果。"))
    if not meeting.voting_open:
        raise Conflict("decision.voting_not_open", _("工作人员尚未开始表态，请稍候。"))
    if not member.present:
        raise DomainError("decision.absent", _("您未登记出席，不能表态。"))
    if candidate.case_id != meeting.case_id or candidate.status != CandidateStatus.ACTIVE:
        raise DomainError("decision.bad_candidate", _("该人选不在本次讨论范围内。"))
    recused = recused_members(meeting, [candidate]).get(candidate.pk, {})
    if member.pk in recused:
        raise DomainError("decision.recused", _("您须回避：%(why)s") % {"why": recused[member.pk]})
    if choice not in ("agree", "disagree", "defer"):
        raise DomainError("decision.bad_choice", _("表态只能是同意、不同意或缓议。"))
    vote, _created = DecisionVote.objects.update_or_create(meeting=meeting, member=member, candidate=candidate,
                                                           defaults={"choice": choice})
    record_event(kind="cases.decision_meeting.stance_recorded", subject=meeting, actor=acting_user,
                 payload={"candidate": candidate.pk, "name": candidate.cadre.name, "member": member.name,
                          "choice": choice})
    return vote


@transaction.atomic
def record_attendance(*, acting_user, meeting: DecisionMeeting, present: list[int],
                      absence_reasons: dict[int, str] | None = None) -> DecisionMeeting:
    meeting = _open_meeting(meeting)
    absence_reasons = absence_reasons or {}
    present = set(int(p) for p in present)
    members = list(meeting.members.all())
    unknown = present - {m.pk for m in members}
    if unknown:
        raise DomainError("decision.unknown_member", _("出席名单中有不是本会议成员的人。"))
    for m in members:
        m.present = m.pk in present
        m.absence_reason = "" if m.present else absence_reasons.get(m.pk, m.absence_reason)
        m.save(update_fields=["present", "absence_reason"])
    meeting.votes.exclude(member__in=present).delete()
    record_event(kind="cases.decision_meeting.attendance_recorded", subject=meeting, actor=acting_user,
                 payload={"members": len(members), "present": [m.name for m in members if m.present],
                          "absent": {m.name: m.absence_reason for m in members if not m.present}})
    return meeting


def recused_members(meeting: DecisionMeeting, candidates) -> dict[int, dict[int, str]]:
    """{candidate id: {member id: Chinese reason}} for members who must step aside (R19–R20)."""
    from ..recusal import load_graph, reason_text, recusal_options

    members = [m for m in meeting.members.all() if m.cadre_id]
    candidates = list(candidates)
    graph = load_graph({m.cadre_id for m in members} | {c.cadre_id for c in candidates})
    options = recusal_options(meeting.case.rule_set)
    out: dict[int, dict[int, str]] = {}
    for c in candidates:
        for m in members:
            reasons = graph.recusals(m.cadre_id, c.cadre_id, **options)
            if reasons:
                out.setdefault(c.pk, {})[m.pk] = "；".join(reason_text(r) for r in reasons)
    return out


def _voting_candidates(meeting):
    return list(meeting.case.candidates.filter(status=CandidateStatus.ACTIVE).select_related("cadre"))


@transaction.atomic
def record_votes(*, acting_user, meeting: DecisionMeeting, candidate: Candidate, choices: dict[int, str]) -> DecisionMeeting:
    """Open mode: each present member's agree / disagree / defer on one candidate."""
    meeting = _open_meeting(meeting)
    if meeting.mode != VotingMode.OPEN:
        raise Conflict("decision.secret_mode", _("本会议为无记名投票，请录入计票结果。"))
    if candidate.case_id != meeting.case_id or candidate.status != CandidateStatus.ACTIVE:
        raise DomainError("decision.bad_candidate", _("该人选不在本次讨论范围内。"))
    members = {m.pk: m for m in meeting.members.all()}
    recused = recused_members(meeting, [candidate]).get(candidate.pk, {})
    for member_id, choice in choices.items():
        member = members.get(int(member_id))
        if member is None:
            raise DomainError("decision.unknown_member", _("表态人不是本会议成员。"))
        if not choice:
            continue
        if not member.present:
            raise DomainError("decision.absent", _("%(name)s 未出席，不能表态。") % {"name": member.name})
        if member.pk in recused:
            raise DomainError("decision.recused", _("%(name)s 须回避：%(why)s") % {"name": member.name,
                                                                              "why": recused[member.pk]})
        if choice not in ("agree", "disagree", "defer"):
            raise DomainError("decision.bad_choice", _("表态只能是同意、不同意或缓议。"))
        DecisionVote.objects.update_or_create(meeting=meeting, member=member, candidate=candidate,
                                              defaults={"choice": choice})
    record_event(kind="cases.decision_meeting.votes_recorded", subject=meeting, actor=acting_user,
                 payload={"candidate": candidate.pk, "name": candidate.cadre.name,
                          "choices": {members[int(k)].name: v for k, v in choices.items() if v}})
    return meeting


@transaction.atomic
def record_secret_counts(*, acting_user, meeting: DecisionMeeting, candidate: Candidate, agree: int,
                         disagree: int, defer: int) -> DecisionMeeting:
    meeting = _open_meeting(meeting)
    if meeting.mode != VotingMode.SECRET:
        raise Conflict("decision.open_mode", _("本会议为逐一表态，请录入每位成员的意见。"))
    recused = recused_members(meeting, [candidate]).get(candidate.pk, {})
    voters = meeting.members.filter(present=True).exclude(pk__in=recused.keys()).count()
    if min(agree, disagree, defer) < 0 or agree + disagree + defer > voters:
        raise DomainError("decision.bad_counts", _("票数合计 %(n)d 超过有表决权的到会成员 %(v)d 人。") % {
            "n": agree + disagree + defer, "v": voters})
    SecretCount.objects.update_or_create(meeting=meeting, candidate=candidate,
                                         defaults={"agree": agree, "disagree": disagree, "defer": defer})
    record_event(kind="cases.decision_meeting.counts_recorded", subject=meeting, actor=acting_user,
                 payload={"candidate": candidate.pk, "name": candidate.cadre.name, "agree": agree,
                          "disagree": disagree, "defer": defer})
    return meeting


def compute_tally(meeting: DecisionMeeting):
    from .. import decision_core
    from ..rules import params_in

    r15 = params_in(meeting.case.rule_set, "R15")
    members = list(meeting.members.all())
    candidates = _voting_candidates(meeting)
    recused = recused_members(meeting, candidates)
    kwargs = {}
    if meeting.mode == VotingMode.SECRET:
        kwargs["secret_counts"] = {s.candidate_id: (s.agree, s.disagree, s.defer) for s in meeting.secret_counts.all()}
    else:
        votes: dict[int, dict[int, str]] = {}
        for v in meeting.votes.all():
            votes.setdefault(v.candidate_id, {})[v.member_id] = v.choice
        kwargs["votes"] = votes
    result = decision_core.tally(
        members=[m.pk for m in members], present=[m.pk for m in members if m.present],
        candidates=[c.pk for c in candidates], recused={k: set(v) for k, v in recused.items()},
        quorum=r15.get("quorum", "2/3"), threshold=r15.get("pass", "1/2"),
        pass_base=r15.get("pass_base", "expected"), **kwargs)
    return result, candidates, recused, members


@transaction.atomic
def close_decision_meeting(*, acting_user, meeting: DecisionMeeting) -> DecisionMeeting:
    """决定: tally under R15, re-run eligibility at decision time (pending checks now fail), mark
    candidates who did not pass; one event. A checkpoint is signed after commit when available."""
    from .. import decision_core

    meeting = _open_meeting(meeting)
    result, candidates, recused, members = compute_tally(meeting)
    if not result.quorum_met:
        return _close_not_held(acting_user, meeting, result, members)
    names = {m.pk: m.name for m in members}
    by_id = {c.pk: c for c in candidates}
    checks_by_id = {c.pk: run_eligibility(c, moment="decision") for c in candidates}
    # No more people than posts: among those who passed the vote and the re-check, the most
    # agree votes take each post's places (ties: earlier nomination first).
    selected = decision_core.fill_places(
        [t for t in result.candidates if t.passed and core.passed(checks_by_id[t.candidate])],
        {cp.post_id: cp.count for cp in meeting.case.case_posts.all()},
        {c.pk: c.post_id for c in candidates})
    rows = []
    for t in result.candidates:
        cand = by_id[t.candidate]
        checks = checks_by_id[cand.pk]
        eligible = core.passed(checks)
        passed = t.candidate in selected
        rows.append({**t.as_dict(), "name": cand.cadre.name, "post": cand.post_id, "eligible": eligible, "passed": passed,
                     "vote_passed": t.passed,
                     "eligibility_failed": [r.reason for r in checks if r.outcome == core.FAIL],
                     "recused": {names[m]: recused.get(cand.pk, {}).get(m, "") for m in t.recused}})
        cand.eligibility = [r.as_dict() for r in checks]
        cand.eligibility_passed = eligible
        cand.eligibility_checked_at = timezone.now()
        if not passed:
            cand.status = CandidateStatus.NOT_PASSED
            cand.status_reason = (_("讨论决定未获应到会成员半数以上同意") if not t.passed
                                  else _("讨论决定时资格复核未通过") if not eligible
                                  else _("同意票数未进入拟选职数"))
        cand.save(update_fields=["eligibility", "eligibility_passed", "eligibility_checked_at", "status",
                                 "status_reason"])
    meeting.result = {"members": result.members, "present": result.present, "quorum": result.quorum,
                      "quorum_met": result.quorum_met, "mode": meeting.mode, "candidates": rows,
                      "present_names": [m.name for m in members if m.present],
                      "absent": {m.name: m.absence_reason for m in members if not m.present}}
    meeting.status = DecisionMeeting.Status.CLOSED
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["result", "status", "closed_at"])
    record_event(kind="cases.decision.taken", subject=meeting, actor=acting_user,
                 payload={"case": meeting.case_id, **meeting.result, "rule": _r15_frozen(meeting),
                          "places": [[cp.post_id, cp.count] for cp in meeting.case.case_posts.all()]})
    _checkpoint_after_commit(_("讨论决定：%(case)s") % {"case": meeting.case.title})
    return meeting


def _close_not_held(acting_user, meeting: DecisionMeeting, result, members) -> DecisionMeeting:
    """R15: without a quorum the meeting decides nothing: no candidate changes, and a new
    meeting may be convened."""
    meeting.result = {"members": result.members, "present": result.present, "quorum": result.quorum,
                      "quorum_met": False, "mode": meeting.mode, "candidates": [],
                      "present_names": [m.name for m in members if m.present],
                      "absent": {m.name: m.absence_reason for m in members if not m.present}}
    meeting.status = DecisionMeeting.Status.NOT_HELD
    meeting.voting_open = False
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["result", "status", "voting_open", "closed_at"])
    record_event(kind="cases.decision_meeting.not_held", subject=meeting, actor=acting_user,
                 payload={"case": meeting.case_id, **meeting.result, "rule": _r15_frozen(meeting)})
    return meeting


def _r15_frozen(meeting: DecisionMeeting) -> dict:
    """R15 as frozen in the case's rule set, named by its version: what the offline verifier
    replays the decision under (gongxin.replay.decisions)."""
    from ..rules import params_in

    rule_set = meeting.case.rule_set
    return {"code": "R15", "rule_set": {"jurisdiction": rule_set.jurisdiction, "version": rule_set.version},
            "parameters": params_in(rule_set, "R15")}
