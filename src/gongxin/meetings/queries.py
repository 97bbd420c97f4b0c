"""Reads that matter: cadre search for pickers and write-ins, the staff view of a meeting,
and the public's published meetings."""

from django.db.models import Count, Q

from gongxin.accounts.scope import cadre_q
from gongxin.people.models import Cadre

from . import integration
from .models import BallotCode, CheckIn, CodeStatus, Meeting, MeetingStatus, Receipt

SEARCH_LIMIT = 20


def name_q(text: str) -> Q:
    """Name, full pinyin or pinyin initials ("zs" finds 张三)."""
    text = (text or "").strip()
    if not text:
        return Q(pk__in=[])
    low = text.lower().replace(" ", "")
    return Q(name__contains=text) | Q(name_pinyin__startswith=low) | Q(name_initials__startswith=low)


def search_cadres_for_user(user, text: str, limit: int = SEARCH_LIMIT):
    return (Cadre.objects.filter(cadre_q(user)).filter(name_q(text)).select_related("org_unit")
            .order_by("name_pinyin", "id")[:limit])


def write_in_choices(meeting_post, text: str, limit: int = SEARCH_LIMIT) -> list[Cadre]:
    """Cadres a voter may write in for this post, matching the search text."""
    qs = (Cadre.objects.filter(integration.scope_q(meeting_post.meeting)).filter(name_q(text))
          .select_related("org_unit").order_by("name_pinyin", "id"))
    out = []
    for cadre in qs[: limit * 3]:
        if not integration.write_in_problems(cadre, meeting_post):
            out.append(cadre)
        if len(out) >= limit:
            break
    return out


def meeting_counts(meeting: Meeting) -> dict:
    codes = dict(BallotCode.objects.filter(meeting=meeting).values_list("status").annotate(n=Count("id"))
                 .values_list("status", "n"))
    return {
        "expected": meeting.electors.count(),
        "present": CheckIn.objects.filter(elector__meeting=meeting).count(),
        "codes": sum(codes.values()),
        "codes_unused": codes.get(CodeStatus.UNUSED, 0),
        "codes_used": codes.get(CodeStatus.USED, 0),
        "codes_spoiled": codes.get(CodeStatus.SPOILED, 0),
        "ballots": meeting.ballots.count() + meeting.sealed_ballots.count(),
    }


def published_meetings():
    return Meeting.objects.filter(status=MeetingStatus.PUBLISHED).select_related("org_unit", "result")


def get_published_meeting(pk) -> Meeting | None:
    return published_meetings().filter(pk=pk).first()


def find_receipt(code: str):
    """The published receipt (after close) or, while the meeting is open, the spent code it
    belongs to; either has ``meeting``. None if not found."""
    from .codes import normalise

    code = normalise(code)
    if not code:
        return None
    return (Receipt.objects.filter(code=code).select_related("meeting").first()
            or BallotCode.objects.filter(receipt=code, status=CodeStatus.USED, meeting__status=MeetingStatus.OPEN)
            .select_related("meeting").first())
