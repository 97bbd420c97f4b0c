"""/api/v1/matching/: the same actions, permissions and scope as the pages. Rankings are
lists of ids (sections for staff, staff entries for sections), best first."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema

from gongxin.core.errors import NotFound
from gongxin.people.models import OrgUnit

from . import actions, permissions, queries
from .models import MatchingRound, RoundStatus

router = Router(tags=["matching"])


class Error(Schema):
    code: str
    message: str
    details: dict = {}


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


class RoundOut(Schema):
    id: int
    title: str
    org_unit: str
    status: str
    rule: str
    ranking_deadline: dt.date


def _round_row(r: MatchingRound) -> dict:
    return {"id": r.pk, "title": r.title, "org_unit": r.org_unit.name, "status": r.status, "rule": r.rule,
            "ranking_deadline": r.ranking_deadline}


class RoundIn(Schema):
    org_unit_id: int
    title: str
    ranking_deadline: dt.date


class RankingIn(Schema):
    ranking: list


class RankingOut(Schema):
    ranking: list[int]


class StaffResultOut(Schema):
    entry_id: int
    cadre_id: int
    name: str
    outcome: str
    section: str | None = None
    why_not: list[str] = []


class RoundResultOut(RoundOut):
    certificate: dict | None = None
    staff: list[StaffResultOut] = []
    differences: list[dict] = []


@router.get("/rounds", response={200: list[RoundOut], **ERRORS})
def list_rounds(request):
    return [_round_row(r) for r in permissions.rounds_managed_by(request.auth).select_related("org_unit")[:500]]


@router.post("/rounds", response={201: RoundOut, **ERRORS})
def create_round(request, data: RoundIn):
    permissions.require(request.auth, permissions.can_manage_matching(request.auth))
    unit = OrgUnit.objects.filter(pk=data.org_unit_id).first()
    if unit is None:
        raise NotFound("matching.unit.not_found", _("该单位不在您的数据范围内。"))
    r = actions.create_round(acting_user=request.auth, org_unit=unit, title=data.title,
                             ranking_deadline=data.ranking_deadline)
    return 201, _round_row(r)


@router.get("/rounds/{round_id}", response={200: RoundResultOut, **ERRORS})
def get_round(request, round_id: int):
    r = permissions.get_round_for_manager(request.auth, round_id)
    row = _round_row(r)
    if r.status != RoundStatus.RANKING:
        names = queries.section_names(r)
        row["certificate"] = r.outputs["certificate"]
        row["staff"] = [{"entry_id": e.pk, "cadre_id": e.cadre_id, "name": e.cadre.name, "outcome": e.outcome,
                         "section": e.section.section.name if e.section else None,
                         "why_not": queries.why_not_lines(r, e, names)} for e in queries.staff_rows(r)]
        row["differences"] = queries.differences(r)
    return row


@router.post("/rounds/{round_id}/close", response={200: RoundOut, **ERRORS})
def close_round(request, round_id: int):
    r = permissions.get_round_for_manager(request.auth, round_id)
    return _round_row(actions.close_round(acting_user=request.auth, round_=r))


@router.post("/rounds/{round_id}/publish", response={200: RoundOut, **ERRORS})
def publish_round(request, round_id: int):
    r = permissions.get_round_for_manager(request.auth, round_id)
    return _round_row(actions.publish_round(acting_user=request.auth, round_=r))


@router.put("/rounds/{round_id}/my-ranking", response={200: RankingOut, **ERRORS})
def put_my_ranking(request, round_id: int, data: RankingIn):
    entry = permissions.get_staff_entry_for_user(request.auth, round_id)
    entry = actions.submit_staff_ranking(acting_user=request.auth, entry=entry, ranking=data.ranking)
    return {"ranking": entry.ranking}


@router.put("/rounds/{round_id}/sections/{section_id}/ranking", response={200: RankingOut, **ERRORS})
def put_section_ranking(request, round_id: int, section_id: int, data: RankingIn):
    section = permissions.get_section_for_user(request.auth, round_id, section_id)
    section = actions.submit_section_ranking(acting_user=request.auth, section=section, ranking=data.ranking)
    return {"ranking": section.ranking}


@router.get("/rounds/{round_id}/my-result", response={200: StaffResultOut, **ERRORS})
def my_result(request, round_id: int):
    entry = permissions.get_staff_entry_for_user(request.auth, round_id)
    r = entry.round
    published = r.status == RoundStatus.PUBLISHED
    return {"entry_id": entry.pk, "cadre_id": entry.cadre_id, "name": entry.cadre.name,
            "outcome": entry.outcome if published else "pending",
            "section": entry.section.section.name if published and entry.section else None,
            "why_not": queries.why_not_lines(r, entry) if published else []}
