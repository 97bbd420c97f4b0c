"""Reminders: a notification per workbench line the user has not yet been told about."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=200)
    title = models.CharField(_("提醒内容"), max_length=300)
    url = models.CharField(max_length=500)
    deadline = models.DateField(_("期限"), null=True, blank=True)
    overdue = models.BooleanField(_("已逾期"), default=False)
    created_at = models.DateTimeField(_("提醒时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.title


class ReminderSweep(models.Model):
    """When reminders were last swept for every user (one row): the worker's once-a-minute
    call sweeps at most every settings.GONGXIN_REMINDER_EVERY_MINUTES."""

    ran_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.ran_at.isoformat()
