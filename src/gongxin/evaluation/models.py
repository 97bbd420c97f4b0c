"""一报告两评议 (DOMAIN: credibility measured): for a year and a jurisdiction, the report the
committee gives the plenary, and the evaluation meeting at which the plenary rates the year's
selection work and each cadre newly promoted in that year.

The evaluation's ballot, its secrecy, tally and publication are a rating meeting's
(``meetings``, mode ``rating``): this app chooses the items and reads the rates."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FINAL = "final", _("已定稿")


class Report(models.Model):
    """The year's report on selection and appointment work. ``figures`` are the numbers the draft
    was generated from (kept with it); ``text`` is what the clerk edits; once final, its SHA-256
    and text go to the ledger and it no longer changes."""

    year = models.PositiveSmallIntegerField(_("年度"))
    org_unit = models.ForeignKey("people.OrgUnit", verbose_name=_("范围"), on_delete=models.PROTECT,
                                 related_name="+")
    title = models.CharField(_("标题"), max_length=200)
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    text = models.TextField(_("报告正文"), blank=True, max_length=50_000)
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    generated_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    finalized_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    text_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-year", "org_unit__path"]
        verbose_name = _("干部选拔任用工作报告")
        constraints = [models.UniqueConstraint(fields=["year", "org_unit"], name="evaluation_report_once")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_final(self) -> bool:
        return self.status == ReportStatus.FINAL


class Evaluation(models.Model):
    """One year's evaluation meeting of a jurisdiction. The meeting (mode ``rating``) holds the
    electorate, codes, sealed box, tally and published files; ``results`` keeps the rates read
    from its tally at close (``rates.evaluation_results``) and the rule that flagged."""

    year = models.PositiveSmallIntegerField(_("年度"))
    org_unit = models.ForeignKey("people.OrgUnit", verbose_name=_("范围"), on_delete=models.PROTECT,
                                 related_name="+")
    meeting = models.OneToOneField("meetings.Meeting", on_delete=models.PROTECT, related_name="evaluation")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluations")
    flag_rule = models.JSONField(_("核实界限"), default=dict, blank=True)   # parameters and source, frozen at creation
    results = models.JSONField(_("评议结果"), default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-year", "org_unit__path"]
        verbose_name = _("民主评议")
        constraints = [models.UniqueConstraint(fields=["year", "org_unit"], name="evaluation_once_per_year")]

    def __str__(self) -> str:
        return self.meeting.title


class EvaluatedCadre(models.Model):
    """A cadre on the ballot: newly promoted in the year (an appointment starting in it), with
    the item key of their line and the channel they came through."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="cadres")
    cadre = models.ForeignKey("people.Cadre", verbose_name=_("干部"), on_delete=models.PROTECT, related_name="+")
    item_key = models.CharField(max_length=10)
    post_title = models.CharField(_("任职"), max_length=200)
    appointed_on = models.DateField(_("任职时间"))
    appointment_id = models.BigIntegerField(null=True, blank=True)
    channel = models.CharField(_("提名渠道"), max_length=30, blank=True)
    flagged = models.BooleanField(_("需了解核实"), default=False)

    class Meta:
        ordering = ["evaluation", "appointed_on", "id"]
        verbose_name = _("评议对象")
        constraints = [models.UniqueConstraint(fields=["evaluation", "cadre"], name="evaluated_cadre_once")]

    def __str__(self) -> str:
        return str(self.cadre)


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("待核实")
    ANALYSED = "analysed", _("已分析")
    REFERRED = "referred", _("已建立问题档案")
    CLOSED = "closed", _("已办结")


class FollowUp(models.Model):
    """The look into a flagged cadre: an analysis and, where needed, a problem file opened
    through the inspection app's own intake."""

    evaluated = models.OneToOneField(EvaluatedCadre, on_delete=models.CASCADE, related_name="follow_up")
    status = models.CharField(_("状态"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    analysis = models.TextField(_("分析"), blank=True, max_length=10_000)
    problem_file_id = models.BigIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "id"]
        verbose_name = _("评议核实")

    def __str__(self) -> str:
        return f"核实 {self.evaluated}"
