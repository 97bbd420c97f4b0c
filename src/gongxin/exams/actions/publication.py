"""Publication of scores and rankings, and the candidates for inspection into the linked case."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import Conflict, DomainError
from gongxin.ledger.recording import record_event
from gongxin.people import idnumber

from .. import ranking
from ..models import (
    Exam,
    ExamStatus,
    Outcome,
    RegistrationStatus,
)
from .common import _locked, _move


@transaction.atomic
def publish_results(*, acting_user, exam: Exam) -> Exam:
    """Scores and rankings on the portal (ID numbers masked) as one public ledger event; when
    the exam is linked to a case, its candidates for inspection who are cadres enter the case
    through the exam's channel."""
    exam = _locked(exam)
    _move(exam, ExamStatus.PUBLISHED, {})
    exam.results_published_at = timezone.now()
    rows = list(exam.registrations.filter(status=RegistrationStatus.ELIGIBLE).exclude(ticket_number="")
                .select_related("exam_post").order_by("exam_post__code", "final_rank", "written_rank", "pk"))
    listing = [{"post": r.exam_post.code, "name": r.name, "id_number": idnumber.mask(r.id_number),
                "ticket": r.ticket_number, "written": ranking.show(r.written_score),
                "interview": ranking.show(r.interview_score), "total": ranking.show(r.total_score),
                "rank": r.final_rank, "note": r.rank_note, "outcome": r.outcome or Outcome.NOT_INVITED}
               for r in rows]
    event = record_event(kind="exams.results.published", subject=exam, actor=acting_user, public=True, payload={
        "title": exam.title, "weights": exam.weights, "tie_order": exam.tie_order,
        "interview_cut": exam.interview_cut, "inspection_cut": exam.inspection_cut, "results": listing})
    exam.results_ledger_seq, exam.results_leaf_hash = event.seq, bytes(event.leaf_hash).hex()
    exam.save(update_fields=["status", "results_published_at", "results_ledger_seq", "results_leaf_hash"])
    if exam.case_id:
        send_to_case(acting_user=acting_user, exam=exam)
    return exam


@transaction.atomic
def send_to_case(*, acting_user, exam: Exam) -> list:
    """The candidates for inspection who are cadres enter the linked case (cases' own
    ``add_candidate``, so its checks and eligibility run), each with the exam as evidence."""
    from gongxin.cases import actions as case_actions

    exam = _locked(exam)
    if exam.case is None:
        raise DomainError("exam.no_case", _("本次考试没有关联选任案件。"))
    if exam.status not in (ExamStatus.RANKED, ExamStatus.PUBLISHED):
        raise Conflict("exam.not_ranked", _("综合成绩排名确定后，考察对象才能进入案件。"))
    added = []
    for reg in (exam.registrations.filter(outcome=Outcome.FOR_INSPECTION, cadre__isnull=False, candidate__isnull=True)
                .select_related("cadre", "exam_post__post").order_by("exam_post__code", "final_rank", "pk")):
        post = reg.exam_post.post if reg.exam_post.post and exam.case.case_posts.filter(
            post=reg.exam_post.post).exists() else None
        cand = case_actions.add_candidate(
            acting_user=acting_user, case=exam.case, cadre=reg.cadre, channel=exam.channel, post=post,
            evidence={"exam": exam.pk, "title": exam.title, "ticket": reg.ticket_number,
                      "total": ranking.show(reg.total_score), "rank": reg.final_rank, "post": reg.exam_post.code})
        reg.candidate = cand
        reg.save(update_fields=["candidate"])
        added.append(cand)
    return added
