"""Org units, posts, ranks and cadres, with every field of the appointment form (DOMAIN §6)."""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import idnumber


class OrgUnitKind(models.TextChoices):
    ORGAN = "organ", _("党政机关")
    DEPARTMENT = "department", _("县直部门")
    TOWNSHIP = "township", _("乡镇（街道）")
    INSTITUTION = "institution", _("事业单位")
    VILLAGE = "village", _("村（社区）")
    SECTION = "section", _("内设机构")


class OrgUnit(models.Model):
    """A node in the unit tree. ``path`` is the materialised path of ids ("0001.0007."), so a
    subtree is one indexed prefix query."""

    name = models.CharField(_("单位名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("单位类型"), max_length=20, choices=OrgUnitKind.choices)
    parent = models.ForeignKey("self", verbose_name=_("上级单位"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    code = models.CharField(_("单位代码"), max_length=30, blank=True)
    is_grassroots = models.BooleanField(_("基层单位"), default=False,
                                        help_text=_("乡镇、村及基层站所的工作经历计入基层工作年限"))
    is_remote = models.BooleanField(_("偏远或困难地区"), default=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="org_unit_unique_name_in_parent")]

    def __str__(self) -> str:
        return self.name

    def subtree(self):
        return OrgUnit.objects.filter(path__startswith=self.path)


class Rank(models.Model):
    """职级 code table. ``level`` orders ranks: higher is more senior; a step of 10 is one
    level (正科 → 副处), used for the "never across two levels" rule."""

    code = models.CharField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    level = models.PositiveSmallIntegerField(_("层级"))
    is_leadership = models.BooleanField(_("领导职务"), default=True)
    is_head = models.BooleanField(_("正职"), default=False)

    class Meta:
        ordering = ["-level", "code"]
        verbose_name = _("职级")
        verbose_name_plural = _("职级")

    def __str__(self) -> str:
        return self.name


class PostKind(models.TextChoices):
    LEADERSHIP = "leadership", _("领导职务")
    MIDDLE = "middle", _("中层岗位")
    STAFF = "staff", _("一般岗位")


class Post(models.Model):
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(_("职位名称"), max_length=100)
    rank = models.ForeignKey(Rank, verbose_name=_("职级"), on_delete=models.PROTECT, related_name="posts")
    kind = models.CharField(_("岗位类别"), max_length=20, choices=PostKind.choices, default=PostKind.LEADERSHIP)
    headcount = models.PositiveSmallIntegerField(_("职数"), default=1)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["org_unit__path", "-rank__level", "title"]
        verbose_name = _("职位")
        verbose_name_plural = _("职位")
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "title"], name="post_unique_title_in_unit"),
            models.CheckConstraint(condition=models.Q(headcount__gte=1), name="post_headcount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit.name}{self.title}"


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class PoliticalStatus(models.TextChoices):
    CPC = "cpc", _("中共党员")
    CPC_PROBATIONARY = "cpc_probationary", _("中共预备党员")
    CYL = "cyl", _("共青团员")
    DEMOCRATIC_PARTY = "democratic_party", _("民主党派")
    NON_PARTY = "non_party", _("无党派人士")
    MASSES = "masses", _("群众")


class Education(models.TextChoices):
    """学历 in ascending order; the eligibility rules compare by ``EDUCATION_ORDER``."""

    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("中专")
    ASSOCIATE = "associate", _("大专")
    BACHELOR = "bachelor", _("大学本科")
    MASTER = "master", _("研究生")
    DOCTOR = "doctor", _("博士研究生")


EDUCATION_ORDER = {value: i for i, value in enumerate(Education.values)}


class Degree(models.TextChoices):
    NONE = "", _("无")
    BACHELOR = "bachelor", _("学士")
    MASTER = "master", _("硕士")
    DOCTOR = "doctor", _("博士")


class CadreStatus(models.TextChoices):
    ACTIVE = "active", _("在职")
    RETIRED = "retired", _("退休")
    LEFT = "left", _("调离")


class Cadre(models.Model):
    """A cadre with the fields of the 干部任免审批表. Dates the form keeps to the month
    (party_joined, work_started) are stored as the first of the month."""

    name = models.CharField(_("姓名"), max_length=30, db_index=True)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=120, db_index=True, editable=False)
    name_initials = models.CharField(_("拼音首字母"), max_length=30, db_index=True, editable=False)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    native_place = models.CharField(_("籍贯"), max_length=50, blank=True)
    birthplace = models.CharField(_("出生地"), max_length=50, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=20, choices=PoliticalStatus.choices,
                                        default=PoliticalStatus.CPC)
    party_joined = models.DateField(_("入党时间"), null=True, blank=True)
    work_started = models.DateField(_("参加工作时间"), null=True, blank=True)
    health = models.CharField(_("健康状况"), max_length=30, default="健康", blank=True)
    professional_title = models.CharField(_("专业技术职务"), max_length=50, blank=True)
    expertise = models.CharField(_("熟悉专业有何专长"), max_length=200, blank=True)
    fulltime_education = models.CharField(_("全日制教育学历"), max_length=30, choices=Education.choices, blank=True)
    fulltime_degree = models.CharField(_("全日制教育学位"), max_length=20, choices=Degree.choices, blank=True)
    fulltime_education_school = models.CharField(_("全日制学历毕业院校系及专业"), max_length=200, blank=True)
    fulltime_degree_school = models.CharField(_("全日制学位毕业院校系及专业"), max_length=200, blank=True)
    parttime_education = models.CharField(_("在职教育学历"), max_length=30, choices=Education.choices, blank=True)
    parttime_degree = models.CharField(_("在职教育学位"), max_length=20, choices=Degree.choices, blank=True)
    parttime_education_school = models.CharField(_("在职学历毕业院校系及专业"), max_length=200, blank=True)
    parttime_degree_school = models.CharField(_("在职学位毕业院校系及专业"), max_length=200, blank=True)
    current_post_title = models.CharField(_("现任职务"), max_length=200, blank=True)
    proposed_post_title = models.CharField(_("拟任职务"), max_length=200, blank=True)
    proposed_removal_title = models.CharField(_("拟免职务"), max_length=200, blank=True)
    rewards_and_punishments = models.TextField(_("奖惩情况"), blank=True)
    annual_assessment_text = models.TextField(_("年度考核结果"), blank=True)
    appointment_reason = models.TextField(_("任免理由"), blank=True)
    reporting_unit = models.CharField(_("呈报单位"), max_length=100, blank=True)
    age_reference_date = models.DateField(_("计算年龄时间"), null=True, blank=True)
    form_filled_date = models.DateField(_("填表时间"), null=True, blank=True)
    form_filled_by = models.CharField(_("填表人"), max_length=30, blank=True)
    id_number = models.CharField(_("公民身份号码"), max_length=18, unique=True,
                                 error_messages={"unique": _("该身份证号码已登记在另一名干部名下，请核对。")})
    photo = models.BinaryField(_("照片"), null=True, blank=True, editable=True)
    photo_type = models.CharField(max_length=30, blank=True)

    # No index of its own: cadre_unit_status_pinyin (Meta.indexes) begins with the unit and
    # serves every lookup by it (the scope's IN, the unit filter, the count per unit, the
    # foreign key's checks); SQLite and PostgreSQL planned none of the list's queries on a plain
    # one, and each index is one more B-tree every insert updates (people/0008).
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("工作单位"), on_delete=models.PROTECT, related_name="cadres",
                                 db_index=False)
    rank = models.ForeignKey(Rank, verbose_name=_("职级"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="cadres")
    rank_since = models.DateField(_("任现职级时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=CadreStatus.choices, default=CadreStatus.ACTIVE)
    lrmx_version = models.CharField(_("任免表版本"), max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name_pinyin", "id"]
        verbose_name = _("干部")
        verbose_name_plural = _("干部")
        indexes = [
            # A scope of a few units (a county clerk's: 11 units, 7,143 of a province's 1,000,000
            # cadres): the list's keys from this index alone, in name order per unit (no table
            # row read; 17 ms → 2 ms). Its first two columns serve what (org_unit, status) did.
            models.Index(fields=["org_unit", "status", "name_pinyin", "id"], name="cadre_unit_status_pinyin"),
            models.Index(fields=["birth_date"], name="cadre_birth_date"),
            # The list's default order within a status: "jump to page 2,000" reads the keys of the
            # rows before it from this index alone (core/lists), not 100,000 table rows. The unit
            # last: a clerk's scoped list (org_unit_id IN the subtree) walks this index in order and
            # tests each entry's unit there, reading only the 50 table rows it shows (SQLite read
            # every row it passed to learn its unit: 12-30 ms a page at 200,000, 0.5 ms now).
            models.Index(fields=["status", "name_pinyin", "id", "org_unit"], name="cadre_status_pinyin_unit"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.id_number:
            try:
                self.id_number = idnumber.normalise(self.id_number)
                info = idnumber.parse(self.id_number)
            except idnumber.InvalidIdNumber as exc:
                errors["id_number"] = gettext(exc.template) % exc.params if exc.params else gettext(exc.template)
            else:
                if self.birth_date and self.birth_date != info.birth_date:
                    errors["birth_date"] = _("出生日期与身份证号码不符：号码中的出生日期是 %(date)s。") % {
                        "date": info.birth_date.strftime("%Y-%m-%d")}
                if self.sex and self.sex != info.sex:
                    errors["sex"] = _("性别与身份证号码不符：号码第 17 位表示%(sex)s。") % {
                        "sex": Sex(info.sex).label}
        if self.work_started and self.birth_date and self.work_started < self.birth_date:
            errors["work_started"] = _("参加工作时间不能早于出生日期。")
        if self.party_joined and self.birth_date and self.party_joined < self.birth_date:
            errors["party_joined"] = _("入党时间不能早于出生日期。")
        if errors:
            raise ValidationError(errors)

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def masked_id_number(self) -> str:
        return idnumber.mask(self.id_number)


class ResumeKind(models.TextChoices):
    STUDY = "study", _("学习")
    WORK = "work", _("工作")
    MILITARY = "military", _("服役")
    OTHER = "other", _("其他")


class ResumeEntry(models.Model):
    """One dated line of 简历: ``YYYY.MM--YYYY.MM  description``; an open end is "至今"."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="resume_entries")
    start = models.DateField(_("起始年月"))
    end = models.DateField(_("截止年月"), null=True, blank=True)
    description = models.CharField(_("经历"), max_length=300)
    kind = models.CharField(_("类别"), max_length=10, choices=ResumeKind.choices, default=ResumeKind.WORK)
    place = models.CharField(_("学校或单位"), max_length=100, blank=True,
                             help_text=_("溯源考察据此列出走访地点"))
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("本县单位"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    is_grassroots = models.BooleanField(_("基层经历"), default=False)

    class Meta:
        ordering = ["cadre", "start", "id"]
        verbose_name = _("简历")
        verbose_name_plural = _("简历")
        constraints = [models.CheckConstraint(condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                                              name="resume_entry_end_after_start")]

    def __str__(self) -> str:
        return self.line

    @property
    def line(self) -> str:
        end = f"{self.end:%Y.%m}" if self.end else ""
        return f"{self.start:%Y.%m}--{end}  {self.description}"


class RelationKind(models.TextChoices):
    """Typed so that recusal (R19–R20) can be computed: ``RELATION_DEGREE`` below."""

    SPOUSE = "spouse", _("配偶")
    FATHER = "father", _("父亲")
    MOTHER = "mother", _("母亲")
    SON = "son", _("儿子")
    DAUGHTER = "daughter", _("女儿")
    BROTHER = "brother", _("兄弟")
    SISTER = "sister", _("姐妹")
    GRANDPARENT = "grandparent", _("祖父母/外祖父母")
    GRANDCHILD = "grandchild", _("孙子女/外孙子女")
    UNCLE_AUNT = "uncle_aunt", _("伯叔姑舅姨")
    COUSIN = "cousin", _("堂/表兄弟姐妹")
    NEPHEW_NIECE = "nephew_niece", _("侄子女/甥子女")
    PARENT_IN_LAW = "parent_in_law", _("配偶父母")
    SIBLING_IN_LAW = "sibling_in_law", _("配偶的兄弟姐妹及其配偶")
    CHILD_IN_LAW = "child_in_law", _("子女配偶")
    SIBLING_SPOUSE = "sibling_spouse", _("兄弟姐妹的配偶")
    OTHER_FAMILY = "other_family", _("其他亲属")
    SOCIAL = "social", _("社会关系")


# How each kind relates for recusal: "spouse", "lineal" (direct blood), "collateral3"
# (collateral within three generations), "in_law" (close in-laws), or None.
RELATION_DEGREE = {
    RelationKind.SPOUSE: "spouse",
    RelationKind.FATHER: "lineal", RelationKind.MOTHER: "lineal", RelationKind.SON: "lineal",
    RelationKind.DAUGHTER: "lineal", RelationKind.GRANDPARENT: "lineal", RelationKind.GRANDCHILD: "lineal",
    RelationKind.BROTHER: "collateral3", RelationKind.SISTER: "collateral3",
    RelationKind.UNCLE_AUNT: "collateral3", RelationKind.COUSIN: "collateral3",
    RelationKind.NEPHEW_NIECE: "collateral3",
    RelationKind.PARENT_IN_LAW: "in_law", RelationKind.SIBLING_IN_LAW: "in_law",
    RelationKind.CHILD_IN_LAW: "in_law", RelationKind.SIBLING_SPOUSE: "in_law",
    RelationKind.OTHER_FAMILY: None, RelationKind.SOCIAL: None,
}


class Relation(models.Model):
    """家庭成员及社会关系: one JiaTingChengYuan item, with a typed kind and, where the relative
    is a cadre here too, a link for recusal."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(_("关系类别"), max_length=20, choices=RelationKind.choices)
    title = models.CharField(_("称谓"), max_length=20, help_text=_("如：妻子、父亲、长子"))
    name = models.CharField(_("姓名"), max_length=30)
    birth = models.CharField(_("出生年月"), max_length=8, blank=True, help_text=_("六位年月，如 196503"))
    political_status = models.CharField(_("政治面貌"), max_length=20, blank=True)
    work_unit_and_post = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    related_cadre = models.ForeignKey(Cadre, verbose_name=_("本系统中的干部"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="relations_as_relative")
    emigrated = models.BooleanField(_("已移居国（境）外"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["cadre", "sort_order", "id"]
        verbose_name = _("家庭成员及社会关系")
        verbose_name_plural = _("家庭成员及社会关系")

    def __str__(self) -> str:
        return f"{self.title} {self.name}"


class PostHolding(models.Model):
    """A cadre holding a post from ``start`` to ``end`` (open while current)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="post_holdings")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="holdings")
    start = models.DateField(_("任职时间"))
    end = models.DateField(_("免职时间"), null=True, blank=True)
    probation_end = models.DateField(_("试用期满"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["cadre", "-start"]
        verbose_name = _("任职经历")
        verbose_name_plural = _("任职经历")
        constraints = [models.CheckConstraint(condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                                              name="post_holding_end_after_start")]
        indexes = [models.Index(fields=["post", "end"], name="post_holding_post_end")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.post}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASICALLY_COMPETENT = "basically_competent", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class AnnualGrade(models.Model):
    """The annual assessment grade, structured for the eligibility rules (R8)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="annual_grades")
    year = models.PositiveSmallIntegerField(_("年度"))
    grade = models.CharField(_("等次"), max_length=20, choices=Grade.choices)

    class Meta:
        ordering = ["cadre", "-year"]
        verbose_name = _("年度考核等次")
        constraints = [models.UniqueConstraint(fields=["cadre", "year"], name="annual_grade_once_a_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_grade_display()}"


class AccessLog(models.Model):
    """Every full view of a cadre's personal file, and every export: who, when, what."""

    class What(models.TextChoices):
        RECORD = "record", _("查看干部档案")
        ID_NUMBER = "id_number", _("查看完整身份证号")
        APPOINTMENT_FORM = "appointment_form", _("查看任免审批表")
        EXPORT = "export", _("导出")
        API = "api", _("接口读取")

    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    cadre = models.ForeignKey(Cadre, null=True, blank=True, on_delete=models.SET_NULL, related_name="access_logs")
    what = models.CharField(max_length=20, choices=What.choices)
    detail = models.CharField(max_length=300, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("档案查阅记录")

    def __str__(self) -> str:
        return f"{self.user_id} {self.what} {self.at:%Y-%m-%d %H:%M}"
