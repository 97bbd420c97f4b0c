"""A background job (后台任务): who started it, what it does, how far it got, its result
file or its error. Operational bookkeeping, not domain state: the work a job does records
its own ledger events through the actions it calls."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


def result_path(job: "Job", filename: str) -> str:
    return f"jobs/{job.created_at:%Y%m}/{job.pk}-{job.token}/{filename}"


class Job(models.Model):
    kind = models.CharField(_("任务类别"), max_length=60)
    title = models.CharField(_("任务"), max_length=200)
    func = models.CharField(max_length=200, editable=False)  # dotted path, set by code only
    params = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                                   related_name="jobs")
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), null=True, blank=True)
    message = models.CharField(_("当前步骤"), max_length=200, blank=True)
    result = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(_("结果文件"), upload_to=result_path, max_length=300, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    error = models.TextField(_("错误"), blank=True)
    error_detail = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=100, blank=True)
    token = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [
            models.Index(fields=["started_by", "-created_at"], name="job_user_created"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(total__isnull=True) | models.Q(done__lte=models.F("total")),
                                   name="job_done_within_total"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def percent(self) -> int | None:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))

    @property
    def elapsed(self) -> dt.timedelta | None:
        if self.started_at is None:
            return None
        return (self.finished_at or timezone.now()) - self.started_at
