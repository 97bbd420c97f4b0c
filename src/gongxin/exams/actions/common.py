"""What the exam actions share: the locked exam, the step guard, the weights check."""

from django.utils.translation import gettext as _

from gongxin.core.errors import Conflict, DomainError

from .. import ranking, workflow
from ..models import (
    AppealStatus,
    Exam,
    RegistrationStatus,
)

COMPONENTS = ("written", "interview")
ROOM_SIZE = 30


def _locked(exam: Exam) -> Exam:
    return Exam.objects.select_for_update(of=("self",)).select_related("org_unit", "case").get(pk=exam.pk)


def refused(exc: ranking.InvalidWeights) -> DomainError:
    return DomainError(exc.code, _(exc.template) % exc.params if exc.params else _(exc.template))


def clean_weights(weights: dict) -> dict:
    unknown = [k for k in weights if k not in COMPONENTS]
    if unknown:
        raise DomainError("exam.weights", _("成绩只能由笔试成绩和面试成绩组成（未知：%(k)s）。") % {"k": "、".join(unknown)})
    try:
        checked = ranking.check_weights({k: v for k, v in weights.items()})
    except ranking.InvalidWeights as exc:
        raise refused(exc) from None
    if set(checked) != set(COMPONENTS):
        raise DomainError("exam.weights", _("请同时设置笔试成绩和面试成绩的权重。"))
    return {k: str(v) if v.denominator != 1 else str(v.numerator) for k, v in
            ((k, ranking.parse_weight(weights[k])) for k in COMPONENTS)}


def _counts(exam: Exam) -> dict:
    regs = exam.registrations
    return {"posts": exam.posts.count(),
            "pending_appeals": regs.filter(appeal=AppealStatus.PENDING).count(),
            "eligible": regs.filter(status=RegistrationStatus.ELIGIBLE).count()}


def _move(exam: Exam, to: str, counts: dict | None = None) -> str:
    blockers = workflow.move_blockers(exam, to, counts=counts if counts is not None else _counts(exam))
    if blockers:
        raise Conflict("exam.blocked", blockers[0], {"blockers": blockers})
    old = exam.status
    exam.status = to
    return old
