from django.db import models


class Event(models.Model):
    """One leaf of the ledger. Append-only (database triggers refuse UPDATE and DELETE).

    ``data`` holds the canonical JSON envelope {seq, kind, subject, actor, time, payload};
    ``leaf_hash`` = SHA-256(0x00 ‖ data), as RFC 9162 §2.1. ``seq`` is the leaf index, from 0."""

    seq = models.BigIntegerField("序号", primary_key=True)
    kind = models.CharField("类型", max_length=100, db_index=True)
    subject_type = models.CharField("对象类型", max_length=100)
    subject_id = models.CharField("对象编号", max_length=64)
    actor_id = models.BigIntegerField("操作人编号", null=True, blank=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    recorded_at = models.DateTimeField("时间", db_index=True)
    public = models.BooleanField("公开", default=False)
    data = models.BinaryField("内容")
    leaf_hash = models.BinaryField("叶哈希", max_length=32)

    class Meta:
        ordering = ["seq"]
        verbose_name = "账本事件"
        verbose_name_plural = "账本事件"
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="ledger_event_subject")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"


class LedgerHead(models.Model):
    """A single row: how many events there are. Locked to serialise appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="ledger_head_single_row")]
