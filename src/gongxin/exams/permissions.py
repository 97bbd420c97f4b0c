"""Who may see and do what in exams. Fetch functions check the capability and the data scope
together: no capability is 403, out of scope is 404.

- Clerks and admins (``exams.manage``) run exams organised by units within their data scope.
- Cadres (``self.service`` with a cadre record) register for published exams and see their
  own registrations, tickets and scores.
- The public reads published announcements and results on the portal, and reaches its own
  registration by its tracking code."""

from django.utils.translation import gettext as _

from gongxin.accounts.scope import unit_q
from gongxin.core.errors import NotFound
from gongxin.people.permissions import require  # noqa: F401  (403 for a missing capability, as people does)

from .models import Exam, ExamStatus, Registration


def can_manage_exams(user) -> bool:
    return user.is_authenticated and user.has_capability("exams.manage")


def can_register(user) -> bool:
    return user.is_authenticated and user.has_capability("self.service") and bool(user.cadre_id)


def exams_managed_by(user):
    if not can_manage_exams(user):
        return Exam.objects.none()
    return Exam.objects.filter(unit_q(user, "org_unit"))


def get_exam_for_manager(user, pk, *, for_update: bool = False) -> Exam:
    require(user, can_manage_exams(user))
    qs = exams_managed_by(user).select_related("org_unit", "case")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=pk)
    except (Exam.DoesNotExist, ValueError, TypeError):
        raise NotFound("exam.not_found", _("找不到该考试，或不在您的数据范围内。")) from None


def get_registration_for_manager(user, pk) -> Registration:
    require(user, can_manage_exams(user))
    try:
        return Registration.objects.select_related("exam", "exam_post", "cadre").get(
            pk=pk, exam__in=exams_managed_by(user))
    except (Registration.DoesNotExist, ValueError, TypeError):
        raise NotFound("exam.registration_not_found", _("找不到该报名，或不在您的数据范围内。")) from None


def published_exams():
    return Exam.objects.exclude(status=ExamStatus.DRAFT).filter(published_at__isnull=False)


def get_published_exam(pk) -> Exam:
    try:
        return published_exams().select_related("org_unit").get(pk=pk)
    except (Exam.DoesNotExist, ValueError, TypeError):
        raise NotFound("exam.not_found", _("找不到该考试公告。")) from None


def my_registrations(user):
    if not can_register(user):
        return Registration.objects.none()
    return Registration.objects.filter(cadre_id=user.cadre_id).select_related("exam", "exam_post")


def get_my_registration(user, pk) -> Registration:
    require(user, can_register(user))
    try:
        return my_registrations(user).get(pk=pk)
    except (Registration.DoesNotExist, ValueError, TypeError):
        raise NotFound("exam.registration_not_found", _("找不到您的这份报名。")) from None


def get_registration_by_code(exam_pk, code: str) -> Registration:
    """A member of the public's own registration: the exam and the tracking code together."""
    code = (code or "").strip().upper()
    reg = None
    if code and str(exam_pk).isdigit():
        reg = (Registration.objects.select_related("exam", "exam_post")
               .filter(exam_id=exam_pk, tracking_code=code, exam__published_at__isnull=False).first())
    if reg is None:
        raise NotFound("exam.registration_not_found", _("报名查询码不正确。"))
    return reg
