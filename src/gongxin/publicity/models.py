"""Notices (vacancy, exam results, pre-appointment publicity, appointment), their entries,
public feedback with tracking codes, appointments with probation, and the working-day
override table."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkdayOverride(models.Model):
    """An admin's row for a day the calendar package gets wrong or does not know yet
    (a year whose State Council notice came after the package release)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("上班"), help_text=_("勾选：当天上班（含调休上班）；不勾选：当天放假"))
    note = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("如：2027 年元旦放假"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '放假'}"


class NoticeKind(models.TextChoices):
    VACANCY = "vacancy", _("职位空缺公告")
    EXAM_RESULTS = "exam_results", _("考试成绩公告")
    PRE_APPOINTMENT = "pre_appointment", _("任前公示")
    APPOINTMENT = "appointment", _("任职通知")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CLOSED = "closed", _("已结束")


class NoticePhase(models.TextChoices):
    DRAFT = "draft", _("草稿")
    UPCOMING = "upcoming", _("即将开始")
    IN_PERIOD = "in_period", _("正在公示")
    ENDED = "ended", _("已结束")


class NameOrder(models.TextChoices):
    SURNAME = "surname", _("按姓氏笔画排序")
    FULL_NAME = "full_name", _("按姓名笔画排序")


class Notice(models.Model):
    kind = models.CharField(_("类别"), max_length=20, choices=NoticeKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True, max_length=20000)
    org_unit = models.ForeignKey("people.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT,
                                 related_name="notices")
    case_id = models.BigIntegerField(_("案件编号"), null=True, blank=True, db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    name_order = models.CharField(_("姓名排序"), max_length=10, choices=NameOrder.choices, default=NameOrder.SURNAME)
    working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), null=True, blank=True)
    rule_source = models.CharField(_("公示期依据"), max_length=200, blank=True)
    period_start = models.DateField(_("公示开始"), null=True, blank=True)
    period_end = models.DateField(_("公示截止"), null=True, blank=True)
    calendar_warnings = models.JSONField(_("日历提示"), default=list, blank=True)
    contact = models.CharField(_("受理电话及地址"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ledger_seq = models.BigIntegerField(_("账本序号"), null=True, blank=True)
    leaf_hash = models.CharField(_("账本叶哈希"), max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("公告")
        verbose_name_plural = _("公告")
        indexes = [models.Index(fields=["status", "period_end"], name="notice_status_end")]
        constraints = [models.CheckConstraint(
            condition=models.Q(period_end__isnull=True) | models.Q(period_end__gte=models.F("period_start")),
            name="notice_period_end_after_start")]

    def __str__(self) -> str:
        return self.title

    def in_period(self, day) -> bool:
        return self.phase(day) == NoticePhase.IN_PERIOD

    def period_over(self, day) -> bool:
        return self.period_end is not None and day > self.period_end

    def phase(self, day) -> str:
        """Where the notice stands on ``day``, from its dates alone (nobody has to close it):
        upcoming before its start, in period until its end (or its deadline), ended after."""
        if self.status == NoticeStatus.DRAFT:
            return NoticePhase.DRAFT
        if self.status == NoticeStatus.CLOSED or self.period_over(day):
            return NoticePhase.ENDED
        if self.period_start is not None and day < self.period_start:
            return NoticePhase.UPCOMING
        return NoticePhase.IN_PERIOD

    def phase_label(self, day) -> str:
        return NoticePhase(self.phase(day)).label

    @property
    def takes_feedback(self) -> bool:
        """Any notice the public can read takes feedback; after its period it is received as a
        complaint (信访举报) and the sender is told so."""
        return self.status in (NoticeStatus.PUBLISHED, NoticeStatus.CLOSED)


class NoticeEntry(models.Model):
    """One person in a notice, with the fields of R29, frozen when the notice is drafted."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    cadre = models.ForeignKey("people.Cadre", verbose_name=_("干部"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="notice_entries")
    post = models.ForeignKey("people.Post", verbose_name=_("拟任职位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    candidate_id = models.BigIntegerField(null=True, blank=True)
    name = models.CharField(_("姓名"), max_length=30)
    sex = models.CharField(_("性别"), max_length=4, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    birth = models.CharField(_("出生年月"), max_length=10, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=30, blank=True)
    education = models.CharField(_("学历学位"), max_length=100, blank=True)
    work_started = models.CharField(_("参加工作时间"), max_length=10, blank=True)
    current_post = models.CharField(_("现任职务"), max_length=200, blank=True)
    proposed_post = models.CharField(_("拟任职务"), max_length=200, blank=True)
    resume = models.TextField(_("简要经历"), blank=True, max_length=4000)
    extra = models.CharField(_("其他说明"), max_length=300, blank=True, help_text=_("如：考试成绩、破格理由"))

    class Meta:
        ordering = ["notice", "position", "id"]
        verbose_name = _("公告人员")
        verbose_name_plural = _("公告人员")

    def __str__(self) -> str:
        return self.name


class FeedbackCategory(models.TextChoices):
    INTEGRITY = "integrity", _("廉洁自律")
    CONDUCT = "conduct", _("工作作风")
    PERFORMANCE = "performance", _("工作实绩")
    QUALIFICATION = "qualification", _("任职资格与档案")
    PROCEDURE = "procedure", _("选拔程序")
    OTHER = "other", _("其他")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    IN_PROGRESS = "in_progress", _("核查中")
    TRANSFERRED = "transferred", _("已转问题档案核查")
    RESOLVED = "resolved", _("已办结")


OPEN_FEEDBACK = [FeedbackStatus.RECEIVED, FeedbackStatus.IN_PROGRESS, FeedbackStatus.TRANSFERRED]


class Feedback(models.Model):
    """A member of the public's feedback on a notice or one person in it."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="feedback")
    entry = models.ForeignKey(NoticeEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback")
    code = models.CharField(_("查询码"), max_length=20, unique=True)
    category = models.CharField(_("类别"), max_length=20, choices=FeedbackCategory.choices)
    text = models.TextField(_("反映内容"), max_length=5000)
    contact_name = models.CharField(_("姓名"), max_length=30, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.RECEIVED)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("承办人"))
    reply = models.TextField(_("答复"), blank=True, max_length=5000)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    finding = models.TextField(_("核查情况（内部）"), blank=True, max_length=5000)
    problem_file_ref = models.CharField(_("问题档案编号"), max_length=64, blank=True)
    # Received after the notice's period: taken as a complaint (信访举报), not as publicity feedback.
    after_period = models.BooleanField(_("公示期后收到"), default=False)
    address_hash = models.CharField(max_length=64, blank=True, editable=False)
    received_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("公示反馈")
        verbose_name_plural = _("公示反馈")
        indexes = [models.Index(fields=["notice", "status"], name="feedback_notice_status")]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_FEEDBACK


class FeedbackAttachment(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="feedback/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["feedback", "id"]

    def __str__(self) -> str:
        return self.original_name


class ProbationStatus(models.TextChoices):
    NONE = "none", _("不实行试用期")
    ON_PROBATION = "on_probation", _("试用期中")
    EXTENDED = "extended", _("延长试用期")
    CONFIRMED = "confirmed", _("试用期满正式任职")
    NOT_CONFIRMED = "not_confirmed", _("试用期不合格")


class ProbationDecision(models.TextChoices):
    CONFIRM = "confirm", _("正式任职")
    EXTEND = "extend", _("延长试用期")
    NOT_CONFIRM = "not_confirm", _("不予正式任职")


class Appointment(models.Model):
    cadre = models.ForeignKey("people.Cadre", verbose_name=_("干部"), on_delete=models.PROTECT,
                              related_name="appointments")
    post = models.ForeignKey("people.Post", verbose_name=_("职位"), on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="+")
    holding = models.ForeignKey("people.PostHolding", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments")
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    start = models.DateField(_("任职时间"))
    document_number = models.CharField(_("任职文号"), max_length=100, blank=True)
    probation_status = models.CharField(_("试用期"), max_length=20, choices=ProbationStatus.choices,
                                        default=ProbationStatus.NONE)
    probation_end = models.DateField(_("试用期满"), null=True, blank=True)
    decision = models.CharField(_("期满决定"), max_length=20, choices=ProbationDecision.choices, blank=True)
    decision_note = models.TextField(_("考核意见"), blank=True, max_length=4000)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        indexes = [models.Index(fields=["probation_status", "probation_end"], name="appointment_probation")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.post}"
