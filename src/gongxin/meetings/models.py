"""Recommendation meetings (DOMAIN §3.1): posts, candidates, electorate, check-in, one-time
codes, ballots, tellers' entries and the result.

Secrecy is a property of this schema, and a test reads it: nothing links ``Elector`` or
``CheckIn`` to ``Ballot``, ``SealedBallot``, ``BallotCode`` or ``Receipt``; a ballot has a random
id and no time or sequence; a code is kept only as its hash and says nothing about who held it.
While a meeting is open its ballots exist only as ``SealedBallot`` boxes the system cannot read
(the database's own row order may still link a box to a code: that is why it is sealed); the
plaintext ``Ballot`` rows are written once, shuffled, when the tellers open the box at close."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MeetingMode(models.TextChoices):
    OPEN = "open", _("海选（可推荐任何符合条件的干部）")
    LIST = "list", _("按候选人名单推荐")
    RATING = "rating", _("评议（每项选择一个等次）")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已结束计票")
    PUBLISHED = "published", _("已公布")


class Meeting(models.Model):
    title = models.CharField(_("会议名称"), max_length=200)
    org_unit = models.ForeignKey("people.OrgUnit", verbose_name=_("组织单位"), on_delete=models.PROTECT,
                                 related_name="meetings")
    scope_unit = models.ForeignKey("people.OrgUnit", verbose_name=_("推荐范围"), on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True,
                                   help_text=_("海选时可被推荐的干部所在单位（含下级），默认与组织单位相同"))
    case = models.ForeignKey("cases.Case", verbose_name=_("所属选任案件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="meetings")
    mode = models.CharField(_("推荐方式"), max_length=10, choices=MeetingMode.choices, default=MeetingMode.OPEN)
    status = models.CharField(_("状态"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT)
    meeting_date = models.DateField(_("会议日期"), default=timezone.localdate)
    location = models.CharField(_("会议地点"), max_length=200, blank=True)
    # Rules as plain JSON (fractions as "a/b" text); frozen (and recorded) when the meeting opens.
    rules = models.JSONField(_("规则"), default=dict, blank=True)
    seed_hash = models.CharField(_("随机种子哈希"), max_length=64, blank=True)
    seed = models.CharField(_("随机种子"), max_length=200, blank=True, help_text=_("计票后公开"))
    # Paper-side counts the clerk enters at close (the electronic side is counted from codes).
    slips_issued = models.PositiveIntegerField(_("发出选票数"), null=True, blank=True)
    paper_spoiled = models.PositiveIntegerField(_("作废纸质选票数"), default=0)
    # The sealed box (``sealing``): set when the meeting opens, recorded in the ledger. The
    # private key is never stored; the tellers hold it as k-of-n shares.
    seal_public_key = models.CharField(_("投票箱公钥"), max_length=64, blank=True)
    seal_k = models.PositiveSmallIntegerField(_("开箱所需份额数"), null=True, blank=True)
    seal_n = models.PositiveSmallIntegerField(_("密钥份额总数"), null=True, blank=True)
    seal_length = models.PositiveIntegerField(_("密封选票长度"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-meeting_date", "-id"]
        verbose_name = _("推荐会议")
        verbose_name_plural = _("推荐会议")

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == MeetingStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == MeetingStatus.OPEN

    @property
    def is_sealed(self) -> bool:
        """Ballots go into the sealed box (every meeting opened since sealing exists)."""
        return bool(self.seal_public_key)

    @property
    def is_rating(self) -> bool:
        return self.mode == MeetingMode.RATING


class MeetingPost(models.Model):
    """One post on the ballot; a voter may give up to ``k`` names for it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="posts")
    post = models.ForeignKey("people.Post", verbose_name=_("职位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("职位名称"), max_length=200)
    k = models.PositiveSmallIntegerField(_("可推荐人数"), default=1)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    # A rating meeting's item (``rating``): the options a voter chooses one of, and the cadre
    # it rates, if any (a newly promoted cadre in 一报告两评议).
    options = models.JSONField(_("评价等次"), default=list, blank=True)
    subject = models.ForeignKey("people.Cadre", verbose_name=_("评议对象"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("推荐职位")
        constraints = [
            models.CheckConstraint(condition=models.Q(k__gte=1), name="meeting_post_k_positive"),
            models.UniqueConstraint(fields=["meeting", "position"], name="meeting_post_unique_position"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def key(self) -> str:
        return str(self.position + 1)


class MeetingCandidate(models.Model):
    """A name printed on a candidate-list ballot."""

    meeting_post = models.ForeignKey(MeetingPost, on_delete=models.CASCADE, related_name="candidates")
    cadre = models.ForeignKey("people.Cadre", verbose_name=_("干部"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["meeting_post", "cadre__name_pinyin", "id"]
        verbose_name = _("候选人")
        constraints = [models.UniqueConstraint(fields=["meeting_post", "cadre"], name="meeting_candidate_once")]

    def __str__(self) -> str:
        return str(self.cadre)


class Elector(models.Model):
    """One person on the electorate (应到)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="electors")
    cadre = models.ForeignKey("people.Cadre", verbose_name=_("干部"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["meeting", "cadre__name_pinyin", "id"]
        verbose_name = _("应到人员")
        constraints = [models.UniqueConstraint(fields=["meeting", "cadre"], name="elector_once")]

    def __str__(self) -> str:
        return str(self.cadre)


class CheckIn(models.Model):
    """An elector is present (实到). Deliberately no time: nothing here can be lined up with a
    ballot. It is never linked to a ballot, a code or a receipt."""

    elector = models.OneToOneField(Elector, on_delete=models.CASCADE, related_name="check_in")

    class Meta:
        verbose_name = _("签到")

    def __str__(self) -> str:
        return f"签到 {self.elector_id}"


class CodeStatus(models.TextChoices):
    UNUSED = "unused", _("未使用")
    USED = "used", _("已投票")
    SPOILED = "spoiled", _("已作废")


class BallotCode(models.Model):
    """A one-time voting code (80 random bits), kept only as its SHA-256. Not linked to anyone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    # the receipt this code's voter is shown (``codes.receipt_for``); published at close
    receipt = models.CharField(max_length=10, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=CodeStatus.choices, default=CodeStatus.UNUSED)

    class Meta:
        verbose_name = _("投票码")
        indexes = [models.Index(fields=["meeting", "status"], name="ballot_code_meeting_status")]

    def __str__(self) -> str:
        return f"投票码 {self.code_hash[:8]}…"


def random_ballot_id() -> int:
    return secrets.randbits(62) + 1


class RandomIdField(models.BigIntegerField):
    """A random 62-bit primary key. On SQLite it is declared ``integer`` so that it is the
    table's rowid: the rows are then stored in the order of their random ids, not in the order
    they were cast, and a bulk load sorted by id appends without a separate index."""

    def db_type(self, connection):
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


class Ballot(models.Model):
    """One ballot: a random id and its contents (see ``tally``: "12,5|7"). No time, no
    sequence, no link to a code, a receipt or a voter. Rewritten at close, shuffled, under new
    random ids; published in that shuffled order.

    The table is built for bulk loads (``ingest``), and nothing ever looks a ballot up by id:
    a meeting's ballots are counted while it is open and read whole at close, by a scan.
    - ``meeting`` has no database-level foreign key constraint (``db_constraint=False``) and
      no index: on PostgreSQL the per-row constraint trigger cost three times the whole COPY
      of a million ballots, and an index would double every load.
    - On PostgreSQL the id has no primary-key index either (migration 0002). Measured on a
      million ballots, binary COPY: 1.65 s with the index against 0.67 s without, and 2.78 s
      against 0.73 s once the table held another meeting's million (random ids scatter the
      index's inserts; unsorted, 3.3–3.9 s). Ids are distinct within each load
      (``ingest.random_ids``) and 62 random bits wide across loads; the table is
      ``REPLICA IDENTITY FULL`` so that logical replication still works.
    - On SQLite the id is the rowid (``RandomIdField``): the table itself is the index.
    Ballots are written by ``ingest.insert_ballots`` when the sealed box is opened at close
    (and by ``cast_ballot`` only for a meeting opened before sealing existed), under a lock on
    their meeting, and deleted with it (Django's CASCADE)."""

    id = RandomIdField(primary_key=True, default=random_ballot_id, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ballots", db_constraint=False,
                                db_index=False)
    contents = models.TextField()

    class Meta:
        verbose_name = _("选票")

    def __str__(self) -> str:
        return f"选票 {self.id}"


class SealedBallot(models.Model):
    """One ballot in the sealed box while the meeting is open: a random id and the box
    (``sealing``: encrypted to the meeting's public key, all of a meeting's boxes one size).
    No link to a code, a receipt or a voter; the system cannot read it. Opened, shuffled and
    deleted at close (``opening``); like ``Ballot``, no foreign-key constraint and no index on
    the meeting (read whole, by a scan, once)."""

    id = RandomIdField(primary_key=True, default=random_ballot_id, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sealed_ballots",
                                db_constraint=False, db_index=False)
    box = models.BinaryField()

    class Meta:
        verbose_name = _("密封选票")

    def __str__(self) -> str:
        return f"密封选票 {self.id}"


class Receipt(models.Model):
    """A receipt code of the published list: proves a ballot was recorded, says nothing of its
    contents. Written only at close, from the used codes, in a random order (so no row keeps
    the order of casting); while the meeting is open the receipt is looked up on its code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="receipts")
    code = models.CharField(max_length=20, db_index=True)

    class Meta:
        verbose_name = _("回执码")

    def __str__(self) -> str:
        return self.code


class TellerEntry(models.Model):
    """A paper ballot as keyed in by one of two tellers, by its place in the counted pile.
    The two tellers' entries must agree before the meeting can close."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="teller_entries")
    teller = models.PositiveSmallIntegerField(_("计票人"), choices=[(1, _("计票人一")), (2, _("计票人二"))])
    pile_no = models.PositiveIntegerField(_("选票序号（计票顺序）"))
    contents = models.TextField(_("内容"), blank=True)   # empty once sealed: see ``sealed``
    sealed = models.BinaryField(null=True, blank=True)      # the contents, in the sealed box
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["meeting", "pile_no", "teller"]
        verbose_name = _("计票录入")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "teller", "pile_no"], name="teller_entry_once"),
            models.CheckConstraint(condition=models.Q(teller__in=[1, 2]), name="teller_entry_teller_1_or_2"),
        ]

    def __str__(self) -> str:
        return f"{self.teller}#{self.pile_no}"


class MeetingResult(models.Model):
    """The tally at close, the slate once the seed is revealed, and the published files."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="result")
    accounting = models.JSONField(default=dict)
    tally = models.JSONField(default=dict)          # tally.result(...) without seed, then with
    ballots_sha256 = models.CharField(max_length=64)
    ballot_list = models.BinaryField(default=b"")              # shuffled ballots, one per line (hashed)
    ballots_file = models.BinaryField(null=True, blank=True)   # published ballots.json
    receipts_file = models.BinaryField(null=True, blank=True)  # published receipts.txt
    notice = models.JSONField(default=dict, blank=True)        # what the results notice shows
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("计票结果")

    def __str__(self) -> str:
        return f"结果 {self.meeting_id}"
