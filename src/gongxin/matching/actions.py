"""Every write in two-way selection: atomic, keyword-only ``acting_user``, one ledger event per
state change in the same transaction. Rankings are sealed: a submission's event holds only a
digest of the list; the lists themselves enter the ledger when the round closes, beside the
outputs, so the offline verifier can recompute the matching (``core.replay_round``)."""

import datetime as dt
import hashlib

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.accounts.scope import unit_q
from gongxin.core.errors import Conflict, DomainError, NotFound
from gongxin.ledger.canonical import canonical_json
from gongxin.ledger.recording import record_event
from gongxin.people.models import (
    Cadre,
    CadreStatus,
    OrgUnit,
    OrgUnitKind,
    Post,
    PostHolding,
    PostKind,
)

from . import core, workflow
from .models import MatchingRound, Outcome, RoundSection, RoundStaff, RoundStatus

RULE_CODE = "TWS"


def refused(exc: core.InvalidRanking) -> DomainError:
    return DomainError(exc.code, _(exc.template) % exc.params if exc.params else _(exc.template))


def _digest(ranking: list) -> str:
    return hashlib.sha256(canonical_json({"ranking": [str(x) for x in ranking]})).hexdigest()


def _rule_in_force() -> tuple[str, str]:
    """(rule, source) from the TWS rule row; staff-optimal when no rule set has the row."""
    from gongxin.cases.rules import get_rule, rule_set_in_force

    try:
        rule_set = rule_set_in_force()
        row = get_rule(rule_set, RULE_CODE)
    except DomainError:
        return core.STAFF_OPTIMAL, _("默认：人员最优")
    rule = row.parameters.get("rule", core.STAFF_OPTIMAL)
    return (rule if rule in core.RULES else core.STAFF_OPTIMAL), f"{row.name}：{row.source}"


def section_headcounts(org_unit: OrgUnit) -> dict[OrgUnit, int]:
    """A unit's sections and their headcounts: the active general (一般岗位) posts of each."""
    rows = (Post.objects.filter(org_unit__parent=org_unit, org_unit__kind=OrgUnitKind.SECTION, is_active=True,
                                kind=PostKind.STAFF)
            .values("org_unit").annotate(n=Sum("headcount")))
    counts = {r["org_unit"]: r["n"] for r in rows if r["n"]}
    return {u: counts[u.pk] for u in OrgUnit.objects.filter(pk__in=counts).order_by("sort_order", "name")}


def staff_in_scope(org_unit: OrgUnit):
    """Active cadres of the unit and its sections who hold no open leading or middle-level post
    (the middle-level heads are fixed before a two-way selection)."""
    heads = PostHolding.objects.filter(end__isnull=True).exclude(post__kind=PostKind.STAFF).values("cadre")
    return (Cadre.objects.filter(Q(org_unit=org_unit) | Q(org_unit__parent=org_unit, org_unit__kind=OrgUnitKind.SECTION),
                                 status=CadreStatus.ACTIVE).exclude(pk__in=heads))


@transaction.atomic
def create_round(*, acting_user, org_unit: OrgUnit, title: str, ranking_deadline: dt.date,
                 cadres=None) -> MatchingRound:
    if acting_user is not None and not OrgUnit.objects.filter(unit_q(acting_user, "self"), pk=org_unit.pk).exists():
        raise NotFound("matching.unit.not_found", _("该单位不在您的数据范围内。"))
    title = (title or "").strip()
    if not title:
        raise DomainError("matching.round.title", _("请填写本轮双向选择的名称。"))
    if ranking_deadline < timezone.localdate():
        raise DomainError("matching.round.deadline", _("排序截止日期不能早于今天。"))
    sections = section_headcounts(org_unit)
    if not sections:
        raise DomainError("matching.round.no_sections",
                          _("%(unit)s 没有设一般岗位职数的内设机构：请先在单位管理中为科室设置岗位和职数。") % {"unit": org_unit})
    eligible = staff_in_scope(org_unit)
    if cadres is None:
        people = list(eligible)
    else:
        people = list(cadres)
        allowed = set(eligible.filter(pk__in=[c.pk for c in people]).values_list("pk", flat=True))
        for cadre in people:
            if cadre.pk not in allowed:
                raise DomainError("matching.staff.out_of_scope",
                                  _("%(name)s 不是 %(unit)s 可参加双向选择的人员（须为本单位及其科室在职人员，且未任中层以上职务）。")
                                  % {"name": cadre.name, "unit": org_unit})
    if not people:
        raise DomainError("matching.round.no_staff", _("%(unit)s 没有可参加双向选择的人员。") % {"unit": org_unit})
    rule, source = _rule_in_force()
    round_ = MatchingRound.objects.create(org_unit=org_unit, title=title, ranking_deadline=ranking_deadline,
                                          rule=rule, rule_source=source[:300], created_by=acting_user)
    RoundSection.objects.bulk_create([RoundSection(round=round_, section=u, headcount=n) for u, n in sections.items()])
    RoundStaff.objects.bulk_create([RoundStaff(round=round_, cadre=c) for c in people])
    record_event(kind="matching.round.created", subject=round_, actor=acting_user, payload={
        "org_unit": org_unit.pk, "title": title, "ranking_deadline": ranking_deadline.isoformat(), "rule": rule,
        "rule_source": source,
        "sections": {str(s.pk): {"section": s.section_id, "headcount": s.headcount} for s in round_.sections.all()},
        "staff": {str(e.pk): e.cadre_id for e in round_.staff.all()},
    })
    return round_


def _locked_round(round_id) -> MatchingRound:
    return MatchingRound.objects.select_for_update().get(pk=round_id)


def _check_ranking_open(round_) -> None:
    blockers = workflow.ranking_blockers(round_, timezone.localdate())
    if blockers:
        raise Conflict("matching.ranking.closed", blockers[0])


@transaction.atomic
def submit_staff_ranking(*, acting_user, entry: RoundStaff, ranking: list) -> RoundStaff:
    """A staff member's sections, best first (only the ones they accept)."""
    round_ = _locked_round(entry.round_id)
    known = round_.sections.values_list("pk", flat=True)
    return _save_ranking(acting_user, round_, entry, ranking, known, kind="section", side="staff")


@transaction.atomic
def submit_section_ranking(*, acting_user, section: RoundSection, ranking: list) -> RoundSection:
    """A section's staff, best first (only the ones it accepts)."""
    round_ = _locked_round(section.round_id)
    known = round_.staff.values_list("pk", flat=True)
    return _save_ranking(acting_user, round_, section, ranking, known, kind="staff", side="section")


def _save_ranking(acting_user, round_, row, ranking, known, *, kind, side):
    """Check and store one side's list (inside the caller's transaction, round locked). The
    event holds a digest only: the lists stay sealed until the round closes."""
    _check_ranking_open(round_)
    flat = all(not isinstance(x, (list, tuple, set)) for x in ranking)
    try:
        checked = core.check_ranking([str(x) for x in ranking] if flat else ranking, {str(pk) for pk in known},
                                     kind=kind)
    except core.InvalidRanking as exc:
        raise refused(exc) from None
    row = type(row).objects.select_for_update().get(pk=row.pk)
    row.ranking = [int(x) for x in checked]
    row.ranked_at = timezone.now()
    row.save(update_fields=["ranking", "ranked_at"])
    record_event(kind="matching.preference.submitted", subject=row, actor=acting_user, payload={
        "round": round_.pk, "side": side, "entry": row.pk, "length": len(checked), "digest": _digest(checked)})
    return row


def round_inputs(round_: MatchingRound) -> dict:
    return {"rule": round_.rule,
            "staff": {str(e.pk): [str(s) for s in e.ranking] for e in round_.staff.all().order_by("pk")},
            "sections": {str(s.pk): {"headcount": s.headcount, "ranking": [str(p) for p in s.ranking]}
                         for s in round_.sections.all().order_by("pk")}}


@transaction.atomic
def set_round_rule(*, acting_user, round_: MatchingRound, rule: str, reason: str) -> MatchingRound:
    """The committee's choice of matching for this round, before it closes."""
    round_ = _locked_round(round_.pk)
    if round_.status != RoundStatus.RANKING:
        raise Conflict("matching.round.closed", _("本轮双向选择已经结束匹配，不能再更改匹配方案。"))
    if rule not in core.RULES:
        raise DomainError("matching.rule.unknown", _("请选择人员最优或科室最优。"))
    if not (reason or "").strip():
        raise DomainError("matching.rule.reason", _("请填写党委研究决定的理由。"))
    old = round_.rule
    round_.rule = rule
    round_.rule_source = _("党委决定：%(reason)s") % {"reason": reason.strip()[:250]}
    round_.save(update_fields=["rule", "rule_source"])
    record_event(kind="matching.round.rule_changed", subject=round_, actor=acting_user,
                 payload={"from": old, "to": rule, "reason": reason.strip()})
    return round_


@transaction.atomic
def close_round(*, acting_user, round_: MatchingRound) -> MatchingRound:
    """Close ranking and match: the rule in force, its certificate, and the other stable matching
    for comparison. Inputs and outputs go into the ledger together."""
    round_ = _locked_round(round_.pk)
    blockers = workflow.close_blockers(round_)
    if blockers:
        raise Conflict("matching.round.closed", blockers[0])
    inputs = round_inputs(round_)
    with core.collector_paused():
        try:
            inst = core.Instance.from_inputs(inputs)
        except core.InvalidRanking as exc:
            raise refused(exc) from None
        chosen = core.solve(inst, round_.rule)
        other = core.solve(inst, core.SECTION_OPTIMAL if round_.rule == core.STAFF_OPTIMAL else core.STAFF_OPTIMAL)
    if not chosen.certificate["stable"]:  # the algorithm's own output failed the independent check
        raise DomainError("matching.certificate.failed", _("匹配结果未通过稳定性核验，已中止，请联系系统管理员。"))
    differ = core.differences(chosen, other)
    entries = list(round_.staff.all())
    for e in entries:
        s = chosen.matching[str(e.pk)]
        e.section_id = int(s) if s else None
        e.outcome = Outcome.MATCHED if s else Outcome.UNMATCHED
    RoundStaff.objects.bulk_update(entries, ["section", "outcome"])
    round_.inputs = inputs
    round_.outputs = chosen.outputs()
    round_.alternative = {"rule": other.rule, "matching": other.matching, "differences": [list(d) for d in differ]}
    round_.status = RoundStatus.CLOSED
    round_.closed_at = timezone.now()
    round_.save(update_fields=["inputs", "outputs", "alternative", "status", "closed_at"])
    record_event(kind="matching.round.closed", subject=round_, actor=acting_user, payload={
        "inputs": inputs, "outputs": round_.outputs,
        "alternative": {"rule": other.rule, "differences": [list(d) for d in differ]}})
    return round_


@transaction.atomic
def publish_round(*, acting_user, round_: MatchingRound) -> MatchingRound:
    round_ = _locked_round(round_.pk)
    blockers = workflow.publish_blockers(round_)
    if blockers:
        raise Conflict("matching.round.publish", blockers[0])
    round_.status = RoundStatus.PUBLISHED
    round_.published_at = timezone.now()
    round_.save(update_fields=["status", "published_at"])
    listing = [{"cadre": e.cadre_id, "outcome": e.outcome, "section": e.section_id}
               for e in round_.staff.order_by("pk")]
    record_event(kind="matching.round.published", subject=round_, actor=acting_user, payload={"list": listing})
    return round_


def spare_headcount(section: RoundSection) -> int:
    taken = section.members.filter(outcome__in=[Outcome.MATCHED, Outcome.ASSIGNED]).count()
    return section.headcount - taken


def _locked_for_decision(entry: RoundStaff) -> tuple[MatchingRound, RoundStaff]:
    """The round and the entry, locked, once the match is done (committee decisions)."""
    round_ = _locked_round(entry.round_id)
    blockers = workflow.decision_blockers(round_)
    if blockers:
        raise Conflict("matching.decision.too_early", blockers[0])
    return round_, RoundStaff.objects.select_for_update().select_related("cadre").get(pk=entry.pk)


def _decide(entry: RoundStaff, outcome: str, section, reason: str, review_on) -> None:
    entry.outcome, entry.section = outcome, section
    entry.decision_reason, entry.review_on, entry.decided_at = reason.strip(), review_on, timezone.now()
    entry.save(update_fields=["outcome", "section", "decision_reason", "review_on", "decided_at"])


@transaction.atomic
def assign_unmatched(*, acting_user, entry: RoundStaff, section: RoundSection, reason: str) -> RoundStaff:
    """The committee places a person the matching left unmatched (or on standby) in a section
    with spare headcount."""
    round_, entry = _locked_for_decision(entry)
    if entry.outcome not in (Outcome.UNMATCHED, Outcome.STANDBY):
        raise Conflict("matching.assignment.not_unmatched",
                       _("%(name)s 已有去向（%(outcome)s），只有未匹配或待岗人员才能由党委分配。")
                       % {"name": entry.cadre.name, "outcome": entry.get_outcome_display()})
    if section.round_id != round_.pk:
        raise DomainError("matching.ranking.unknown_section", _("所选科室不属于本轮双向选择。"))
    if not (reason or "").strip():
        raise DomainError("matching.assignment.reason", _("请填写党委分配的理由。"))
    if spare_headcount(section) <= 0:
        raise Conflict("matching.assignment.full", _("%(section)s 已无空余职数，请选择其他科室。") % {"section": section})
    _decide(entry, Outcome.ASSIGNED, section, reason, None)
    record_event(kind="matching.committee_assignment.recorded", subject=entry, actor=acting_user, payload={
        "round": round_.pk, "cadre": entry.cadre_id, "section": section.pk, "reason": entry.decision_reason})
    return entry


@transaction.atomic
def put_on_standby(*, acting_user, entry: RoundStaff, reason: str, review_on: dt.date | None) -> RoundStaff:
    """The committee's decision that a person goes on standby (待岗), with a review date."""
    round_, entry = _locked_for_decision(entry)
    if entry.outcome == Outcome.STANDBY:
        raise Conflict("matching.standby.already", _("%(name)s 已经待岗。") % {"name": entry.cadre.name})
    if not (reason or "").strip():
        raise DomainError("matching.standby.reason", _("请填写待岗的理由（党委研究决定的依据）。"))
    if review_on is None or review_on <= timezone.localdate():
        raise DomainError("matching.standby.review_on", _("请填写今天以后的复核日期。"))
    previous = entry.outcome
    _decide(entry, Outcome.STANDBY, None, reason, review_on)
    record_event(kind="matching.standby.decided", subject=entry, actor=acting_user, payload={
        "round": round_.pk, "cadre": entry.cadre_id, "previous": previous, "reason": entry.decision_reason,
        "review_on": review_on.isoformat()})
    return entry

