from django.db import models


class Event(models.Model):
    """One leaf of the ledger. Append-only (database triggers refuse UPDATE and DELETE).

    ``data`` holds the canonical JSON envelope {seq, kind, subject, actor, time, payload};
    ``leaf_hash`` = SHA-256(0x00 ‖ data), as RFC 9162 §2.1. ``seq`` is the leaf index, from 0.
    The other columns repeat parts of ``data`` for browsing; ``data`` is what is hashed.

    ``nodes`` stores the perfect Merkle subtrees this leaf completes: leaf ``seq`` completes
    levels 1..t where t is the number of trailing one bits of ``seq`` — node (level, index)
    lives in event (index + 1)·2^level − 1 at bytes [32·(level − 1), 32·level). Roots and proofs
    for any size read O(log n) of them (``tree.py``); ``gongxin ledger verify`` rechecks them."""

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
    nodes = models.BinaryField("子树哈希", default=b"", blank=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = "账本事件"
        verbose_name_plural = "账本事件"
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="ledger_event_subject"),
                   models.Index(fields=["leaf_hash"], name="ledger_event_leaf")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"


class LedgerHead(models.Model):
    """A single row: how many events there are. Locked (SELECT … FOR UPDATE; on SQLite the
    IMMEDIATE transaction) to serialise appends. ``frontier`` holds the perfect subtrees that
    cover [0, size) — at most 64 hashes — so the current root costs no query."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)
    frontier = models.BinaryField(default=b"", blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="ledger_head_single_row")]

    def __str__(self) -> str:
        return f"ledger size {self.size}"


class Checkpoint(models.Model):
    """A signed statement of the ledger's size and root: the C2SP signed-note text as signed.
    Append-only (triggers); sizes never shrink (``checkpoints.sign_checkpoint`` refuses)."""

    size = models.BigIntegerField("大小")
    root = models.BinaryField("根哈希", max_length=32)
    note = models.TextField("签名文本")
    key_name = models.CharField("密钥名称", max_length=100)
    reason = models.CharField("原因", max_length=200, blank=True)
    signed_at = models.DateTimeField("签名时间", db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "检查点"
        verbose_name_plural = "检查点"
        indexes = [models.Index(fields=["size"], name="ledger_checkpoint_size")]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"


class Cosignature(models.Model):
    """A witness's cosignature on a checkpoint (C2SP tlog-cosignature): the signature line as
    the witness returned it, checked against the configured witness key before it is stored.
    The published checkpoint is the checkpoint's note with these lines appended."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="cosignatures",
                                   verbose_name="检查点")
    witness_name = models.CharField("见证方名称", max_length=200)
    key_id = models.CharField("见证密钥编号", max_length=8)
    signed_time = models.BigIntegerField("见证时间（Unix 秒）")
    line = models.TextField("签名行")
    received_at = models.DateTimeField("收到时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "见证签名"
        verbose_name_plural = "见证签名"
        constraints = [models.UniqueConstraint(fields=["checkpoint", "key_id"], name="ledger_cosignature_once")]

    def __str__(self) -> str:
        return f"{self.witness_name} on checkpoint {self.checkpoint_id}"


class WitnessRefusal(models.Model):
    """A witness that did not cosign a checkpoint, and why (what it answered): kept, because a
    refusal for a fork is evidence; shown on the public ledger page."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="witness_refusals",
                                   verbose_name="检查点")
    witness_name = models.CharField("见证方名称", max_length=200)
    key_id = models.CharField("见证密钥编号", max_length=8)
    status = models.PositiveSmallIntegerField("HTTP 状态", default=0)
    message = models.CharField("原因", max_length=500)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "见证拒签"
        verbose_name_plural = "见证拒签"

    def __str__(self) -> str:
        return f"{self.witness_name} refused checkpoint {self.checkpoint_id}"
