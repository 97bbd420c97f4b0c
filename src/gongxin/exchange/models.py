"""An upload waiting between preview and apply: the file as sent, the column mapping chosen
for it, the fixes typed for bad rows and the rows skipped on purpose. Applying reads the
file again through these, so what is saved is exactly what the preview showed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StagedImport(models.Model):
    class Kind(models.TextChoices):
        EXCEL = "excel", _("Excel 干部名册")
        LRMX = "lrmx", _("任免审批表（LRMX）")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(upload_to="exchange/uploads/%Y%m/", max_length=300)
    sha256 = models.CharField(max_length=64)
    mapping = models.JSONField(default=dict, blank=True)   # field → column index
    fixes = models.JSONField(default=dict, blank=True)     # "row number" → {field: text}
    skipped = models.JSONField(default=list, blank=True)   # row numbers
    org_unit = models.ForeignKey("people.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
