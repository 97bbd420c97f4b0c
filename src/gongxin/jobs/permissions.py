"""A job is its starter's: nobody else sees its progress or downloads its file (an export
holds personal data the starter was allowed to see, which another user may not be)."""

from django.utils.translation import gettext as _

from gongxin.core.errors import Forbidden, NotFound

from .models import Job


def get_job_for_user(user, job_id) -> Job:
    if not user.is_authenticated:
        raise Forbidden("auth.required", _("请先登录。"))
    try:
        return Job.objects.get(pk=job_id, started_by=user)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise NotFound("job.not_found", _("没有找到这项后台任务。")) from None


def jobs_for_user(user):
    return Job.objects.filter(started_by=user).defer("params", "result", "error_detail")
