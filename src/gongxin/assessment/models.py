"""Assessment (DOMAIN §3.9): indicator systems per unit category, assessment years with unit
results and scores, grades under the R23 caps, daily records, and accountability (R25)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongxin.people.models import Cadre, Grade, OrgUnit, OrgUnitKind


class Dimension(models.TextChoices):
    """The source's pairs: economy and livelihood; growth and its cost; outcome and effort."""
    ECONOMY = "economy", _("经济发展")
    LIVELIHOOD = "livelihood", _("民生改善")
    GROWTH = "growth", _("发展速度")
    COST = "cost", _("发展代价")
    OUTCOME = "outcome", _("工作成效")
    EFFORT = "effort", _("工作付出")


class Direction(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class IndicatorSystem(models.Model):
    """A versioned set of indicators for one unit category; frozen once a year uses it."""

    category = models.CharField(_("单位类别"), max_length=20, choices=OrgUnitKind.choices)
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("名称"), max_length=100)
    frozen = models.BooleanField(_("已冻结"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "-version"]
        verbose_name = _("指标体系")
        constraints = [models.UniqueConstraint(fields=["category", "version"], name="indicator_system_version")]

    def __str__(self) -> str:
        return f"{self.name}（第 {self.version} 版）"


class Indicator(models.Model):
    system = models.ForeignKey(IndicatorSystem, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("指标代码"), max_length=40)
    name = models.CharField(_("指标名称"), max_length=60)
    dimension = models.CharField(_("维度"), max_length=20, choices=Dimension.choices)
    weight = models.DecimalField(_("权重"), max_digits=7, decimal_places=5)
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    floor = models.FloatField(_("基准值（得 0 分）"))
    target = models.FloatField(_("目标值（得满分）"))
    unit_label = models.CharField(_("计量单位"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["system", "order", "id"]
        verbose_name = _("指标")
        constraints = [models.UniqueConstraint(fields=["system", "code"], name="indicator_code_in_system")]

    def __str__(self) -> str:
        return self.name


class YearStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    SCORED = "scored", _("已计分")
    GRADED = "graded", _("已确定等次")


class AssessmentYear(models.Model):
    year = models.PositiveSmallIntegerField(_("考核年度"), unique=True)
    public_weight = models.DecimalField(_("群众评议权重"), max_digits=4, decimal_places=3, default=0.3)
    status = models.CharField(_("状态"), max_length=10, choices=YearStatus.choices, default=YearStatus.OPEN)
    systems = models.ManyToManyField(IndicatorSystem, verbose_name=_("使用的指标体系"), related_name="years")
    opened_at = models.DateTimeField(auto_now_add=True)
    # The public's evaluation as a survey round: a rating meeting (one-time codes, sealed box,
    # published ballot file) with one item per unit; ``public_items`` maps item key → unit id.
    public_meeting = models.OneToOneField("meetings.Meeting", verbose_name=_("群众评议会议"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="assessment_year")
    public_items = models.JSONField(default=dict, blank=True)
    # When the survey also rates each unit's leaders: item key → [cadre id, unit id]; and, once
    # applied, each leader's public score (cadre id → 0–1), which the grade proposals read.
    public_leader_items = models.JSONField(default=dict, blank=True)
    leader_public_scores = models.JSONField(default=dict, blank=True)
    public_applied_at = models.DateTimeField(_("群众评议结果计入时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("考核年度")

    def __str__(self) -> str:
        return _("%(year)s 年度考核") % {"year": self.year}


class UnitResult(models.Model):
    """One indicator's value for one unit in one year (entered or imported)."""

    year = models.ForeignKey(AssessmentYear, on_delete=models.CASCADE, related_name="results")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.FloatField(_("数值"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "org_unit", "indicator"], name="unit_result_once")]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.indicator} {self.value}"


class UnitScore(models.Model):
    """A unit's computed score; raw and adjusted (× the difficulty coefficient) both kept."""

    year = models.ForeignKey(AssessmentYear, on_delete=models.CASCADE, related_name="unit_scores")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    system = models.ForeignKey(IndicatorSystem, on_delete=models.PROTECT, related_name="+")
    raw = models.FloatField(_("原始得分"))
    coefficient = models.FloatField(_("难度系数"), default=1.0)
    adjusted = models.FloatField(_("调整后得分"))
    public_score = models.FloatField(_("群众评议得分"), null=True, blank=True)
    total = models.FloatField(_("综合得分"))
    rank = models.PositiveIntegerField(_("同类排名"))
    peers = models.PositiveIntegerField(_("同类单位数"))
    previous_total = models.FloatField(_("上年综合得分"), null=True, blank=True)
    team_rating = models.CharField(_("领导班子评价"), max_length=10, default="good", blank=True)

    class Meta:
        ordering = ["year", "system", "rank"]
        constraints = [models.UniqueConstraint(fields=["year", "org_unit"], name="unit_score_once")]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.total:.4f}"

    @property
    def growth(self):
        if self.previous_total in (None, 0):
            return None
        return (self.total - self.previous_total) / abs(self.previous_total)


class TeamRating(models.TextChoices):
    """The leadership team's rating, which sets the unit's 优秀 share under R23."""
    EXCELLENT = "excellent", _("好")
    GOOD = "good", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("较差")


class GradeDecision(models.Model):
    """A cadre's grade for the year: proposed from the scores, decided by the committee. A
    decided grade is written to the cadre's AnnualGrade, which eligibility (R8) reads."""

    year = models.ForeignKey(AssessmentYear, on_delete=models.CASCADE, related_name="grades")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("得分"), null=True, blank=True)
    public_score = models.FloatField(_("个人群众评议得分"), null=True, blank=True)
    proposed = models.CharField(_("建议等次"), max_length=20, choices=Grade.choices)
    decided = models.CharField(_("确定等次"), max_length=20, choices=Grade.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["year", "org_unit", "-score"]
        constraints = [models.UniqueConstraint(fields=["year", "cadre"], name="grade_decision_once")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.get_decided_display() or self.get_proposed_display()}"


class DailyCategory(models.TextChoices):
    WORK = "work", _("工作表现")
    CONDUCT = "conduct", _("作风表现")
    LIFE = "life", _("八小时以外")
    PUBLIC = "public", _("群众评价")


class DailyRecord(models.Model):
    """One dated entry of a cadre's daily assessment file (日常考核档案)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="daily_records")
    recorded_on = models.DateField(_("记录日期"))
    category = models.CharField(_("类别"), max_length=10, choices=DailyCategory.choices)
    text = models.TextField(_("内容"), max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cadre", "-recorded_on", "-id"]
        verbose_name = _("日常考核记录")

    def __str__(self) -> str:
        return f"{self.cadre} {self.recorded_on}"


class AccountabilityKind(models.TextChoices):
    CRITICISM = "criticism", _("批评教育")
    SELF_REVIEW = "written_self_review", _("责令书面检查")
    ADMONITION = "admonishment", _("诫勉")
    TRANSFER = "transfer", _("调离岗位")
    REMOVAL = "removal", _("免职")
    DEMOTION = "demotion", _("降职")
    PARTY_WARNING = "party_warning", _("党内警告")
    PARTY_SERIOUS_WARNING = "party_serious_warning", _("党内严重警告")
    GOV_WARNING = "gov_warning", _("政务警告")
    GOV_DEMERIT = "gov_demerit", _("记过")
    GOV_MAJOR_DEMERIT = "gov_major_demerit", _("记大过")
    GOV_DEMOTION = "gov_demotion", _("降级")
    GOV_DISMISSAL = "gov_dismissal", _("撤职")


class AccountabilityStatus(models.TextChoices):
    OPEN = "open", _("调查中")
    DECIDED = "decided", _("已作出决定")
    DISMISSED = "dismissed", _("不予问责")


class Accountability(models.Model):
    """A case of accountability (问责): the facts while it is looked into (promotion blocked),
    then the decision with its kind and the months during which promotion is barred (R25)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="accountabilities")
    facts = models.TextField(_("问责事实"), max_length=4000)
    status = models.CharField(_("状态"), max_length=10, choices=AccountabilityStatus.choices,
                              default=AccountabilityStatus.OPEN)
    opened_on = models.DateField(_("立案日期"))
    kind = models.CharField(_("问责方式"), max_length=30, choices=AccountabilityKind.choices, blank=True)
    decision = models.TextField(_("决定内容"), max_length=4000, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    bar_months = models.PositiveSmallIntegerField(_("影响提拔期（月）"), null=True, blank=True)
    rule_source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("问责")
        verbose_name_plural = _("问责")

    def __str__(self) -> str:
        return f"{self.cadre.name} {self.get_kind_display() or self.get_status_display()}"
