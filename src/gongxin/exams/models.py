"""Exams (DOMAIN §3.5): one pipeline for the four exam channels. An exam is announced with
its posts, qualifications, weights and ratios (taken from the EXM rule rows and stored, so a
later rule change does not reorder a published ranking); people register (cadres logged in,
members of the public with their ID number for recruitment); screening runs the eligibility
engine; admission tickets carry seat numbers; scores are whole hundredths with absence and
disqualification explicit; the ranking and the candidates for inspection follow."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExamChannel(models.TextChoices):
    PUBLIC_SELECTION = "public_selection", _("公开选拔")
    RECRUITMENT = "recruitment", _("公开招录")
    COMPETITIVE_POSTING = "competitive_posting", _("竞争上岗")
    VILLAGE_TO_TOWNSHIP = "village_to_township", _("优秀村干部进入乡镇机关")


class ExamStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REGISTRATION = "registration", _("报名中")
    SCREENING = "screening", _("资格审查")
    WRITTEN = "written", _("笔试")
    INTERVIEW = "interview", _("面试")
    RANKED = "ranked", _("已排名")
    PUBLISHED = "published", _("成绩已公布")
    CLOSED = "closed", _("已结束")


STATUS_ORDER = list(ExamStatus.values)


class Exam(models.Model):
    channel = models.CharField(_("渠道"), max_length=30, choices=ExamChannel.choices)
    title = models.CharField(_("名称"), max_length=200)
    org_unit = models.ForeignKey("people.OrgUnit", verbose_name=_("组织单位"), on_delete=models.PROTECT,
                                 related_name="exams")
    case = models.ForeignKey("cases.Case", verbose_name=_("关联选任案件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="exams")
    status = models.CharField(_("状态"), max_length=15, choices=ExamStatus.choices, default=ExamStatus.DRAFT)
    qualifications = models.TextField(_("报名条件"), blank=True)
    requirements = models.JSONField(_("资格条件参数"), default=dict, blank=True)
    weights = models.JSONField(_("成绩权重"), default=dict)           # {"written": "0.6", "interview": "0.4"}
    interview_ratio = models.PositiveSmallIntegerField(_("面试比例（每个职位人数）"), default=3)
    inspection_ratio = models.PositiveSmallIntegerField(_("考察比例（每个职位人数）"), default=1)
    tie_order = models.JSONField(_("同分排序依据"), default=list)     # ["written", "interview"]
    name_order = models.CharField(_("公布名单顺序"), max_length=10, default="rank")  # rank | strokes
    rule_source = models.CharField(_("规则依据"), max_length=500, blank=True)
    registration_closes = models.DateField(_("报名截止日期"))
    written_on = models.DateField(_("笔试日期"), null=True, blank=True)
    interview_on = models.DateField(_("面试日期"), null=True, blank=True)
    venue = models.CharField(_("考点"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("公告时间"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("成绩公布时间"), null=True, blank=True)
    results_ledger_seq = models.BigIntegerField(null=True, blank=True)
    results_leaf_hash = models.CharField(max_length=64, blank=True)
    interview_cut = models.JSONField(_("进入面试"), null=True, blank=True)
    inspection_cut = models.JSONField(_("确定考察对象"), null=True, blank=True)
    admitted_at = models.DateTimeField(_("录用办理时间"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("考试")
        verbose_name_plural = _("考试")
        indexes = [models.Index(fields=["channel", "status"], name="exam_channel_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def components(self) -> list[str]:
        return list(self.weights)


class ExamPost(models.Model):
    """One post of the announcement: how many are taken, and whether it is reserved for
    veterans (recruitment)."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="posts")
    post = models.ForeignKey("people.Post", verbose_name=_("职位"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="exam_posts")
    title = models.CharField(_("职位名称"), max_length=200)
    code = models.CharField(_("职位代码"), max_length=20)
    count = models.PositiveSmallIntegerField(_("录用（选拔）人数"), default=1)
    veterans_only = models.BooleanField(_("面向退役士兵"), default=False)

    class Meta:
        ordering = ["exam", "code", "id"]
        verbose_name = _("招考职位")
        constraints = [models.UniqueConstraint(fields=["exam", "code"], name="exam_post_code_once"),
                       models.CheckConstraint(condition=models.Q(count__gte=1), name="exam_post_count_positive")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审查")
    ELIGIBLE = "eligible", _("审查通过")
    INELIGIBLE = "ineligible", _("审查未通过")
    WITHDRAWN = "withdrawn", _("已放弃")


class AppealStatus(models.TextChoices):
    NONE = "", _("无")
    PENDING = "pending", _("待复核")
    UPHELD = "upheld", _("复核通过")
    REJECTED = "rejected", _("维持原结论")


class Outcome(models.TextChoices):
    NONE = "", _("—")
    NOT_INVITED = "not_invited", _("未进入面试")
    NOT_SELECTED = "not_selected", _("未进入考察")
    FOR_INSPECTION = "for_inspection", _("确定为考察对象")


class Registration(models.Model):
    """One person's registration for one post: a cadre (logged in) or a member of the public
    (recruitment, by ID number). Scores are hundredths; -1 absent, -2 disqualified."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="registrations")
    exam_post = models.ForeignKey(ExamPost, verbose_name=_("报考职位"), on_delete=models.PROTECT,
                                  related_name="registrations")
    cadre = models.ForeignKey("people.Cadre", verbose_name=_("干部"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="exam_registrations")
    name = models.CharField(_("姓名"), max_length=30)
    id_number = models.CharField(_("公民身份号码"), max_length=18)
    sex = models.CharField(_("性别"), max_length=1, blank=True)
    birth_date = models.DateField(_("出生日期"))
    education = models.CharField(_("学历"), max_length=30, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_veteran = models.BooleanField(_("退役士兵"), default=False)
    is_graduate = models.BooleanField(_("高校毕业生"), default=False)
    tracking_code = models.CharField(_("报名查询码"), max_length=20, unique=True)
    status = models.CharField(_("审查状态"), max_length=12, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.SUBMITTED)
    screening = models.JSONField(_("资格审查结果"), default=list, blank=True)
    screened_at = models.DateTimeField(null=True, blank=True)
    appeal = models.CharField(_("复核申请"), max_length=10, choices=AppealStatus.choices, blank=True, default="")
    appeal_text = models.TextField(_("复核理由"), blank=True)
    appeal_decision = models.TextField(_("复核意见"), blank=True)
    ticket_number = models.CharField(_("准考证号"), max_length=20, blank=True)
    room = models.PositiveSmallIntegerField(_("考场"), null=True, blank=True)
    seat = models.PositiveSmallIntegerField(_("座位号"), null=True, blank=True)
    written_score = models.IntegerField(_("笔试成绩"), null=True, blank=True)
    interview_score = models.IntegerField(_("面试成绩"), null=True, blank=True)
    written_rank = models.PositiveIntegerField(_("笔试名次"), null=True, blank=True)
    total_score = models.IntegerField(_("综合成绩"), null=True, blank=True)
    final_rank = models.PositiveIntegerField(_("综合名次"), null=True, blank=True)
    rank_note = models.CharField(_("排名说明"), max_length=100, blank=True)
    outcome = models.CharField(_("结果"), max_length=20, choices=Outcome.choices, blank=True, default="")
    candidate = models.ForeignKey("cases.Candidate", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    admitted_on = models.DateField(_("录用日期"), null=True, blank=True)
    admitted_cadre = models.ForeignKey("people.Cadre", verbose_name=_("录用后的干部档案"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="exam_admissions")
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")

    class Meta:
        ordering = ["exam", "exam_post", "id"]
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        constraints = [
            models.UniqueConstraint(fields=["exam", "id_number"], name="exam_registration_once"),
            models.UniqueConstraint(fields=["exam", "ticket_number"], condition=~models.Q(ticket_number=""),
                                    name="exam_ticket_unique"),
        ]
        indexes = [models.Index(fields=["exam", "status"], name="exam_reg_status")]

    def __str__(self) -> str:
        return f"{self.name} → {self.exam}"

    @property
    def masked_id(self) -> str:
        from gongxin.people.idnumber import mask

        return mask(self.id_number)


class ScoreImport(models.Model):
    """A score sheet between preview and apply (as exchange's StagedImport): the file as
    sent, the fixes typed for bad rows and the rows skipped on purpose. Operational: the
    apply job records the ledger event."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="score_imports")
    component = models.CharField(_("成绩类别"), max_length=20)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(upload_to="exams/uploads/%Y%m/", max_length=300)
    sha256 = models.CharField(max_length=64)
    fixes = models.JSONField(default=dict, blank=True)    # "row number" → {"ticket_number": .., "score": ..}
    skipped = models.JSONField(default=list, blank=True)  # row numbers
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    applied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
