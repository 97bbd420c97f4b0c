"""Inspection (考察) and joint review (联审): inspector certification, key projects and
performance records, inspections with their interviews, votes and reports, review
departments and their requests, the four checks, and problem files (DOMAIN §3.3, §3.7, §3.8)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# ---- certification ----------------------------------------------------------------------


class TrainingSession(models.Model):
    """A training session for inspectors; attendance is one row per person."""

    title = models.CharField(_("培训名称"), max_length=200)
    held_on = models.DateField(_("培训日期"))
    hours = models.PositiveSmallIntegerField(_("学时"), default=8)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "id"]
        verbose_name = _("考察人员培训")

    def __str__(self) -> str:
        return f"{self.title}（{self.held_on:%Y-%m-%d}）"


class TrainingAttendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inspector_trainings")
    attended = models.BooleanField(_("出勤"), default=True)

    class Meta:
        verbose_name = _("培训出勤")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="training_attendance_once")]

    def __str__(self) -> str:
        return f"{self.session} {self.user}"


class Exam(models.Model):
    """The certification exam: a pass mark out of ``max_score``."""

    title = models.CharField(_("考试名称"), max_length=200)
    held_on = models.DateField(_("考试日期"))
    pass_mark = models.DecimalField(_("合格分数线"), max_digits=5, decimal_places=1, default=60)
    max_score = models.DecimalField(_("满分"), max_digits=5, decimal_places=1, default=100)

    class Meta:
        ordering = ["-held_on", "id"]
        verbose_name = _("考察资格考试")
        constraints = [models.CheckConstraint(condition=Q(pass_mark__lte=models.F("max_score")) & Q(pass_mark__gte=0),
                                              name="exam_pass_mark_in_range")]

    def __str__(self) -> str:
        return f"{self.title}（{self.held_on:%Y-%m-%d}）"


class ExamResult(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="results")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inspector_exam_results")
    score = models.DecimalField(_("成绩"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("考试成绩")
        constraints = [models.UniqueConstraint(fields=["exam", "user"], name="exam_result_once")]

    def __str__(self) -> str:
        return f"{self.exam} {self.user} {self.score}"

    @property
    def passed(self) -> bool:
        return self.score >= self.exam.pass_mark


class Certificate(models.Model):
    """考察资格证: valid from ``issued`` to ``expires`` (inclusive) unless revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspector_certificates")
    number = models.CharField(_("证书编号"), max_length=40, unique=True)
    exam_result = models.ForeignKey(ExamResult, on_delete=models.PROTECT, related_name="+")
    issued = models.DateField(_("发证日期"))
    expires = models.DateField(_("有效期至"))
    revoked_at = models.DateField(_("注销日期"), null=True, blank=True)
    revoked_reason = models.CharField(_("注销原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["-issued", "id"]
        verbose_name = _("考察资格证书")
        constraints = [models.CheckConstraint(condition=Q(expires__gt=models.F("issued")), name="certificate_expires_after_issue")]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day: dt.date) -> bool:
        return self.revoked_at is None and self.issued <= day <= self.expires


# ---- key projects and performance records ---------------------------------------------


class KeyProject(models.Model):
    name = models.CharField(_("重点工程名称"), max_length=100, unique=True)
    description = models.TextField(_("简介"), blank=True)
    started = models.DateField(_("开始日期"))
    org_unit = models.ForeignKey("people.OrgUnit", verbose_name=_("牵头单位"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["started", "id"]
        verbose_name = _("重点工程")

    def __str__(self) -> str:
        return self.name


class ProjectRole(models.TextChoices):
    LEAD = "lead", _("牵头负责人")
    COORDINATING_HEAD = "coordinating_head", _("配合部门负责人")
    OTHER = "other", _("其他参与人员")


class ProjectMember(models.Model):
    project = models.ForeignKey(KeyProject, on_delete=models.CASCADE, related_name="members")
    cadre = models.ForeignKey("people.Cadre", on_delete=models.PROTECT, related_name="project_memberships")
    role = models.CharField(_("角色"), max_length=20, choices=ProjectRole.choices)
    joined = models.DateField(_("加入日期"))
    removed_on = models.DateField(_("调离日期"), null=True, blank=True)
    removed_reason = models.CharField(_("调离原因"), max_length=300, blank=True)

    class Meta:
        ordering = ["project", "role", "id"]
        verbose_name = _("重点工程人员")
        constraints = [models.UniqueConstraint(fields=["project", "cadre"], name="project_member_once")]

    def __str__(self) -> str:
        return f"{self.project} {self.cadre}"

    @property
    def is_current(self) -> bool:
        return self.removed_on is None


class PerformanceRecord(models.Model):
    """实绩备案: a dated record of a cadre's work result on a key project."""

    project = models.ForeignKey(KeyProject, on_delete=models.PROTECT, related_name="records")
    cadre = models.ForeignKey("people.Cadre", on_delete=models.PROTECT, related_name="performance_records")
    recorded_on = models.DateField(_("备案日期"))
    title = models.CharField(_("事项"), max_length=200)
    text = models.TextField(_("实绩内容"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-recorded_on", "id"]
        verbose_name = _("实绩备案")
        indexes = [models.Index(fields=["cadre", "recorded_on"], name="perf_record_cadre_date")]

    def __str__(self) -> str:
        return f"{self.recorded_on:%Y-%m-%d} {self.title}"


# ---- teams and inspections ------------------------------------------------------------


class InspectionTeam(models.Model):
    name = models.CharField(_("考察组名称"), max_length=100)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("考察组")

    def __str__(self) -> str:
        return self.name

    @property
    def leader(self):
        for member in self.members.all():
            if member.is_leader:
                return member.user
        return None


class TeamMember(models.Model):
    team = models.ForeignKey(InspectionTeam, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspection_teams")
    is_leader = models.BooleanField(_("组长"), default=False)

    class Meta:
        ordering = ["-is_leader", "id"]
        verbose_name = _("考察组成员")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_member_once"),
            models.UniqueConstraint(fields=["team"], condition=Q(is_leader=True), name="team_one_leader"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.user}"


class InspectionKind(models.TextChoices):
    TRACKING = "tracking", _("跟踪考察")
    SOURCE_TRACING = "source_tracing", _("溯源考察")
    CIRCLES = "circles", _("两圈考察")


class InspectionStatus(models.TextChoices):
    OPEN = "open", _("考察中")
    SIGNED = "signed", _("报告已签发")


class Inspection(models.Model):
    team = models.ForeignKey(InspectionTeam, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(_("考察类型"), max_length=20, choices=InspectionKind.choices)
    cadre = models.ForeignKey("people.Cadre", verbose_name=_("考察对象"), on_delete=models.PROTECT,
                              related_name="inspections")
    candidate = models.ForeignKey("cases.Candidate", verbose_name=_("人选"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="inspections")
    key_project = models.ForeignKey(KeyProject, verbose_name=_("重点工程"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="inspections")
    opened_on = models.DateField(_("开始日期"))
    status = models.CharField(_("状态"), max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("考察")
        indexes = [models.Index(fields=["kind", "status"], name="inspection_kind_status")]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.get_kind_display()}"


class TrackingRecord(models.Model):
    """One dated observation in a tracking inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="tracking_records")
    observed_on = models.DateField(_("日期"))
    text = models.TextField(_("跟踪情况"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["observed_on", "id"]
        verbose_name = _("跟踪记录")

    def __str__(self) -> str:
        return f"{self.observed_on:%Y-%m-%d} {self.inspection}"


class SourcePlace(models.Model):
    """A place from the cadre's resume that a source-tracing inspection must visit."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="places")
    resume_entry = models.ForeignKey("people.ResumeEntry", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    place = models.CharField(_("学校或单位"), max_length=100)
    period = models.CharField(_("时间"), max_length=40, blank=True)
    description = models.CharField(_("经历"), max_length=300, blank=True)
    visited_on = models.DateField(_("走访日期"), null=True, blank=True)
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    note = models.TextField(_("走访情况"), blank=True)

    class Meta:
        ordering = ["inspection", "id"]
        verbose_name = _("溯源地点")
        constraints = [models.UniqueConstraint(fields=["inspection", "place"], name="source_place_once")]

    def __str__(self) -> str:
        return self.place

    @property
    def visited(self) -> bool:
        return self.visited_on is not None


class IntervieweeCategory(models.TextChoices):
    LEADER = "leader", _("领导")
    COLLEAGUE = "colleague", _("同事")
    SUBORDINATE = "subordinate", _("下属")
    RETIRED_CADRE = "retired_cadre", _("离退休干部")
    DISSENTER = "dissenter", _("与其有过不同意见的人")
    CLASSMATE = "classmate", _("同学")
    COMRADE = "comrade", _("战友")
    NEIGHBOUR = "neighbour", _("邻居")
    OTHER = "other", _("其他")


class Circle(models.TextChoices):
    WORK = "work", _("工作圈")
    LIFE = "life", _("生活圈")
    SOCIAL = "social", _("社交圈")


class Leaning(models.TextChoices):
    POSITIVE = "positive", _("肯定")
    NEUTRAL = "neutral", _("一般")
    NEGATIVE = "negative", _("否定")


class Interview(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="interviews")
    interviewee = models.CharField(_("谈话对象"), max_length=50)
    category = models.CharField(_("对象类别"), max_length=20, choices=IntervieweeCategory.choices)
    circle = models.CharField(_("所属圈子"), max_length=10, choices=Circle.choices, default=Circle.WORK)
    place = models.CharField(_("谈话地点"), max_length=100)
    held_on = models.DateField(_("谈话日期"))
    summary = models.TextField(_("谈话要点"))
    leaning = models.CharField(_("倾向"), max_length=10, choices=Leaning.choices)
    source_place = models.ForeignKey(SourcePlace, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="interviews", verbose_name=_("溯源地点"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("谈话记录")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.interviewee}"


class EvaluationVote(models.Model):
    """民主测评: counts per grade."""

    inspection = models.OneToOneField(Inspection, on_delete=models.CASCADE, related_name="vote")
    excellent = models.PositiveIntegerField(_("优秀"), default=0)
    competent = models.PositiveIntegerField(_("称职"), default=0)
    basically_competent = models.PositiveIntegerField(_("基本称职"), default=0)
    incompetent = models.PositiveIntegerField(_("不称职"), default=0)
    held_on = models.DateField(_("测评日期"))

    class Meta:
        verbose_name = _("民主测评")

    def __str__(self) -> str:
        return str(self.inspection)

    @property
    def counts(self) -> dict[str, int]:
        return {"excellent": self.excellent, "competent": self.competent,
                "basically_competent": self.basically_competent, "incompetent": self.incompetent}


class Report(models.Model):
    """考察报告 with the R12 sections; locked once the team leader signs it off."""

    inspection = models.OneToOneField(Inspection, on_delete=models.CASCADE, related_name="report")
    morality = models.TextField(_("德"), blank=True)
    ability = models.TextField(_("能"), blank=True)
    diligence = models.TextField(_("勤"), blank=True)
    achievement = models.TextField(_("绩"), blank=True)
    integrity = models.TextField(_("廉"), blank=True)
    weaknesses = models.TextField(_("主要不足"), blank=True)
    vote_results = models.TextField(_("民主测评结果"), blank=True, editable=False)
    conclusion = models.TextField(_("考察结论"), blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("考察报告")

    def __str__(self) -> str:
        return str(self.inspection)

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class ReportFindingKind(models.TextChoices):
    HID = "hid", _("隐瞒问题")
    DISTORTED = "distorted", _("歪曲事实")


class ReportFinding(models.Model):
    """考察失真失实责任: a later finding that a report hid or distorted facts, against the team."""

    team = models.ForeignKey(InspectionTeam, on_delete=models.PROTECT, related_name="findings")
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField(_("类型"), max_length=10, choices=ReportFindingKind.choices)
    text = models.TextField(_("认定情况"))
    found_on = models.DateField(_("认定日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-found_on", "id"]
        verbose_name = _("考察责任认定")

    def __str__(self) -> str:
        return f"{self.team} {self.get_kind_display()}"


# ---- joint review ----------------------------------------------------------------------


class ReviewDepartment(models.Model):
    code = models.SlugField(_("代码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    is_active = models.BooleanField(_("参加联审"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("联审单位")

    def __str__(self) -> str:
        return self.name


class ReviewAnswer(models.TextChoices):
    PENDING = "pending", _("未答复")
    CLEAR = "clear", _("无问题")
    PROBLEM = "problem", _("发现问题")
    NEEDS_VERIFICATION = "needs_verification", _("需进一步核实")


class ReviewRequest(models.Model):
    candidate = models.ForeignKey("cases.Candidate", on_delete=models.CASCADE, related_name="review_requests")
    department = models.ForeignKey(ReviewDepartment, on_delete=models.PROTECT, related_name="requests")
    sent_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateField(_("答复期限"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answer = models.CharField(_("答复"), max_length=20, choices=ReviewAnswer.choices, default=ReviewAnswer.PENDING)
    answer_text = models.TextField(_("答复意见"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    problem_file = models.ForeignKey("ProblemFile", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="review_requests")

    class Meta:
        ordering = ["deadline", "department__sort_order", "id"]
        verbose_name = _("联审函")
        constraints = [models.UniqueConstraint(fields=["candidate", "department"], name="review_request_once")]
        indexes = [models.Index(fields=["department", "answer"], name="review_request_queue")]

    def __str__(self) -> str:
        return f"{self.department} · {self.candidate}"


class FourCheck(models.TextChoices):
    FILE = "file", _("干部档案必审")
    PERSONAL_MATTERS = "personal_matters_report", _("个人有关事项报告必核")
    DISCIPLINE_OPINION = "discipline_opinion", _("纪检监察机关意见必听")
    COMPLAINTS = "complaints", _("反映违规违纪问题线索具体的信访举报必查")


class CheckRecord(models.Model):
    candidate = models.ForeignKey("cases.Candidate", on_delete=models.CASCADE, related_name="four_checks")
    item = models.CharField(_("事项"), max_length=30, choices=FourCheck.choices)
    done_on = models.DateField(_("完成日期"))
    note = models.TextField(_("情况"), blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["candidate", "item"]
        verbose_name = _("凡提四必")
        constraints = [models.UniqueConstraint(fields=["candidate", "item"], name="four_check_once")]

    def __str__(self) -> str:
        return str(self.get_item_display())


# ---- problem files ---------------------------------------------------------------------


class ComplaintChannel(models.TextChoices):
    LETTER = "letter", _("来信")
    CALL = "call", _("来电")
    VISIT = "visit", _("来访")
    ONLINE = "online", _("网上举报")
    PUBLICITY_FEEDBACK = "publicity_feedback", _("公示反映")
    JOINT_REVIEW = "joint_review", _("联审发现")
    INSPECTION = "inspection", _("考察发现")
    EVALUATION = "evaluation", _("民主评议发现")


class ProblemStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    ASSIGNED = "assigned", _("已交办")
    VERIFYING = "verifying", _("核查中")
    CLOSED = "closed", _("已办结")


class Finding(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("属实")
    UNSUBSTANTIATED = "unsubstantiated", _("不属实")


class ProblemFile(models.Model):
    """问题档案: one complaint about a cadre, from intake to finding and its effect."""

    cadre = models.ForeignKey("people.Cadre", verbose_name=_("被反映干部"), on_delete=models.PROTECT,
                              related_name="problem_files")
    channel = models.CharField(_("来源"), max_length=20, choices=ComplaintChannel.choices)
    text = models.TextField(_("反映内容"))
    source_ref = models.CharField(_("来源编号"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.RECEIVED)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="assigned_problem_files")
    verification = models.TextField(_("核查情况"), blank=True)
    finding = models.CharField(_("核查结论"), max_length=20, choices=Finding.choices, blank=True)
    finding_text = models.TextField(_("结论说明"), blank=True)
    found_on = models.DateField(_("办结日期"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("问题档案")
        indexes = [models.Index(fields=["cadre", "finding"], name="problem_file_cadre_finding")]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.get_channel_display()} · {self.received_at:%Y-%m-%d}"

    @property
    def headline(self) -> str:
        return headline_of(self.finding_text, self.text)


def headline_of(finding_text: str, text: str) -> str:
    """A problem file's one-line name: its finding, else the complaint, cut at 40 characters."""
    text = finding_text or text
    return text if len(text) <= 40 else text[:40] + "…"


class EffectKind(models.TextChoices):
    REMOVED_FROM_PROJECT = "removed_from_project", _("调离重点工程")
    PROMOTION_SUSPENDED = "promotion_suspended", _("暂缓提拔")


class ProblemEffect(models.Model):
    problem_file = models.ForeignKey(ProblemFile, on_delete=models.CASCADE, related_name="effects")
    kind = models.CharField(_("处理"), max_length=30, choices=EffectKind.choices)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    applied_on = models.DateField(_("日期"))

    class Meta:
        ordering = ["applied_on", "id"]
        verbose_name = _("问题处理")

    def __str__(self) -> str:
        return str(self.get_kind_display())
