"""关联记录 (issue 19, the case as a hub): what belongs to a case or a candidate, from this app
and from the apps that register with ``guards.register_connections``, with counts and states."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from . import guards
from .models import CandidateStatus, DecisionMeeting


def for_case(case, candidates) -> list[dict]:
    return sorted(_own(case, candidates) + guards.connections(case), key=lambda c: c["order"])


def for_candidate(candidate) -> list[dict]:
    return guards.connections(candidate.case, candidate)


def _own(case, candidates) -> list[dict]:
    """The case's own related records: candidates, decision meetings, vacancy notices."""
    from .models import VacancyNotice

    cands = guards.Connection(_("人选"), len(candidates), reverse("cases:case_detail", args=[case.pk]) + "#candidates",
                              guards.states_of([c.status for c in candidates], dict(CandidateStatus.choices)),
                              [(c.cadre.name, reverse("cases:candidate_detail", args=[c.pk])) for c in candidates[:8]], order=20)
    meetings = list(case.decision_meetings.order_by("id"))
    decision = guards.Connection(_("讨论决定会议"), len(meetings), "", guards.states_of(
        [m.status for m in meetings], dict(DecisionMeeting.Status.choices)),
        [(m.title, reverse("cases:meeting_detail", args=[m.pk])) for m in meetings[:5]], order=50)
    notices = list(case.vacancy_notices.select_related("post"))
    vacancy = guards.Connection(_("职位空缺公告"), len(notices), "", guards.states_of(
        [n.status for n in notices], dict(VacancyNotice.Status.choices)),
        [(str(n.post), reverse("cases:notice_detail", args=[n.pk])) for n in notices[:5]], order=15)
    return [vacancy, cands, decision]


def cadre_links(cadre) -> list[tuple[str, str]]:
    """The cadre's own pages, for a candidate page: the record and the 干部任免审批表."""
    links = []
    for label, name in ((_("干部档案"), "people:cadre_detail"), (_("干部任免审批表"), "exchange:cadre_form_pdf")):
        try:
            links.append((label, reverse(name, args=[cadre.pk])))
        except NoReverseMatch:
            continue
    return links


