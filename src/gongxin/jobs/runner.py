"""Running one attempt of a job, with its progress.

A job function has the signature ``fn(*, job, progress, **params)``. It reports how far it
got with ``progress.advance()`` and may leave a file with ``progress.save_file()``; what it
returns (a dict) is kept as the job's result. Progress is written to the job's row at most
every ``WRITE_EVERY`` seconds and at least once a second while the job advances, on the
job's own connection and only between transactions (inside one the row would not be seen
until commit), so a job that wants its progress seen works in short transactions. Each
write also serves as the heartbeat the reaper (``actions.reap_stale_jobs``) looks at."""

import logging
import os
import socket
import time
import traceback

from django.core.files.base import ContentFile, File
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError

from .errors import JobSuperseded
from .models import Job, JobStatus

logger = logging.getLogger("gongxin.jobs")

WRITE_EVERY = 0.5  # seconds between progress writes (the issue asks for at least one a second)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Progress:
    def __init__(self, job: Job, attempt: int):
        self.job, self.attempt = job, attempt
        self.done, self.total, self.message = job.done, job.total, job.message
        self._written = 0.0

    def set_total(self, total: int | None, message: str | None = None) -> None:
        self.total = total
        if message is not None:
            self.message = message
        self.flush(force=True)

    def step(self, message: str, *, total: int | None = None) -> None:
        """Start a new stage: its own count from zero."""
        self.done, self.total, self.message = 0, total, message
        self.flush(force=True)

    def advance(self, n: int = 1, message: str | None = None) -> None:
        self.done += n
        if message is not None:
            self.message = message
        self.flush()

    def flush(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written < WRITE_EVERY:
            return
        if _inside_own_transaction():
            return  # nobody would see it until commit
        total = self.total
        done = min(self.done, total) if total is not None else self.done
        updated = Job.objects.filter(pk=self.job.pk, attempts=self.attempt, status=JobStatus.RUNNING).update(
            done=done, total=total, message=self.message[:200], heartbeat_at=timezone.now())
        self._written = now
        if not updated:
            raise JobSuperseded(self.job.pk)

    def save_file(self, name: str, content: bytes | File, content_type: str) -> None:
        """The job's result file (replaces one a previous attempt left)."""
        job = Job.objects.get(pk=self.job.pk)
        if job.result_file:
            job.result_file.delete(save=False)
        data = content if isinstance(content, File) else ContentFile(content)
        job.result_file.save(name, data, save=False)
        Job.objects.filter(pk=job.pk, attempts=self.attempt).update(
            result_file=job.result_file.name, result_name=name, result_type=content_type)
        self.job.result_file, self.job.result_name, self.job.result_type = job.result_file, name, content_type


def _inside_own_transaction() -> bool:
    """In a transaction the job opened (the one a test case wraps around everything does
    not count: writing there is harmless and lets tests read progress)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def run_job(job_id: int, attempt: int) -> str:
    """Claim and run attempt ``attempt`` of a job. Returns the status it ended in, or
    "skipped" when the attempt was not the job's to run (already run, or superseded)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, attempts=attempt - 1).update(
        status=JobStatus.RUNNING, attempts=attempt, started_at=now, heartbeat_at=now, worker=worker_name()[:100])
    if not claimed:
        logger.info("job %s attempt %s: not queued for this attempt, skipped", job_id, attempt)
        return "skipped"
    job = Job.objects.get(pk=job_id)
    progress = Progress(job, attempt)
    try:
        fn = import_string(job.func)
        result = fn(job=job, progress=progress, **job.params) or {}
    except JobSuperseded:
        logger.warning("job %s attempt %s superseded; stopped", job_id, attempt)
        return "skipped"
    except DomainError as exc:
        _finish(job, attempt, JobStatus.FAILED, error=exc.message)
        return JobStatus.FAILED
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the job
        logger.exception("job %s failed", job_id)
        _finish(job, attempt, JobStatus.FAILED,
                error=_("任务出错（%(kind)s：%(text)s），请把这条信息告诉系统管理员。") % {
                    "kind": type(exc).__name__, "text": str(exc)[:300]},
                detail=traceback.format_exc())
        return JobStatus.FAILED
    _finish(job, attempt, JobStatus.SUCCEEDED, result=result, done=progress.done, total=progress.total)
    return JobStatus.SUCCEEDED


def _finish(job: Job, attempt: int, status: str, *, error: str = "", detail: str = "", result=None,
            done=None, total=None) -> None:
    fields = {"status": status, "finished_at": timezone.now(), "heartbeat_at": timezone.now(),
              "error": error, "error_detail": detail}
    if result is not None:
        fields["result"] = result
    if status == JobStatus.SUCCEEDED:
        final = total if total is not None else done
        fields.update(done=final or 0, total=final or 0, message="")
    Job.objects.filter(pk=job.pk, attempts=attempt, status=JobStatus.RUNNING).update(**fields)
