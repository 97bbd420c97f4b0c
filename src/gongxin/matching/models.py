"""Two-way selection (DOMAIN §3.6): a round in a unit, its sections with headcounts, its staff,
and each side's ranking (志愿). Rankings are stored as lists of row ids, best first; the
algorithm (core.py) sees them as strings."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import core


class RoundStatus(models.TextChoices):
    RANKING = "ranking", _("排序中")
    CLOSED = "closed", _("已匹配")
    PUBLISHED = "published", _("已公布")


class MatchingRule(models.TextChoices):
    STAFF_OPTIMAL = core.STAFF_OPTIMAL, _("人员最优稳定匹配")
    SECTION_OPTIMAL = core.SECTION_OPTIMAL, _("科室最优稳定匹配")


class Outcome(models.TextChoices):
    PENDING = "pending", _("待匹配")
    MATCHED = "matched", _("双向选择匹配")
    UNMATCHED = "unmatched", _("未匹配，待党委分配")
    ASSIGNED = "assigned", _("党委分配")
    STANDBY = "standby", _("待岗")


class MatchingRound(models.Model):
    org_unit = models.ForeignKey("people.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT,
                                 related_name="matching_rounds")
    title = models.CharField(_("名称"), max_length=200)
    ranking_deadline = models.DateField(_("排序截止日期"))
    rule = models.CharField(_("匹配方案"), max_length=20, choices=MatchingRule.choices,
                            default=MatchingRule.STAFF_OPTIMAL)
    rule_source = models.CharField(_("方案依据"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.RANKING)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    closed_at = models.DateTimeField(_("匹配时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    inputs = models.JSONField(_("匹配输入"), null=True, blank=True)
    outputs = models.JSONField(_("匹配结果"), null=True, blank=True)
    alternative = models.JSONField(_("另一方案的结果"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("双向选择轮次")
        verbose_name_plural = _("双向选择轮次")

    def __str__(self) -> str:
        return self.title


class RoundSection(models.Model):
    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="sections")
    section = models.ForeignKey("people.OrgUnit", verbose_name=_("科室"), on_delete=models.PROTECT, related_name="+")
    headcount = models.PositiveSmallIntegerField(_("职数"))
    ranking = models.JSONField(_("排序"), default=list, blank=True)
    ranked_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        ordering = ["round", "section__sort_order", "section__name"]
        verbose_name = _("参与科室")
        verbose_name_plural = _("参与科室")
        constraints = [models.UniqueConstraint(fields=["round", "section"], name="matching_section_once")]

    def __str__(self) -> str:
        return self.section.name


class RoundStaff(models.Model):
    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="staff")
    cadre = models.ForeignKey("people.Cadre", verbose_name=_("人员"), on_delete=models.PROTECT,
                              related_name="matching_entries")
    ranking = models.JSONField(_("志愿"), default=list, blank=True)
    ranked_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    section = models.ForeignKey(RoundSection, verbose_name=_("去向科室"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="members")
    decision_reason = models.TextField(_("党委决定理由"), blank=True)
    review_on = models.DateField(_("复核日期"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    class Meta:
        ordering = ["round", "cadre__name_pinyin", "id"]
        verbose_name = _("参与人员")
        verbose_name_plural = _("参与人员")
        constraints = [models.UniqueConstraint(fields=["round", "cadre"], name="matching_staff_once")]

    def __str__(self) -> str:
        return str(self.cadre)
