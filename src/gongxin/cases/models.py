"""Selection cases (DOMAIN §2): a case fills one or more posts, from motion to appointment.

Rules are data (DOMAIN §5): a ``RuleSet`` per jurisdiction and version, frozen by a case at
its motion; ``Rule`` rows carry parameters and their source text."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_JURISDICTION = "county"


class CaseStage(models.TextChoices):
    MOTION = "motion", _("动议")
    NOMINATION = "nomination", _("提名")
    CANDIDATES = "candidates", _("确定考察对象")
    INSPECTION = "inspection", _("考察与联审")
    DECISION = "decision", _("讨论决定")
    PUBLICITY = "publicity", _("任前公示")
    APPOINTMENT = "appointment", _("任职")
    CLOSED = "closed", _("办结")


STAGE_ORDER = list(CaseStage.values)


class CaseStatus(models.TextChoices):
    ACTIVE = "active", _("进行中")
    SUSPENDED = "suspended", _("已暂停")
    WITHDRAWN = "withdrawn", _("已撤销")
    COMPLETED = "completed", _("已办结")


class Channel(models.TextChoices):
    OPEN_NOMINATION = "open_nomination", _("海选（会议推荐）")
    PERFORMANCE = "performance", _("实绩备案提名")
    RESERVE_DIRECT = "reserve_direct", _("后备干部直接提名")
    SELF_NOMINATION = "self_nomination", _("自荐")
    PUBLIC_SELECTION = "public_selection", _("公开选拔")
    RECRUITMENT = "recruitment", _("公开招录")
    COMPETITIVE_POSTING = "competitive_posting", _("竞争上岗")
    TWO_WAY_SELECTION = "two_way_selection", _("双向选择")
    VILLAGE_TO_TOWNSHIP = "village_to_township", _("优秀村干部进入乡镇机关")


class CandidateStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    SUSPENDED = "suspended", _("暂停")
    DISQUALIFIED = "disqualified", _("取消资格")
    WITHDRAWN = "withdrawn", _("退出")
    NOT_PASSED = "not_passed", _("未通过")
    APPOINTED = "appointed", _("已任职")


class RuleSet(models.Model):
    """One version of the rules of a jurisdiction. Versions are never edited once a newer one
    exists; an edit makes a new version. ``frozen`` is set when a case freezes it."""

    jurisdiction = models.CharField(_("适用范围"), max_length=50, default=DEFAULT_JURISDICTION)
    version = models.PositiveIntegerField(_("版本"))
    effective_from = models.DateField(_("生效日期"))
    frozen = models.BooleanField(_("已被案件冻结"), default=False)
    note = models.CharField(_("修订说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["jurisdiction", "-version"]
        verbose_name = _("规则集")
        verbose_name_plural = _("规则集")
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "version"], name="rule_set_unique_version")]

    def __str__(self) -> str:
        return f"{self.jurisdiction} v{self.version}"


class Rule(models.Model):
    """One rule (R1..R29) with its parameters and its source. ``variant`` tells apart rows of
    the same rule for different post levels (R1: "county" 县处级, "section" 科级)."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField(_("编号"), max_length=10)
    variant = models.CharField(_("适用层级"), max_length=20, blank=True, default="")
    name = models.CharField(_("名称"), max_length=100)
    parameters = models.JSONField(_("参数"), default=dict, blank=True)
    regulation = models.CharField(_("依据法规"), max_length=200, blank=True)
    article = models.CharField(_("条款"), max_length=100, blank=True)
    source_text = models.TextField(_("条文"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["rule_set", "sort_order", "code", "variant"]
        verbose_name = _("规则")
        verbose_name_plural = _("规则")
        constraints = [models.UniqueConstraint(fields=["rule_set", "code", "variant"], name="rule_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}{'/' + self.variant if self.variant else ''} {self.name}"

    @property
    def source(self) -> str:
        return f"{self.regulation}{self.article}"


class Case(models.Model):
    title = models.CharField(_("案件名称"), max_length=200)
    org_unit = models.ForeignKey("people.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT,
                                 related_name="cases")
    stage = models.CharField(_("阶段"), max_length=20, choices=CaseStage.choices, default=CaseStage.MOTION)
    status = models.CharField(_("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.ACTIVE)
    status_reason = models.CharField(_("暂停或撤销原因"), max_length=500, blank=True)
    motion_reason = models.TextField(_("动议理由"), blank=True)
    channels = models.JSONField(_("提名渠道"), default=list, blank=True)
    rule_set = models.ForeignKey(RuleSet, verbose_name=_("规则版本"), on_delete=models.PROTECT,
                                 related_name="cases")
    motion_date = models.DateField(_("动议日期"), default=timezone.localdate)
    stage_entered_at = models.DateTimeField(_("进入本阶段时间"), default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("选任案件")
        verbose_name_plural = _("选任案件")
        indexes = [models.Index(fields=["stage", "status"], name="case_stage_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status == CaseStatus.ACTIVE


class CasePost(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_posts")
    post = models.ForeignKey("people.Post", verbose_name=_("职位"), on_delete=models.PROTECT, related_name="case_posts")
    count = models.PositiveSmallIntegerField(_("拟选人数"), default=1)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("案件职位")
        constraints = [
            models.UniqueConstraint(fields=["case", "post"], name="case_post_unique"),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="case_post_count_positive"),
        ]

    def __str__(self) -> str:
        return str(self.post)


class Candidate(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="candidates")
    cadre = models.ForeignKey("people.Cadre", verbose_name=_("干部"), on_delete=models.PROTECT,
                              related_name="candidacies")
    post = models.ForeignKey("people.Post", verbose_name=_("拟任职位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="candidates")
    channel = models.CharField(_("提名渠道"), max_length=30, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=20, choices=CandidateStatus.choices,
                              default=CandidateStatus.ACTIVE)
    status_reason = models.CharField(_("状态原因"), max_length=500, blank=True)
    evidence = models.JSONField(_("提名依据"), default=dict, blank=True)
    # The stored eligibility check (R1, R2, R8, R13, R25...): list of rule results.
    eligibility = models.JSONField(_("资格审查结果"), default=list, blank=True)
    eligibility_passed = models.BooleanField(_("资格审查通过"), null=True, blank=True)
    eligibility_checked_at = models.DateTimeField(_("资格审查时间"), null=True, blank=True)
    # 破格 (R2): the reason and the higher department's approval.
    exception_reason = models.TextField(_("破格理由"), blank=True)
    exception_approval = models.CharField(_("上级审批"), max_length=300, blank=True)
    exception_rules = models.JSONField(_("破格事项"), default=list, blank=True)
    added_at = models.DateTimeField(default=timezone.now, editable=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("人选")
        verbose_name_plural = _("人选")
        constraints = [models.UniqueConstraint(fields=["case", "cadre"], name="candidate_once_per_case")]

    def __str__(self) -> str:
        return f"{self.cadre} ({self.case})"

    @property
    def is_active(self) -> bool:
        return self.status == CandidateStatus.ACTIVE


class CaseAttachment(models.Model):
    """A file for the dossier: a document scanned at some stage. Its SHA-256 goes to the ledger."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    stage = models.CharField(_("阶段"), max_length=20, choices=CaseStage.choices)
    title = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to="cases/%Y/")
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["case", "uploaded_at", "id"]
        verbose_name = _("附件")

    def __str__(self) -> str:
        return self.title


class VacancyNotice(models.Model):
    """职位空缺公告 (DOMAIN §3.2): cadres self-nominate against it before the deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("报名中")
        CLOSED = "closed", _("已截止")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="vacancy_notices")
    post = models.ForeignKey("people.Post", verbose_name=_("职位"), on_delete=models.PROTECT, related_name="+")
    qualifications = models.TextField(_("任职条件"))
    requirements = models.JSONField(_("资格条件参数"), default=dict, blank=True,
                                    help_text=_("如 {\"min_education\": \"bachelor\", \"max_age\": 40}"))
    documents = models.TextField(_("报名材料"), blank=True)
    deadline = models.DateField(_("报名截止日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    published_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("职位空缺公告")

    def __str__(self) -> str:
        return f"{self.post} {_('职位空缺公告')}"


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        ACCEPTED = "accepted", _("已接受")
        REJECTED = "rejected", _("未接受")

    notice = models.ForeignKey(VacancyNotice, on_delete=models.CASCADE, related_name="applications")
    cadre = models.ForeignKey("people.Cadre", verbose_name=_("报名人"), on_delete=models.PROTECT,
                              related_name="applications")
    statement = models.TextField(_("自荐理由"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.CharField(_("审核意见"), max_length=500, blank=True)
    eligibility = models.JSONField(_("资格审查结果"), default=list, blank=True)
    eligibility_passed = models.BooleanField(_("资格审查通过"), null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    candidate = models.OneToOneField(Candidate, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="application")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("自荐报名")
        constraints = [models.UniqueConstraint(fields=["notice", "cadre"], name="application_once_per_notice")]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.notice}"


class VotingMode(models.TextChoices):
    OPEN = "open", _("逐一表态")
    SECRET = "secret", _("无记名投票")


class Choice(models.TextChoices):
    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("不同意")
    DEFER = "defer", _("缓议")


class DecisionMeeting(models.Model):
    """讨论决定: the committee meeting (R15)."""

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已形成决定")
        # R15: fewer than the quorum present, the meeting was not held: it decides nothing and
        # leaves the candidates as they were; the clerk convenes a new one.
        NOT_HELD = "not_held", _("不足法定人数，会议无效")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decision_meetings")
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"), default=timezone.localdate)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    mode = models.CharField(_("表决方式"), max_length=10, choices=VotingMode.choices, default=VotingMode.OPEN)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # The clerk opens voting once attendance is recorded; members then record their own stance.
    voting_open = models.BooleanField(_("表态已开始"), default=False)
    result = models.JSONField(_("表决结果"), default=dict, blank=True)
    notes = models.TextField(_("会议记录"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "-held_on", "-id"]
        verbose_name = _("讨论决定会议")

    def __str__(self) -> str:
        return self.title


class DecisionMember(models.Model):
    meeting = models.ForeignKey(DecisionMeeting, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="decision_memberships")
    cadre = models.ForeignKey("people.Cadre", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("出席"), default=False)
    absence_reason = models.CharField(_("缺席原因"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "sort_order", "id"]
        verbose_name = _("委员")
        constraints = [models.UniqueConstraint(fields=["meeting", "name"], name="decision_member_unique_name")]

    def __str__(self) -> str:
        return self.name


class DecisionVote(models.Model):
    """One present member's stance on one candidate (open mode)."""

    meeting = models.ForeignKey(DecisionMeeting, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(DecisionMember, on_delete=models.CASCADE, related_name="votes")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="decision_votes")
    choice = models.CharField(_("表态"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("表态")
        constraints = [models.UniqueConstraint(fields=["member", "candidate"], name="decision_vote_once")]

    def __str__(self) -> str:
        return f"{self.member} {self.choice}"


class SecretCount(models.Model):
    """Secret-ballot counts per candidate (secret mode): no link to any member."""

    meeting = models.ForeignKey(DecisionMeeting, on_delete=models.CASCADE, related_name="secret_counts")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    agree = models.PositiveSmallIntegerField(_("同意"), default=0)
    disagree = models.PositiveSmallIntegerField(_("不同意"), default=0)
    defer = models.PositiveSmallIntegerField(_("缓议"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "candidate"], name="secret_count_once")]

    def __str__(self) -> str:
        return f"{self.agree}/{self.disagree}/{self.defer}"
