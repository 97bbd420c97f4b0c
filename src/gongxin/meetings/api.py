"""/api/v1/meetings/: every step of a recommendation meeting, the same actions and data scope
as the pages. Voting, receipt checks and published results are public (``auth=None``)."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from gongxin.accounts.scope import cadre_q
from gongxin.core.errors import DomainError, NotFound
from gongxin.people.models import Cadre, OrgUnit
from gongxin.people.permissions import get_post_for_user

from . import actions, codes, queries
from .models import Elector, MeetingCandidate, MeetingMode, MeetingPost
from .permissions import get_meeting_for_user, meetings_for_user, unit_in_scope

router = Router(tags=["meetings"])


class Error(Schema):
    code: str
    message: str
    details: dict = {}


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}
PUBLIC_ERRORS = {400: Error, 404: Error, 409: Error, 422: Error}


class MeetingIn(Schema):
    title: str
    org_unit_id: int
    mode: str = MeetingMode.OPEN
    meeting_date: dt.date | None = None
    location: str = ""
    scope_unit_id: int | None = None
    case_id: int | None = None
    rules: dict | None = None


class MeetingPatch(Schema):
    title: str | None = None
    location: str | None = None
    meeting_date: dt.date | None = None
    rules: dict | None = None


class MeetingPostOut(Schema):
    id: int
    key: str
    title: str
    k: int
    post_id: int | None
    options: list[dict] = []
    subject_id: int | None = None


class MeetingOut(Schema):
    id: int
    title: str
    org_unit_id: int
    mode: str
    status: str
    meeting_date: dt.date
    location: str
    rules: dict
    seed_hash: str
    seed: str
    case_id: int | None
    posts: list[MeetingPostOut]
    counts: dict


class OpenedOut(Schema):
    meeting: MeetingOut
    seed: str
    key_shares: list[str]
    shares_needed: int


class PostIn(Schema):
    title: str = ""
    post_id: int | None = None
    k: int = 1
    options: list[dict] | None = None   # a rating meeting's item: [{"key", "label", "kind"}, ...]
    subject_id: int | None = None       # the cadre a rating item rates


class IdsIn(Schema):
    ids: list[int]


class CountIn(Schema):
    count: int


class CodesOut(Schema):
    codes: list[str]


class CodeIn(Schema):
    code: str


class OpenIn(Schema):
    seed: str = ""
    shares_needed: int = 2
    shares_total: int = 3


class PaperIn(Schema):
    teller: int
    pile_no: int
    selections: list[list[int | str]]   # cadre ids; a rating item: option keys


class CloseIn(Schema):
    slips_issued: int
    paper_spoiled: int = 0
    key_shares: list[str] = []   # any k of the tellers' key shares: they open the sealed box


class SeedIn(Schema):
    seed: str


class ResultOut(Schema):
    accounting: dict
    tally: dict
    ballots_sha256: str
    published: bool


class BallotIn(Schema):
    code: str
    selections: list[list[int | str]]   # cadre ids; a rating item: option keys


class ReceiptOut(Schema):
    receipt: str


class ReceiptCheckOut(Schema):
    recorded: bool
    meeting_id: int | None = None
    meeting_title: str = ""
    published: bool = False


class CadreOption(Schema):
    id: int
    name: str
    org_unit: str
    current_post_title: str


def _out(m) -> dict:
    return {"id": m.pk, "title": m.title, "org_unit_id": m.org_unit_id, "mode": m.mode, "status": m.status,
            "meeting_date": m.meeting_date, "location": m.location, "rules": m.rules, "seed_hash": m.seed_hash,
            "seed": m.seed, "case_id": m.case_id,
            "posts": [{"id": p.pk, "key": p.key, "title": p.title, "k": p.k, "post_id": p.post_id}
                      for p in actions.posts_of(m)],
            "counts": queries.meeting_counts(m)}


def _unit(user, pk):
    unit = OrgUnit.objects.filter(pk=pk).first() if pk is not None else None
    if pk is not None and (unit is None or not unit_in_scope(user, unit)):
        raise NotFound("org_unit.not_found", _("没有找到该单位，或它不在您的管理范围内。"))
    return unit


@router.get("/", response={200: list[MeetingOut], **ERRORS})
def list_meetings(request):
    return [_out(m) for m in meetings_for_user(request.auth).order_by("-meeting_date", "-id")[:200]]


@router.post("/", response={201: MeetingOut, **ERRORS})
def create_meeting(request, payload: MeetingIn):
    meetings_for_user(request.auth)  # capability check
    case = None
    if payload.case_id:
        from gongxin.cases.models import Case

        case = get_object_or_404(Case, pk=payload.case_id)
    m = actions.create_meeting(acting_user=request.auth, title=payload.title, org_unit=_unit(request.auth, payload.org_unit_id),
                               mode=payload.mode, meeting_date=payload.meeting_date, location=payload.location,
                               scope_unit=_unit(request.auth, payload.scope_unit_id), case=case, rules=payload.rules)
    return Status(201, _out(m))


@router.get("/{meeting_id}", response={200: MeetingOut, **ERRORS})
def get_meeting(request, meeting_id: int):
    return _out(get_meeting_for_user(request.auth, meeting_id))


@router.patch("/{meeting_id}", response={200: MeetingOut, **ERRORS})
def update_meeting(request, meeting_id: int, payload: MeetingPatch):
    m = get_meeting_for_user(request.auth, meeting_id)
    return _out(actions.update_meeting(acting_user=request.auth, meeting=m, **payload.dict(exclude_none=True)))


@router.post("/{meeting_id}/posts", response={201: MeetingPostOut, **ERRORS})
def add_post(request, meeting_id: int, payload: PostIn):
    m = get_meeting_for_user(request.auth, meeting_id)
    post = get_post_for_user(request.auth, payload.post_id) if payload.post_id else None
    subject = (get_object_or_404(Cadre.objects.filter(cadre_q(request.auth)), pk=payload.subject_id)
               if payload.subject_id else None)
    mp = actions.add_post(acting_user=request.auth, meeting=m, title=payload.title, post=post, k=payload.k,
                          options=payload.options, subject=subject)
    return Status(201, {"id": mp.pk, "key": mp.key, "title": mp.title, "k": mp.k, "post_id": mp.post_id,
                        "options": mp.options, "subject_id": mp.subject_id})


@router.delete("/{meeting_id}/posts/{post_id}", response={204: None, **ERRORS})
def remove_post(request, meeting_id: int, post_id: int):
    m = get_meeting_for_user(request.auth, meeting_id)
    actions.remove_post(acting_user=request.auth, meeting_post=get_object_or_404(MeetingPost, meeting=m, pk=post_id))
    return Status(204, None)


@router.post("/{meeting_id}/posts/{post_id}/candidates", response={201: dict, **ERRORS})
def add_candidate(request, meeting_id: int, post_id: int, payload: IdsIn):
    m = get_meeting_for_user(request.auth, meeting_id)
    mp = get_object_or_404(MeetingPost, meeting=m, pk=post_id)
    added = []
    for cadre in Cadre.objects.filter(cadre_q(request.auth), pk__in=payload.ids):
        added.append(actions.add_list_candidate(acting_user=request.auth, meeting_post=mp, cadre=cadre).pk)
    return Status(201, {"added": added})


@router.delete("/{meeting_id}/candidates/{candidate_id}", response={204: None, **ERRORS})
def remove_candidate(request, meeting_id: int, candidate_id: int):
    m = get_meeting_for_user(request.auth, meeting_id)
    cand = get_object_or_404(MeetingCandidate, meeting_post__meeting=m, pk=candidate_id)
    actions.remove_list_candidate(acting_user=request.auth, candidate=cand)
    return Status(204, None)


@router.get("/{meeting_id}/electorate", response={200: list[dict], **ERRORS})
def list_electorate(request, meeting_id: int):
    m = get_meeting_for_user(request.auth, meeting_id)
    return [{"id": e.pk, "cadre_id": e.cadre_id, "name": e.cadre.name, "present": hasattr(e, "check_in")}
            for e in m.electors.select_related("cadre", "check_in")]


@router.post("/{meeting_id}/electorate", response={201: dict, **ERRORS})
def add_electors(request, meeting_id: int, payload: IdsIn):
    m = get_meeting_for_user(request.auth, meeting_id)
    cadres = list(Cadre.objects.filter(cadre_q(request.auth), pk__in=payload.ids))
    return Status(201, {"added": actions.add_electors(acting_user=request.auth, meeting=m, cadres=cadres)})


@router.post("/{meeting_id}/check-ins", response={201: dict, **ERRORS})
def check_in(request, meeting_id: int, payload: IdsIn):
    """ids: elector ids (from /electorate)."""
    m = get_meeting_for_user(request.auth, meeting_id)
    electors = list(Elector.objects.filter(meeting=m, pk__in=payload.ids))
    return Status(201, {"added": actions.check_in(acting_user=request.auth, meeting=m, electors=electors)})


@router.post("/{meeting_id}/open", response={200: OpenedOut, **ERRORS})
def open_meeting(request, meeting_id: int, payload: OpenIn):
    """Returns the seed and the tellers' key shares once (the system keeps neither): keep the
    seed sealed and reveal it after the count; any ``shares_needed`` shares open the box."""
    m = get_meeting_for_user(request.auth, meeting_id)
    opened = actions.open_meeting(acting_user=request.auth, meeting=m, seed=payload.seed,
                                  shares_needed=payload.shares_needed, shares_total=payload.shares_total)
    return {"meeting": _out(opened.meeting), "seed": opened.seed, "key_shares": opened.key_shares,
            "shares_needed": opened.meeting.seal_k}


@router.post("/{meeting_id}/codes", response={201: CodesOut, **ERRORS})
def generate_codes(request, meeting_id: int, payload: CountIn):
    """Returns the new codes once (only their hashes are stored)."""
    m = get_meeting_for_user(request.auth, meeting_id)
    new = actions.generate_codes(acting_user=request.auth, meeting=m, count=payload.count)
    return Status(201, {"codes": [codes.display(c) for c in new]})


@router.post("/{meeting_id}/codes/spoil", response={204: None, **ERRORS})
def spoil_code(request, meeting_id: int, payload: CodeIn):
    m = get_meeting_for_user(request.auth, meeting_id)
    actions.spoil_code(acting_user=request.auth, meeting=m, code=payload.code)
    return Status(204, None)


@router.post("/{meeting_id}/paper", response={201: dict, **ERRORS})
def enter_paper_ballot(request, meeting_id: int, payload: PaperIn):
    m = get_meeting_for_user(request.auth, meeting_id)
    actions.enter_paper_ballot(acting_user=request.auth, meeting=m, teller=payload.teller, pile_no=payload.pile_no,
                               selections=payload.selections)
    return Status(201, {"mismatches": actions.paper_comparison(m)["mismatches"]})


@router.get("/{meeting_id}/paper", response={200: dict, **ERRORS})
def paper_comparison(request, meeting_id: int):
    m = get_meeting_for_user(request.auth, meeting_id)
    comparison = actions.paper_comparison(m)
    comparison.pop("agreed")
    return comparison


@router.post("/{meeting_id}/close", response={200: ResultOut, **ERRORS})
def close_meeting(request, meeting_id: int, payload: CloseIn):
    m = get_meeting_for_user(request.auth, meeting_id)
    r = actions.close_meeting(acting_user=request.auth, meeting=m, slips_issued=payload.slips_issued,
                              paper_spoiled=payload.paper_spoiled, key_shares=payload.key_shares)
    return {"accounting": r.accounting, "tally": r.tally, "ballots_sha256": r.ballots_sha256, "published": False}


@router.post("/{meeting_id}/reveal", response={200: ResultOut, **ERRORS})
def reveal_seed(request, meeting_id: int, payload: SeedIn):
    m = get_meeting_for_user(request.auth, meeting_id)
    r = actions.reveal_seed(acting_user=request.auth, meeting=m, seed=payload.seed)
    return {"accounting": r.accounting, "tally": r.tally, "ballots_sha256": r.ballots_sha256, "published": False}


@router.post("/{meeting_id}/publish", response={200: ResultOut, **ERRORS})
def publish_results(request, meeting_id: int):
    m = get_meeting_for_user(request.auth, meeting_id)
    r = actions.publish_results(acting_user=request.auth, meeting=m)
    return {"accounting": r.accounting, "tally": r.tally, "ballots_sha256": r.ballots_sha256, "published": True}


@router.get("/{meeting_id}/result", response={200: ResultOut, **ERRORS})
def get_result(request, meeting_id: int):
    m = get_meeting_for_user(request.auth, meeting_id)
    r = getattr(m, "result", None)
    if r is None:
        raise DomainError("meeting.no_result", _("会议尚未结束计票。"), status=404)
    return {"accounting": r.accounting, "tally": r.tally, "ballots_sha256": r.ballots_sha256,
            "published": r.published_at is not None}


# ---- public ----------------------------------------------------------------------------------

@router.post("/public/ballots", auth=None, response={201: ReceiptOut, **PUBLIC_ERRORS})
def cast_ballot(request, payload: BallotIn):
    """Cast with a one-time code: selections is one list of cadre ids per post, in post order
    (a rating meeting: one option key per item)."""
    return Status(201, {"receipt": codes.display_receipt(actions.cast_ballot(code=payload.code,
                                                                              selections=payload.selections))})


@router.get("/public/write-ins", auth=None, response={200: list[CadreOption], **PUBLIC_ERRORS})
def write_in_choices(request, code: str, post: str, q: str):
    """Who may be written in for a post (key "1", "2"...): needs an unused code."""
    m = actions.meeting_for_code(code)
    mp = next((p for p in actions.posts_of(m) if p.key == post), None)
    if mp is None:
        raise NotFound("meeting.post_not_found", _("没有这个推荐职位。"))
    return [{"id": c.pk, "name": c.name, "org_unit": c.org_unit.name, "current_post_title": c.current_post_title}
            for c in queries.write_in_choices(mp, q)]


@router.get("/public/receipts/{code}", auth=None, response={200: ReceiptCheckOut, **PUBLIC_ERRORS})
def check_receipt(request, code: str):
    r = queries.find_receipt(code)
    if r is None:
        return {"recorded": False}
    return {"recorded": True, "meeting_id": r.meeting_id, "meeting_title": r.meeting.title,
            "published": r.meeting.status == "published"}


@router.get("/public/published", auth=None, response={200: list[dict], **PUBLIC_ERRORS})
def published(request):
    return [{"id": m.pk, "title": m.title, "meeting_date": m.meeting_date, "ballots_sha256": m.result.ballots_sha256,
             "tally": m.result.tally} for m in queries.published_meetings()]
