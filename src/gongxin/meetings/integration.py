"""Where meetings meet the cases app (issue 5): eligibility of write-ins, recusal of voters,
and the slate sent to a case's nomination stage. Every import is guarded so that meetings
work on their own; each function falls back to the minimum the rules require."""

import logging

from django.db.models import Q

from gongxin.people.models import CadreStatus

log = logging.getLogger(__name__)


def _optional(module: str):
    try:
        return __import__(module, fromlist=["_"])
    except ImportError:
        return None


def scope_q(meeting, prefix: str = "") -> Q:
    """Cadres who may be written in: active, in the meeting's scope unit and below."""
    unit = meeting.scope_unit or meeting.org_unit
    return Q(**{f"{prefix}status": CadreStatus.ACTIVE, f"{prefix}org_unit__path__startswith": unit.path})


def write_in_problems(cadre, meeting_post) -> list[str]:
    """Why ``cadre`` cannot be written in for ``meeting_post`` (empty: eligible).

    With the cases app's eligibility engine present and the meeting post tied to a Post, the
    post's basic qualifications (R1, R8...) apply; otherwise active status and scope only."""
    from django.utils.translation import gettext as _

    meeting = meeting_post.meeting
    unit = meeting.scope_unit or meeting.org_unit
    if cadre.status != CadreStatus.ACTIVE:
        return [_("%(name)s 不是在职干部。") % {"name": cadre.name}]
    if not cadre.org_unit.path.startswith(unit.path):
        return [_("%(name)s 不在本次推荐范围（%(unit)s）内。") % {"name": cadre.name, "unit": unit.name}]
    checker = _optional("gongxin.cases.checks")
    if checker is not None and meeting_post.post_id and hasattr(checker, "basic_eligibility_problems"):
        try:
            return list(checker.basic_eligibility_problems(cadre, meeting_post.post))
        except Exception:  # an engine error must not stop a vote; it is logged and shown to staff
            log.exception("eligibility check failed for cadre %s", cadre.pk)
    return []


def recusal_reason(person_cadre, candidate_cadre) -> str | None:
    recusal = _optional("gongxin.cases.recusal")
    if recusal is None or not hasattr(recusal, "must_recuse"):
        return None
    return recusal.must_recuse(person_cadre, candidate_cadre)


def add_candidate_to_case(*, acting_user, case, cadre, post, evidence: dict) -> bool:
    actions = _optional("gongxin.cases.actions")
    if actions is None or not hasattr(actions, "add_candidate"):
        return False
    actions.add_candidate(acting_user=acting_user, case=case, cadre=cadre, channel="open_nomination",
                          evidence=evidence, post=post)
    return True


def checkpoint_after_commit(reason: str) -> None:
    checkpoints = _optional("gongxin.ledger.checkpoints")
    if checkpoints is not None and hasattr(checkpoints, "checkpoint_after_commit"):
        checkpoints.checkpoint_after_commit(reason)


def unpublished_meeting_blockers(case) -> list[str]:
    """A case cannot fix its candidates for inspection while a recommendation meeting linked to
    it has not published its result (the slate goes in at publication)."""
    from django.utils.translation import gettext as _

    from gongxin.cases.guards import blocker

    from .models import Meeting, MeetingStatus

    return [blocker(_("推荐会议“%(title)s”尚未公布结果。") % {"title": m.title}, "meetings:detail", m.pk)
            for m in Meeting.objects.filter(case=case).exclude(status=MeetingStatus.PUBLISHED).only("title")]


def meeting_subjects(case) -> list[tuple[str, str]]:
    """The ledger subjects of the meetings linked to a case, for its dossier."""
    from .models import Meeting

    return [("meetings.meeting", str(pk)) for pk in Meeting.objects.filter(case=case).values_list("pk", flat=True)]
