"""Recruitment's admission (录用): once the scores and rankings are published, each post admits
the top of its final ranking up to its number of places, a post reserved for veterans veterans
only. A member of the public admitted becomes a cadre of the post's unit; when the announcement
names the post, they take it from the start date on probation (R18). People tied across the
line (every key of the declared tie order equal) are not admitted over the places: their places
stay open and the event says so."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.cases import eligibility as core
from gongxin.core.errors import Conflict, DomainError
from gongxin.ledger.recording import record_event
from gongxin.people import actions as people_actions
from gongxin.people import idnumber
from gongxin.people.models import Cadre, PoliticalStatus

from .. import ranking, workflow
from ..models import Exam, ExamPost, ExamStatus, Registration, RegistrationStatus
from .common import _locked


@dataclass
class PostAdmission:
    """One post's admission: who, in rank order; the places left open and why."""
    post: ExamPost
    admitted: list = field(default_factory=list)
    tied: list = field(default_factory=list)   # tied across the line: none of them admitted

    @property
    def vacant(self) -> int:
        return self.post.count - len(self.admitted)


def admission_plan(exam: Exam) -> list[PostAdmission]:
    """Who each post admits (no writes): those with a final rank (absent and disqualified have
    none), a veterans' post only veterans, in rank order, whole groups of equal rank while they
    fit in the places."""
    regs: dict[int, list[Registration]] = {}
    for reg in (exam.registrations.filter(status=RegistrationStatus.ELIGIBLE, final_rank__isnull=False,
                                          total_score__gte=0)
                .select_related("cadre").order_by("final_rank", "pk")):
        regs.setdefault(reg.exam_post_id, []).append(reg)
    out = []
    for post in exam.posts.select_related("post__org_unit", "post__rank").order_by("code", "pk"):
        plan = PostAdmission(post)
        rows = [r for r in regs.get(post.pk, []) if r.is_veteran or not post.veterans_only]
        i = 0
        while i < len(rows) and len(plan.admitted) < post.count:
            group = [r for r in rows[i:] if r.final_rank == rows[i].final_rank]
            if len(plan.admitted) + len(group) > post.count:
                plan.tied = group
                break
            plan.admitted.extend(group)
            i += len(group)
        out.append(plan)
    return out


def _probation_end(start: dt.date) -> dt.date | None:
    from gongxin.cases.rules import params_in, rule_set_in_force

    try:
        rule_set = rule_set_in_force(on=start)
    except DomainError:  # a start before the first rule set: the rules in force today
        rule_set = rule_set_in_force()
    months = core.probation_months(params_in(rule_set, "R18"))
    return core.probation_end(start, months) if months else None


@transaction.atomic
def admit_recruits(*, acting_user, exam: Exam, start: dt.date | None = None) -> list[Registration]:
    """录用: the admission plan carried out. Each one admitted gets a cadre record (a cadre
    already on file, found by ID number, is used as is) in the unit of the post, and the post
    itself from ``start`` (today by default) on R18's probation when the announcement names it;
    the registration keeps the date and the record. One public ledger event lists who was
    admitted to which post with their rank and total (ID numbers masked), and the places left
    open. Refused before the results are published and a second time."""
    exam = _locked(exam)
    blockers = workflow.admission_blockers(exam)
    if blockers:
        code = "exam.admitted" if exam.admitted_at else "exam.admission_closed"
        raise Conflict(code, blockers[0], {"blockers": blockers})
    start = start or timezone.localdate()
    probation_end = _probation_end(start)
    plans = admission_plan(exam)
    known = dict(Cadre.objects.filter(id_number__in=[r.id_number for p in plans for r in p.admitted])
                 .values_list("id_number", "pk"))
    admitted, listing = [], []
    for plan in plans:
        post = plan.post.post
        unit = post.org_unit if post is not None else exam.org_unit
        rows = []
        for reg in plan.admitted:
            cadre = reg.cadre or (Cadre.objects.get(pk=known[reg.id_number]) if reg.id_number in known else None)
            if cadre is None:
                cadre = people_actions.create_cadre(
                    acting_user=acting_user, name=reg.name, sex=reg.sex, birth_date=reg.birth_date,
                    id_number=reg.id_number, org_unit=unit, fulltime_education=reg.education,
                    political_status=PoliticalStatus.MASSES, work_started=start,
                    current_post_title=f"{unit.name}{plan.post.title}" if post is None else "")
            if post is not None:
                people_actions.appoint_to_post(acting_user=acting_user, cadre=cadre, post=post, start=start,
                                               probation_end=probation_end,
                                               note=(_("考试录用：%(title)s") % {"title": exam.title})[:200])
            reg.admitted_on, reg.admitted_cadre = start, cadre
            admitted.append(reg)
            rows.append({"ticket": reg.ticket_number, "name": reg.name, "id_number": idnumber.mask(reg.id_number),
                         "rank": reg.final_rank, "total": ranking.show(reg.total_score), "veteran": reg.is_veteran,
                         "cadre": cadre.pk})
        listing.append({"post": plan.post.code, "title": plan.post.title, "places": plan.post.count,
                        "unit": unit.pk, "held_post": post.pk if post is not None else None, "admitted": rows,
                        "vacant": plan.vacant, "tied": [r.ticket_number for r in plan.tied]})
    Registration.objects.bulk_update(admitted, ["admitted_on", "admitted_cadre"], batch_size=1000)
    exam.admitted_at = timezone.now()
    exam.status = ExamStatus.CLOSED
    exam.save(update_fields=["admitted_at", "status"])
    record_event(kind="exams.recruits.admitted", subject=exam, actor=acting_user, public=True, payload={
        "title": exam.title, "start": start, "probation_end": probation_end, "admitted": len(admitted),
        "posts": listing})
    return admitted
