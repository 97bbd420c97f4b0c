"""/api/v1/people/: units, posts, cadres with resume and relations. Same actions, permissions
and data scope as the pages."""

import datetime as dt

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from gongxin.core.api_types import Age, OptionalId, Pages
from gongxin.core.errors import DomainError, NotFound

from . import actions, permissions
from .access import log_access, log_id_numbers_shown
from .export import cadres_to_xlsx
from .models import AccessLog, Cadre, Rank, Relation, ResumeEntry
from .queries import CadreFilters, cadre_detail, cadres_for_user, posts_for_user
from .schemas import (
    CadreFields,
    CadreIn,
    CadreListOut,
    CadreOut,
    Error,
    PostOut,
    RelationIn,
    RelationOut,
    ResumeEntryIn,
    ResumeEntryOut,
    UnitOut,
)

router = Router(tags=["people"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


class CadreQuery(Schema):
    q: str = ""
    unit: OptionalId = None
    rank: str = ""
    age_min: Age | None = None
    age_max: Age | None = None
    sex: str = ""
    sort: str = "name"


def _list_row(c: Cadre, user, shown: list | None = None) -> dict:
    full = permissions.can_view_id_number(user, c)
    if full and shown is not None:
        shown.append(c)
    return {
        "id": c.pk, "name": c.name, "sex": c.sex, "birth_date": c.birth_date, "age": c.age,
        "ethnicity": c.ethnicity, "political_status": c.political_status,
        "fulltime_education": c.fulltime_education, "org_unit_id": c.org_unit_id, "org_unit": c.org_unit.name,
        "rank": c.rank.code if c.rank_id else None, "current_post_title": c.current_post_title,
        "id_number": c.id_number if full else c.masked_id_number,
    }


def _detail(c: Cadre, request, *, logged: bool = False) -> dict:
    """The full record; a full 身份证号 in it is logged unless the caller logged the read."""
    user = request.auth
    c = cadre_detail(c)
    shown: list[Cadre] = []
    row = _list_row(c, user, shown)
    if shown and not logged:
        log_id_numbers_shown(request, shown, detail="api record")
    for field in CadreOut.model_fields:
        if field not in row and hasattr(c, field):
            row[field] = getattr(c, field)
    row["resume"] = [{**{f: getattr(e, f) for f in ResumeEntryIn.model_fields}, "id": e.pk, "line": e.line}
                     for e in c.resume_entries.all()]
    row["relations"] = [{**{f: getattr(r, f) for f in RelationIn.model_fields}, "id": r.pk} for r in c.relations.all()]
    row["holdings"] = [{"id": h.pk, "post_id": h.post_id, "post": str(h.post), "start": h.start, "end": h.end,
                        "probation_end": h.probation_end} for h in c.post_holdings.all()]
    return row


def _resolve(user, data: dict) -> dict:
    """Turn API ids and codes into objects, inside the user's scope."""
    if "org_unit_id" in data:
        data["org_unit"] = permissions.get_unit_for_user(user, data.pop("org_unit_id"))
    if "rank" in data:
        code = data.pop("rank")
        data["rank"] = None
        if code:
            data["rank"] = Rank.objects.filter(code=code).first()
            if data["rank"] is None:
                message = _("没有职级代码 %(code)s。") % {"code": code}
                raise DomainError("rank.unknown", message, {"fields": {"rank": [message]}})
    if data.get("id_number"):
        data["id_number"] = "".join(data["id_number"].split()).upper()
    return data


@router.get("/units", response={200: list[UnitOut], **ERRORS})
def list_units(request):
    permissions.require(request.auth, permissions.can_edit_cadres(request.auth))
    return list(permissions.units_for_user(request.auth))


@router.get("/units/{unit_id}", response={200: UnitOut, **ERRORS})
def get_unit(request, unit_id: int):
    return permissions.get_unit_for_user(request.auth, unit_id, edit=True)


@router.get("/posts", response={200: list[PostOut], **ERRORS})
@paginate(Pages, page_size=50)
def list_posts(request, unit: OptionalId = None):
    permissions.require(request.auth, permissions.can_edit_cadres(request.auth))
    return posts_for_user(request.auth, unit=unit)


@router.get("/cadres", response={200: list[CadreListOut], **ERRORS})
@paginate(Pages, page_size=50)
def list_cadres(request, filters: Query[CadreQuery]):
    permissions.require(request.auth, permissions.can_view_cadres(request.auth))
    user = request.auth
    return _LazyRows(cadres_for_user(user, CadreFilters(**filters.dict())), user, request)


class _LazyRows:
    """Lets the paginator slice the queryset before rows are built."""

    def __init__(self, qs, user, request):
        self.qs, self.user, self.request = qs, user, request

    def count(self):
        return self.qs.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        shown: list[Cadre] = []
        rows = [_list_row(c, self.user, shown) for c in self.qs[item]]
        if shown:
            log_id_numbers_shown(self.request, shown, detail="api list")
        return rows


@router.get("/cadres/export.xlsx", response={200: None, **ERRORS}, openapi_extra={
    "responses": {200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}}})
def export_cadres(request, filters: Query[CadreQuery]):
    user = request.auth
    permissions.require(user, permissions.can_export_cadres(user))
    f = CadreFilters(**filters.dict())
    show = permissions.can_view_id_number(user)
    data = cadres_to_xlsx(cadres_for_user(user, f), show_id_numbers=show)
    log_access(request, what=AccessLog.What.EXPORT, detail=f"api cadres {f.describe()} full_id={show}")
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="cadres.xlsx"'
    return response


@router.get("/cadres/{cadre_id}", response={200: CadreOut, **ERRORS})
def get_cadre(request, cadre_id: int):
    cadre = permissions.get_cadre_for_user(request.auth, cadre_id)
    full = permissions.can_view_id_number(request.auth, cadre)
    log_access(request, what=AccessLog.What.API, cadre=cadre, detail=f"api detail full_id={full}")
    return _detail(cadre, request, logged=True)


@router.post("/cadres", response={201: CadreOut, **ERRORS})
def create_cadre(request, payload: CadreIn):
    permissions.require(request.auth, permissions.can_edit_cadres(request.auth))
    data = _resolve(request.auth, payload.dict(exclude_none=True))
    cadre = actions.create_cadre(acting_user=request.auth, **data)
    return Status(201, _detail(cadre, request))


@router.patch("/cadres/{cadre_id}", response={200: CadreOut, **ERRORS})
def update_cadre(request, cadre_id: int, payload: CadreFields):
    cadre = permissions.get_cadre_for_user(request.auth, cadre_id, edit=True)
    data = _resolve(request.auth, payload.dict(exclude_unset=True))
    cadre = actions.update_cadre(acting_user=request.auth, cadre=cadre, **data)
    return _detail(cadre, request)


class PositionCorrectionIn(Schema):
    reason: str
    rank: str | None = None
    rank_since: dt.date | None = None
    current_post_title: str | None = None


@router.post("/cadres/{cadre_id}/position-correction", response={200: CadreOut, **ERRORS})
def correct_position(request, cadre_id: int, payload: PositionCorrectionIn):
    """更正职级和职务: the named correction (reason required, public ledger event); rank and
    current post never change through PATCH."""
    cadre = permissions.get_cadre_for_user(request.auth, cadre_id, edit=True)
    data = payload.dict(exclude_none=True)
    reason = data.pop("reason")
    cadre = actions.correct_position(acting_user=request.auth, cadre=cadre, reason=reason,
                                     **_resolve(request.auth, data))
    return _detail(cadre, request)


@router.post("/cadres/{cadre_id}/resume", response={201: ResumeEntryOut, **ERRORS})
def add_resume_entry(request, cadre_id: int, payload: ResumeEntryIn):
    cadre = permissions.get_cadre_for_user(request.auth, cadre_id, edit=True)
    entry = actions.add_resume_entry(acting_user=request.auth, cadre=cadre, **payload.dict())
    return Status(201, {**payload.dict(), "id": entry.pk, "line": entry.line})


@router.delete("/cadres/{cadre_id}/resume/{entry_id}", response={204: None, **ERRORS})
def remove_resume_entry(request, cadre_id: int, entry_id: int):
    cadre = permissions.get_cadre_for_user(request.auth, cadre_id, edit=True)
    entry = ResumeEntry.objects.filter(cadre=cadre, pk=entry_id).first()
    if entry is None:
        raise NotFound("resume_entry.not_found", _("没有找到这条简历。"))
    actions.remove_resume_entry(acting_user=request.auth, entry=entry)
    return Status(204, None)


@router.post("/cadres/{cadre_id}/relations", response={201: RelationOut, **ERRORS})
def add_relation(request, cadre_id: int, payload: RelationIn):
    cadre = permissions.get_cadre_for_user(request.auth, cadre_id, edit=True)
    data = payload.dict()
    related_id = data.pop("related_cadre_id")
    if related_id is not None:
        data["related_cadre"] = permissions.get_cadre_for_user(request.auth, related_id)
    relation = actions.add_relation(acting_user=request.auth, cadre=cadre, **data)
    return Status(201, {**payload.dict(), "id": relation.pk})


@router.delete("/cadres/{cadre_id}/relations/{relation_id}", response={204: None, **ERRORS})
def remove_relation(request, cadre_id: int, relation_id: int):
    cadre = permissions.get_cadre_for_user(request.auth, cadre_id, edit=True)
    relation = Relation.objects.filter(cadre=cadre, pk=relation_id).first()
    if relation is None:
        raise NotFound("relation.not_found", _("没有找到这条记录。"))
    actions.remove_relation(acting_user=request.auth, relation=relation)
    return Status(204, None)
