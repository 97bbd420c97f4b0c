"""The reserve pool (DOMAIN §3.4, R24): reserve cadres in tiers 1–3 with their entry, tier
changes and exit; composition targets; training classes (中青班) with enrolment, sessions,
attendance, assignments, evaluation and graduation."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tier(models.IntegerChoices):
    ONE = 1, _("第一层次")
    TWO = 2, _("第二层次")
    THREE = 3, _("第三层次")


class EntrySource(models.TextChoices):
    MEETING = "meeting", _("民主推荐会议")
    ORGANISATION = "organisation", _("组织推荐")
    PERFORMANCE = "performance", _("实绩备案")


class ReserveStatus(models.TextChoices):
    ACTIVE = "active", _("在库")
    EXITED = "exited", _("已出库")


class ExitReason(models.TextChoices):
    PROMOTED = "promoted", _("提拔任职")
    OVER_AGE = "over_age", _("超过年龄")
    PROBLEM = "problem", _("发现问题")
    RESIGNED = "resigned", _("辞职或调离")
    BY_DECISION = "by_decision", _("组织决定")


class ReserveCadre(models.Model):
    """One stay of a cadre in the pool, from reserve_entry to reserve_exit. A cadre has at
    most one active stay (a constraint)."""

    cadre = models.ForeignKey("people.Cadre", verbose_name=_("干部"), on_delete=models.PROTECT,
                              related_name="reserve_stays")
    tier = models.PositiveSmallIntegerField(_("层次"), choices=Tier.choices)
    target_rank = models.ForeignKey("people.Rank", verbose_name=_("拟培养职级"), on_delete=models.PROTECT,
                                    related_name="+")
    source = models.CharField(_("推荐来源"), max_length=20, choices=EntrySource.choices)
    source_meeting = models.ForeignKey("meetings.Meeting", verbose_name=_("推荐会议"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    source_note = models.CharField(_("推荐依据"), max_length=300, blank=True)
    entered_on = models.DateField(_("入库日期"))
    profile = models.TextField(_("简要情况"), max_length=500, blank=True)
    ready_soon = models.BooleanField(_("近期可提拔"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=ReserveStatus.choices, default=ReserveStatus.ACTIVE)
    exited_on = models.DateField(_("出库日期"), null=True, blank=True)
    exit_reason = models.CharField(_("出库原因"), max_length=20, choices=ExitReason.choices, blank=True)
    exit_note = models.CharField(_("出库说明"), max_length=500, blank=True)
    entry_check = models.JSONField(_("入库资格审查"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["tier", "id"]
        verbose_name = _("后备干部")
        verbose_name_plural = _("后备干部")
        constraints = [
            models.UniqueConstraint(fields=["cadre"], condition=models.Q(status="active"),
                                    name="reserve_one_active_stay"),
            models.CheckConstraint(condition=models.Q(tier__gte=1, tier__lte=3), name="reserve_tier_1_to_3"),
        ]
        # The pool list pages in (tier, id) order off this index: no sort of the whole pool.
        indexes = [models.Index(fields=["status", "tier", "id"], name="reserve_status_tier_id")]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.get_tier_display()}"

    @property
    def is_active(self) -> bool:
        return self.status == ReserveStatus.ACTIVE


class ChangeKind(models.TextChoices):
    ENTRY = "entry", _("入库")
    TIER_CHANGE = "tier_change", _("调整层次")
    EXIT = "exit", _("出库")


class ReserveChange(models.Model):
    """The history a cadre's page shows: entry, each tier change, exit."""

    reserve = models.ForeignKey(ReserveCadre, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("变动"), max_length=20, choices=ChangeKind.choices)
    from_tier = models.PositiveSmallIntegerField(_("原层次"), choices=Tier.choices, null=True, blank=True)
    to_tier = models.PositiveSmallIntegerField(_("新层次"), choices=Tier.choices, null=True, blank=True)
    on = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["reserve", "on", "id"]
        verbose_name = _("后备干部变动")

    def __str__(self) -> str:
        return f"{self.reserve_id} {self.kind} {self.on}"


class Measure(models.TextChoices):
    WOMEN = "women", _("女干部")
    NON_PARTY = "non_party", _("党外干部")
    UNDER_40 = "under_40", _("40岁以下")
    UNDER_35 = "under_35", _("35岁以下")
    FULLTIME_DEGREE = "fulltime_degree", _("全日制本科以上")
    READY_SOON = "ready_soon", _("近期可提拔")


class CompositionTarget(models.Model):
    """A minimum share of one measure, per tier (null: every tier) and unit category ("":
    every category). The most specific target applies."""

    tier = models.PositiveSmallIntegerField(_("层次"), choices=Tier.choices, null=True, blank=True)
    unit_kind = models.CharField(_("单位类别"), max_length=20, blank=True)
    measure = models.CharField(_("结构指标"), max_length=20, choices=Measure.choices)
    min_share = models.CharField(_("最低比例"), max_length=10, help_text=_("如 20% 或 1/3"))

    class Meta:
        ordering = ["measure", "tier", "unit_kind"]
        verbose_name = _("结构目标")
        constraints = [models.UniqueConstraint(fields=["tier", "unit_kind", "measure"], name="composition_target_once",
                                               nulls_distinct=False)]

    def __str__(self) -> str:
        return f"{self.measure} {self.tier} {self.unit_kind} {self.min_share}"


class TrainingClass(models.Model):
    """中青班: a training class for young and middle-aged cadres."""

    name = models.CharField(_("班次名称"), max_length=200, unique=True)
    starts_on = models.DateField(_("开班日期"))
    ends_on = models.DateField(_("结业日期"))
    curriculum = models.TextField(_("课程安排"), blank=True)
    graduated_on = models.DateField(_("结业时间"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("中青班")
        verbose_name_plural = _("中青班")
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="training_class_ends_after_start")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_graduated(self) -> bool:
        return self.graduated_on is not None


class ClassSession(models.Model):
    """One session (one day or half-day of the curriculum) on which attendance is taken."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("日期"))
    topic = models.CharField(_("课程"), max_length=200)

    class Meta:
        ordering = ["training_class", "held_on", "id"]
        verbose_name = _("课程")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


class TraineeStatus(models.TextChoices):
    ENROLLED = "enrolled", _("在学")
    GRADUATED = "graduated", _("已结业")
    NOT_GRADUATED = "not_graduated", _("未结业")
    WITHDRAWN = "withdrawn", _("退学")


class ClassGrade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class Trainee(models.Model):
    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="trainees")
    cadre = models.ForeignKey("people.Cadre", verbose_name=_("学员"), on_delete=models.PROTECT, related_name="trainings")
    reserve = models.ForeignKey(ReserveCadre, null=True, blank=True, on_delete=models.PROTECT, related_name="trainings")
    decision = models.CharField(_("调训决定"), max_length=300, blank=True,
                                help_text=_("非第一层次后备干部参训须注明组织决定"))
    enrolled_on = models.DateField(_("报到日期"))
    status = models.CharField(_("状态"), max_length=20, choices=TraineeStatus.choices, default=TraineeStatus.ENROLLED)
    grade = models.CharField(_("结业鉴定等次"), max_length=20, choices=ClassGrade.choices, blank=True)
    comment = models.TextField(_("鉴定评语"), blank=True)
    graduated_on = models.DateField(_("结业日期"), null=True, blank=True)
    status_note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["training_class", "cadre__name_pinyin", "id"]
        verbose_name = _("中青班学员")
        constraints = [models.UniqueConstraint(fields=["training_class", "cadre"], name="trainee_once_per_class")]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.training_class}"


class Attendance(models.Model):
    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="attendance")
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("出勤"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("考勤")
        constraints = [models.UniqueConstraint(fields=["session", "trainee"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.trainee_id} {'present' if self.present else 'absent'}"


class Assignment(models.Model):
    """A trainee's written assignment (调研报告, 心得体会) with its mark."""

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(_("作业题目"), max_length=200)
    submitted_on = models.DateField(_("提交日期"))
    mark = models.CharField(_("评定"), max_length=20, choices=ClassGrade.choices)
    comment = models.CharField(_("评语"), max_length=500, blank=True)

    class Meta:
        ordering = ["trainee", "submitted_on", "id"]
        verbose_name = _("学员作业")

    def __str__(self) -> str:
        return self.title
