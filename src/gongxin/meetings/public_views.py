"""Public pages (no login, no JavaScript needed): voting with a one-time code on a phone,
checking a receipt, and the published results with their files.

The voting pages keep the ballot in the form itself (the code in a hidden field, picks as
checkboxes); nothing about the voter is stored between steps, and the receipt is shown in the
response to the cast itself (never put into the session). ``gongxin serve`` keeps these
addresses out of the access log (``access_log``)."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gongxin.core.errors import DomainError
from gongxin.ledger import paper
from gongxin.people.models import Cadre

from . import actions, codes, present, queries, tally
from .models import MeetingMode


def _picks(request, posts, *, is_rating: bool = False) -> dict[str, list]:
    out = {}
    for p in posts:
        if is_rating:  # one option key per item, only keys the item offers
            keys = {o["key"] for o in p.options}
            out[p.key] = [raw for raw in request.POST.getlist(f"pick-{p.key}")[:1] if raw in keys]
            continue
        ids = []
        for raw in request.POST.getlist(f"pick-{p.key}"):
            if raw.isdigit() and int(raw) not in ids:
                ids.append(int(raw))
        out[p.key] = ids
    return out


def _ballot_context(meeting, posts, picks, *, searches=None, errors=None):
    searches = searches or {}
    errors = errors or {}
    if meeting.mode == MeetingMode.RATING:
        for p in posts:
            chosen = set(picks.get(p.key, []))
            p.error = errors.get(p.key, "")
            p.choices = [{**o, "checked": o["key"] in chosen} for o in p.options]
            p.chosen_labels = [o["label"] for o in p.choices if o["checked"]]
        return {"meeting": meeting, "posts": posts, "is_list": False, "is_rating": True}
    all_ids = {i for ids in picks.values() for i in ids}
    cadres = Cadre.objects.in_bulk(all_ids) if all_ids else {}
    for p in posts:
        p.picked = [cadres[i] for i in picks.get(p.key, []) if i in cadres]
        p.search = searches.get(p.key, "")
        p.error = errors.get(p.key, "")
        if meeting.mode == MeetingMode.LIST:
            p.options = [c.cadre for c in p.candidates.select_related("cadre", "cadre__org_unit")]
        else:
            found = queries.write_in_choices(p, p.search) if p.search else []
            picked_ids = {c.pk for c in p.picked}
            p.options = [c for c in found if c.pk not in picked_ids]
            p.searched = bool(p.search)
    return {"meeting": meeting, "posts": posts, "is_list": meeting.mode == MeetingMode.LIST}


@never_cache
@require_http_methods(["GET", "POST"])
def vote(request):
    """Step 1: the code. Step 2: the ballot (search, pick). Step 3: confirm. Step 4: cast."""
    raw_code = request.POST.get("code", "") if request.method == "POST" else request.GET.get("code", "")
    if request.method == "GET" and not raw_code:
        return render(request, "meetings/public/vote_code.html", {})
    try:
        meeting = actions.meeting_for_code(raw_code)
    except DomainError as exc:
        return render(request, "meetings/public/vote_code.html", {"error": exc.message, "code": raw_code}, status=exc.status)
    code = codes.normalise(raw_code)
    posts = actions.posts_of(meeting)
    step = request.POST.get("step", "ballot") if request.method == "POST" else "ballot"
    picks = (_picks(request, posts, is_rating=meeting.is_rating) if request.method == "POST"
             else {p.key: [] for p in posts})
    searches = {}
    if step.startswith("search-"):
        key = step.removeprefix("search-")
        searches[key] = request.POST.get(f"q-{key}", "").strip()
    if step in ("review", "cast"):
        if meeting.is_rating:
            errors = {p.key: _("请对“%(item)s”选择一个评价等次。") % {"item": p.title}
                      for p in posts if len(picks[p.key]) != 1}
        else:
            errors = {p.key: _("“%(post)s”最多推荐 %(k)d 人，您选了 %(n)d 人，请减少。") % {
                "post": p.title, "k": p.k, "n": len(picks[p.key])} for p in posts if len(picks[p.key]) > p.k}
        if errors:
            ctx = _ballot_context(meeting, posts, picks, errors=errors)
            return render(request, "meetings/public/vote_ballot.html", {**ctx, "code": code}, status=400)
        if step == "review":
            ctx = _ballot_context(meeting, posts, picks)
            return render(request, "meetings/public/vote_confirm.html", {**ctx, "code": code})
        try:
            receipt = actions.cast_ballot(code=code, selections=[picks[p.key] for p in posts])
        except DomainError as exc:
            ctx = _ballot_context(meeting, posts, picks)
            return render(request, "meetings/public/vote_ballot.html",
                          {**ctx, "code": code, "form_error": exc.message}, status=exc.status)
        # the receipt is shown in this response and kept nowhere: no session, no redirect
        return render(request, "meetings/public/vote_receipt.html", {
            "receipt": codes.display_receipt(receipt), "meeting_title": meeting.title,
            "check_url": request.build_absolute_uri(reverse("meetings_public:receipt")),
        })
    ctx = _ballot_context(meeting, posts, picks, searches=searches)
    return render(request, "meetings/public/vote_ballot.html", {**ctx, "code": code})


def vote_done(request):
    """An old address (the receipt used to be shown after a redirect, through the session)."""
    return redirect("meetings_public:vote")


def receipt_check(request):
    code = request.GET.get("code", "").strip()
    found = None
    if code:
        found = queries.find_receipt(code)
    return render(request, "meetings/public/receipt_check.html", {"code": code, "found": found, "checked": bool(code)})


def published_list(request):
    return render(request, "meetings/public/list.html", {"meetings": queries.published_meetings()})


def notice(request, meeting_id: int):
    meeting = queries.get_published_meeting(meeting_id)
    if meeting is None:
        raise Http404(_("没有找到已公布的推荐会议。"))
    result = meeting.result
    names = (result.notice or {}).get("names")
    return render(request, "meetings/public/notice.html", {
        "meeting": meeting, "result": result,
        "rows": (present.rating_rows(meeting, result.tally, actions.posts_of(meeting)) if meeting.is_rating
                 else present.result_rows(result.tally, names)),
        "turnout": result.tally["turnout"], "accounting": result.accounting,
        "turnout_percent": tally.percent(result.tally["turnout"]["ratio"]),
        "ledger_event": paper.latest_public_event("meetings.meeting", meeting.pk, ("meetings.meeting.published",)),
    })


def _file(meeting_id: int, field: str, filename: str, content_type: str) -> HttpResponse:
    meeting = queries.get_published_meeting(meeting_id)
    if meeting is None:
        raise Http404(_("没有找到已公布的推荐会议。"))
    data = bytes(getattr(meeting.result, field) or b"")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}-{filename}"'
    return response


def ballots_file(request, meeting_id: int):
    return _file(meeting_id, "ballots_file", "ballots.json", "application/json; charset=utf-8")


def receipts_file(request, meeting_id: int):
    return _file(meeting_id, "receipts_file", "receipts.txt", "text/plain; charset=utf-8")
