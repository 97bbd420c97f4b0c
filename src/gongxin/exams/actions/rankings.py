"""Rankings: the written ranking with the interview list, the weighted final ranking with the
candidates for inspection, and corrections that rank again."""

from django.db import transaction
from django.utils.translation import gettext as _

from gongxin.core.errors import Conflict, DomainError
from gongxin.ledger.recording import record_event

from .. import ranking, workflow
from ..models import (
    Exam,
    ExamPost,
    ExamStatus,
    Outcome,
    Registration,
)
from .common import COMPONENTS, _locked, _move
from .scores import _score_field, scorable


@transaction.atomic
def correct_score(*, acting_user, registration: Registration, component: str, value: int, reason: str) -> Registration:
    """A recorded score changed, with the reason: the old and new values go to the ledger."""
    reg = Registration.objects.select_for_update().select_related("exam").get(pk=registration.pk)
    blockers = workflow.correction_blockers(reg.exam)
    if blockers:
        raise Conflict("exam.correction_closed", blockers[0])
    if component not in COMPONENTS:
        raise DomainError("exam.component", _("未知的成绩类别。"))
    if reg.exam.status == ExamStatus.INTERVIEW and component == "written":
        raise Conflict("exam.correction_closed", _("面试人选已按笔试成绩确定，笔试成绩不能再更正。"))
    if getattr(reg, _score_field(component)) is None:
        raise DomainError("exam.correction_none", _("这项成绩还没有录入，请直接录入。"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("exam.correction_reason", _("请写明更正成绩的原因（如复核结果、登分错误）。"))
    if not (value in ranking.MARKS or 0 <= value <= ranking.MAX_SCORE):
        raise DomainError("exam.score_range", _("成绩超出范围。"))
    field = _score_field(component)
    old = getattr(reg, field)
    if old == value:
        raise DomainError("exam.correction_same", _("更正后的成绩与原成绩相同。"))
    setattr(reg, field, value)
    reg.save(update_fields=[field])
    record_event(kind="exams.score.corrected", subject=reg, actor=acting_user, payload={
        "exam": reg.exam_id, "ticket": reg.ticket_number, "component": component,
        "from": ranking.show(old), "to": ranking.show(value), "reason": reason})
    if reg.exam.status == ExamStatus.RANKED:
        # the ranking is made again from the corrected scores, in the same transaction
        _rank_final(acting_user, _locked(reg.exam), again=True)
    return reg


# ---- rankings -----------------------------------------------------------------------------------

def _tie_columns(exam: Exam) -> list[int]:
    return [COMPONENTS.index(c) for c in exam.tie_order if c in COMPONENTS]


def _note(row: ranking.Ranked, exam: Exam) -> str:
    """The row's note as a code (ranking.note); queries.rank_note_label gives its words."""
    return ranking.note(row, [c for c in exam.tie_order if c in COMPONENTS])



def _cut_json(c: ranking.Cut, post: ExamPost, ratio: int) -> dict:
    return {"post": post.code, "posts": post.count, "ratio": ratio, "places": c.places, "available": c.available,
            "fewer": c.fewer, "tied_at_line": c.tied_at_line, "selected": len(c.selected)}


@transaction.atomic
def rank_written(*, acting_user, exam: Exam) -> Exam:
    """The written ranking of each post, and the interview list at the ratio: ties on the
    line go on together; when fewer than the ratio remain, all who sat go on."""
    exam = _locked(exam)
    missing = scorable(exam, "written").filter(written_score__isnull=True).count()
    _move(exam, ExamStatus.INTERVIEW, {"missing": missing})
    exam.save(update_fields=["status"])
    cuts, changed = [], []
    for post in exam.posts.all():
        regs = list(scorable(exam, "written").filter(exam_post=post).order_by("pk"))
        rows = ranking.rank([[r.written_score for r in regs]], [ranking.parse_weight(1)])
        c = ranking.cut(rows, post.count, exam.interview_ratio)
        chosen = set(c.selected)
        for row in rows:
            reg = regs[row.index]
            reg.written_rank = row.rank
            reg.outcome = Outcome.NONE if row.index in chosen else Outcome.NOT_INVITED
            changed.append(reg)
        cuts.append(_cut_json(c, post, exam.interview_ratio))
    Registration.objects.bulk_update(changed, ["written_rank", "outcome"], batch_size=1000)
    exam.interview_cut = cuts
    exam.save(update_fields=["interview_cut"])
    record_event(kind="exams.written.ranked", subject=exam, actor=acting_user, payload={
        "cuts": cuts, "invited": [r.ticket_number for r in changed if r.outcome != Outcome.NOT_INVITED]})
    return exam


@transaction.atomic
def rank_final(*, acting_user, exam: Exam) -> Exam:
    """Weighted totals, the ranking of each post in the declared tie order, and the
    candidates for inspection at the ratio."""
    exam = _locked(exam)
    missing = scorable(exam, "interview").filter(interview_score__isnull=True).count()
    _move(exam, ExamStatus.RANKED, {"missing": missing})
    exam.save(update_fields=["status"])
    return _rank_final(acting_user, exam)


def _rank_final(acting_user, exam: Exam, *, again: bool = False) -> Exam:
    weights = [ranking.parse_weight(exam.weights[c]) for c in COMPONENTS]
    cuts, changed, listing = [], [], []
    for post in exam.posts.all():
        regs = list(scorable(exam, "interview").filter(exam_post=post).order_by("pk"))
        rows = ranking.rank([[r.written_score for r in regs], [r.interview_score for r in regs]], weights,
                            _tie_columns(exam))
        c = ranking.cut(rows, post.count, exam.inspection_ratio)
        chosen = set(c.selected)
        for row in rows:
            reg = regs[row.index]
            reg.total_score, reg.final_rank, reg.rank_note = row.total, row.rank, _note(row, exam)
            reg.outcome = Outcome.FOR_INSPECTION if row.index in chosen else Outcome.NOT_SELECTED
            changed.append(reg)
            listing.append([reg.ticket_number, ranking.show(row.total), row.rank, reg.outcome])
        cuts.append(_cut_json(c, post, exam.inspection_ratio))
    Registration.objects.bulk_update(changed, ["total_score", "final_rank", "rank_note", "outcome"], batch_size=1000)
    exam.inspection_cut = cuts
    exam.save(update_fields=["inspection_cut"])
    record_event(kind="exams.final.ranked", subject=exam, actor=acting_user, payload={
        "again": again, "weights": exam.weights, "tie_order": exam.tie_order, "cuts": cuts, "ranking": listing})
    return exam
