"""The public's evaluation of the units (群众评议) as a survey round on the meetings machinery:
a rating meeting with one item per unit that has results this year, answered 好 / 较好 / 一般 /
差 / 不了解 with one-time codes, on phones or paper, into the sealed box, counted and published
like any meeting (its ballot file recounts with ``python -m gongxin.recount``). Once the
meeting is closed, :func:`apply_public_evaluation` turns each item's counts into the unit's
public score (the mean of the option values of R23 "public", 不了解 left out) and scores the
year again. With ``leaders=True`` the same survey also rates each unit's leaders (one item per
leader after the unit's), and each leader's public score comes from those sealed ballots too. The clerk runs the meeting itself on the meetings pages (electors, codes, open,
paper ballots, close with the tellers' key shares)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongxin.cases.rules import rule_params
from gongxin.core.errors import Conflict, DomainError
from gongxin.ledger.recording import record_event
from gongxin.meetings import actions as meeting_actions
from gongxin.meetings import rating
from gongxin.meetings.models import Meeting, MeetingMode, MeetingStatus
from gongxin.people.models import OrgUnit

from . import actions, scoring
from .models import AssessmentYear, UnitResult
from .queries import unit_leaders

# The levels and their kinds (as the rating ballot counts them); values come from R23 "public".
OPTIONS = [
    {"key": "good", "label": "好", "kind": "favourable"},
    {"key": "fair", "label": "较好", "kind": "favourable"},
    {"key": "average", "label": "一般", "kind": "neutral"},
    {"key": "poor", "label": "差", "kind": "unfavourable"},
    {"key": "unknown", "label": "不了解", "kind": "unknown"},
]
VALUED = (("good", gettext_lazy("好")), ("fair", gettext_lazy("较好")), ("average", gettext_lazy("一般")),
          ("poor", gettext_lazy("差")))
DEFAULT_VALUES = {"good": "1", "fair": "0.8", "average": "0.6", "poor": "0.2"}


def option_values(on: dt.date | None = None) -> dict[str, float | None]:
    """Each option's value under the rule in force (不了解 has none)."""
    from fractions import Fraction

    configured = rule_params("R23", variant="public", on=on).get("option_values") or {}
    values = {key: float(Fraction(str(configured.get(key, default)))) for key, default in DEFAULT_VALUES.items()}
    return {**values, "unknown": None}


def _units(year: AssessmentYear) -> list[OrgUnit]:
    ids = UnitResult.objects.filter(year=year).values_list("org_unit_id", flat=True).distinct()
    return list(OrgUnit.objects.filter(pk__in=list(ids)).order_by("path"))


@transaction.atomic
def open_public_evaluation(*, acting_user, year: AssessmentYear, meeting_date: dt.date | None = None,
                           electors=(), leaders: bool = False) -> Meeting:
    """Create the survey meeting (not yet open): one item per unit with results this year, and
    with ``leaders`` one item per leader of each unit (those holding a post there on 31 December,
    as graded). Its electorate (the public's representatives) and codes are managed on the
    meeting's page."""
    year = actions.lock_open_year(year)
    if year.public_meeting_id:
        raise Conflict("assessment.public_exists", _("%(year)s 年度的群众评议已经建立。") % {"year": year.year})
    units = _units(year)
    if not units:
        raise DomainError("assessment.public_no_units", _("还没有单位录入考核数据：先录入或导入，再建立群众评议。"))
    roots = {u.path.split(".", 1)[0] + "." for u in units}  # (a path is "0001.0007.": its first segment is the root)
    root = OrgUnit.objects.filter(parent__isnull=True, path__in=roots).order_by("path").first()
    meeting = meeting_actions.create_meeting(
        acting_user=acting_user, title=_("%(year)s 年度综合考核群众评议") % {"year": year.year},
        org_unit=root or units[0], mode=MeetingMode.RATING, meeting_date=meeting_date or timezone.localdate(),
        rules=meeting_actions.default_rules())
    items, leader_items = {}, {}
    for unit in units:
        item = meeting_actions.add_post(acting_user=acting_user, meeting=meeting, title=unit.name, options=OPTIONS)
        items[item.key] = unit.pk
        for cadre in unit_leaders(unit, on=dt.date(year.year, 12, 31)) if leaders else ():
            item = meeting_actions.add_post(acting_user=acting_user, meeting=meeting, options=OPTIONS,
                                            title=_("%(unit)s　%(name)s") % {"unit": unit.name, "name": cadre.name})
            leader_items[item.key] = [cadre.pk, unit.pk]
    if electors:
        meeting_actions.add_electors(acting_user=acting_user, meeting=meeting, cadres=list(electors))
    year.public_meeting, year.public_items, year.public_leader_items = meeting, items, leader_items
    year.save(update_fields=["public_meeting", "public_items", "public_leader_items"])
    record_event(kind="assessment.public_evaluation.created", subject=year, actor=acting_user, payload={
        "year": year.year, "meeting": meeting.pk, "items": items, "leader_items": leader_items, "options": OPTIONS})
    return meeting


def _rated(year: AssessmentYear) -> list[dict]:
    """Every item's counts and rates (meetings.rating) and its public score, from the closed
    meeting's tally; [] before it is closed."""
    meeting = year.public_meeting
    if meeting is None or meeting.status not in (MeetingStatus.CLOSED, MeetingStatus.PUBLISHED) \
            or not hasattr(meeting, "result"):
        return []
    posts = meeting_actions.posts_of(meeting)
    items = [{"key": p.key, "title": p.title, "options": p.options} for p in posts]
    rated = rating.rate_result(meeting.result.tally, items, meeting_actions.rating_rules_of(meeting))
    values = option_values(meeting.meeting_date)
    out = []
    for item in rated:
        try:
            out.append({**item, "score": scoring.public_score(item["counts"], values)})
        except scoring.ScoringError as exc:
            raise actions.refuse(exc) from None
    return out


def unit_results(year: AssessmentYear) -> list[dict]:
    """Per unit: the item's counts and rates and the public score; [] before it is closed."""
    rated = [r for r in _rated(year) if r["key"] in year.public_items]
    units = OrgUnit.objects.in_bulk([int(v) for v in year.public_items.values()])
    return [{**r, "unit": units.get(year.public_items[r["key"]]), "unit_id": year.public_items[r["key"]]}
            for r in rated]


def leader_results(year: AssessmentYear) -> list[dict]:
    """Per leader rated in the survey: the item's counts and the leader's public score."""
    from gongxin.people.models import Cadre

    rated = [r for r in _rated(year) if r["key"] in year.public_leader_items]
    cadres = Cadre.objects.in_bulk([cadre for cadre, _unit in year.public_leader_items.values()])
    out = []
    for r in rated:
        cadre_id, unit_id = year.public_leader_items[r["key"]]
        out.append({**r, "cadre": cadres.get(cadre_id), "cadre_id": cadre_id, "unit_id": unit_id})
    return out


@transaction.atomic
def apply_public_evaluation(*, acting_user, year: AssessmentYear) -> list[dict]:
    """Take the closed survey's results into the year: each unit's public score, then the
    scores computed again. Applying again gives the same scores."""
    year = actions.lock_open_year(year)
    meeting = year.public_meeting
    if meeting is None:
        raise DomainError("assessment.public_missing", _("本年度还没有建立群众评议。"))
    if meeting.status not in (MeetingStatus.CLOSED, MeetingStatus.PUBLISHED):
        raise DomainError("assessment.public_not_closed",
                          _("群众评议会议“%(title)s”还没有结束计票：请先在会议页面结束投票。") % {"title": meeting.title})
    results, leaders = unit_results(year), leader_results(year)
    scores = {r["unit_id"]: round(r["score"], 6) for r in results if r["score"] is not None}
    people = {r["cadre_id"]: round(r["score"], 6) for r in leaders if r["score"] is not None}
    actions.record_public_scores(acting_user=acting_user, year=year, unit_scores=scores, cadre_scores=people)
    year.public_applied_at = timezone.now()
    year.save(update_fields=["public_applied_at"])
    record_event(kind="assessment.public_evaluation.applied", subject=year, actor=acting_user, public=True, payload={
        "year": year.year, "meeting": meeting.pk, "ballots_sha256": meeting.result.ballots_sha256,
        "values": {k: v for k, v in option_values(meeting.meeting_date).items() if v is not None},
        "units": {str(r["unit_id"]): {"counts": r["counts"], "score": None if r["score"] is None else round(r["score"], 6)}
                  for r in results},
        "leaders": {str(r["cadre_id"]): {"counts": r["counts"], "score": None if r["score"] is None else round(r["score"], 6)}
                    for r in leaders}})
    actions.compute_scores(acting_user=acting_user, year=year)
    return results
