"""Starting jobs and reaping the ones whose worker died.

The Job row is operational bookkeeping (see models): these writes record no ledger event;
the actions a job calls record theirs."""

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job, JobStatus

logger = logging.getLogger("gongxin.jobs")


def stale_after() -> dt.timedelta:
    """A running job whose heartbeat is older than this has lost its worker."""
    return dt.timedelta(seconds=getattr(settings, "GONGXIN_JOB_STALE_SECONDS", 120))


def max_attempts() -> int:
    return getattr(settings, "GONGXIN_JOB_MAX_ATTEMPTS", 2)


def _enqueue_after_commit(job_id: int, attempt: int) -> None:
    from .tasks import run_job_task

    transaction.on_commit(lambda: run_job_task.enqueue(job_id, attempt))


@transaction.atomic
def start_job(*, acting_user, kind: str, title: str, func: str, params: dict | None = None,
              total: int | None = None) -> Job:
    """Record a job and hand it to the worker once the transaction commits. ``func`` is the
    dotted path of a job function (runner.py); ``params`` must be JSON."""
    job = Job.objects.create(kind=kind, title=str(title)[:200], func=func, params=params or {},
                             started_by=acting_user, total=total, token=secrets.token_hex(8),
                             message=_("等待后台进程处理"))
    _enqueue_after_commit(job.pk, 1)
    return job


def reap_stale_jobs(*, now: dt.datetime | None = None) -> list[tuple[int, str]]:
    """Running jobs whose heartbeat stopped: queued again for another attempt, or failed
    with the reason once the attempts are used up. Returns (job id, new status) pairs."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    out = []
    for job in Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff):
        with transaction.atomic():
            seconds = int(stale_after().total_seconds())
            if job.attempts < max_attempts():
                n = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
                    status=JobStatus.QUEUED,
                    message=_("后台进程 %(worker)s 超过 %(s)d 秒没有响应，第 %(n)d 次重新运行") % {
                        "worker": job.worker, "s": seconds, "n": job.attempts + 1})
                if n:
                    _enqueue_after_commit(job.pk, job.attempts + 1)
                    out.append((job.pk, JobStatus.QUEUED))
            else:
                n = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
                    status=JobStatus.FAILED, finished_at=now,
                    error=_("后台进程 %(worker)s 在 %(at)s 后停止响应（超过 %(s)d 秒没有进度），已尝试 %(n)d 次仍未完成。"
                            "请重新发起这项任务。") % {
                        "worker": job.worker, "at": timezone.localtime(job.heartbeat_at).strftime("%Y-%m-%d %H:%M:%S"),
                        "s": seconds, "n": job.attempts})
                if n:
                    out.append((job.pk, JobStatus.FAILED))
        if out and out[-1][0] == job.pk:
            logger.warning("job %s: worker %s stopped answering; now %s", job.pk, job.worker, out[-1][1])
    return out
