"""Plain words for the ledger's codes (issue 19): an event kind (``publicity.notice.closed``)
as 公示结束, a subject (``people.cadre:12``) as 干部 张三 with a link to its page, an actor
(a username) as the person's name and role.

Kinds not listed get words made from their object and verb, so a new kind never shows its
code; ``KIND_LABELS`` is the one place to give a kind better words."""

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "accounts.api_token.issued": _("签发接口令牌"),
    "accounts.api_token.revoked": _("吊销接口令牌"),
    "accounts.demo.created": _("创建演示账号"),
    "accounts.otp.enrolled": _("绑定动态口令"),
    "accounts.user.created": _("创建账号"),
    "accounts.user.password_set": _("设置密码"),
    "accounts.user.updated": _("修改账号"),
    "assessment.accountability.decided": _("问责决定"),
    "assessment.accountability.dismissed": _("问责不予追究"),
    "assessment.accountability.opened": _("问责立案"),
    "assessment.daily_record.added": _("日常考核记录"),
    "assessment.grades.decided": _("确定考核等次"),
    "assessment.grades.proposed": _("提出考核等次"),
    "assessment.indicator_system.created": _("建立指标体系"),
    "assessment.public_evaluation.recorded": _("登记群众评议"),
    "assessment.scores.computed": _("计算考核得分"),
    "assessment.unit_result.recorded": _("登记单位考核结果"),
    "assessment.unit_results.imported": _("导入单位考核结果"),
    "assessment.year.opened": _("开启考核年度"),
    "cases.application.accepted": _("接受自荐"),
    "cases.application.rejected": _("不接受自荐"),
    "cases.application.submitted": _("自荐报名"),
    "cases.attachment.added": _("上传附件"),
    "cases.candidate.added": _("提名人选"),
    "cases.candidate.appointed": _("任职"),
    "cases.candidate.disqualified": _("取消人选资格"),
    "cases.candidate.eligibility_checked": _("资格审查"),
    "cases.candidate.exception_recorded": _("破格审批"),
    "cases.candidate.resumed": _("恢复人选"),
    "cases.candidate.suspended": _("暂停人选"),
    "cases.candidate.withdrawn": _("人选退出"),
    "cases.case.advanced": _("推进阶段"),
    "cases.case.opened": _("动议"),
    "cases.case.resumed": _("恢复案件"),
    "cases.case.suspended": _("暂停案件"),
    "cases.case.withdrawn": _("撤销案件"),
    "cases.decision.taken": _("形成决定"),
    "cases.decision_meeting.attendance_recorded": _("登记出席"),
    "cases.decision_meeting.counts_recorded": _("登记计票"),
    "cases.decision_meeting.created": _("召开讨论决定会议"),
    "cases.decision_meeting.not_held": _("讨论决定会议未召开"),
    "cases.decision_meeting.stance_recorded": _("登记表态"),
    "cases.decision_meeting.votes_recorded": _("登记表态"),
    "cases.decision_meeting.voting_opened": _("开始表决"),
    "cases.rule_set.versioned": _("发布规则新版本"),
    "cases.vacancy_notice.closed": _("公告截止"),
    "cases.vacancy_notice.published": _("发布职位空缺公告"),
    "exchange.excel.imported": _("Excel 导入干部"),
    "exchange.lrmx.imported": _("导入任免审批表"),
    "inspection.certificate.issued": _("颁发考察资格证书"),
    "inspection.certificate.revoked": _("吊销考察资格证书"),
    "inspection.exam.created": _("组织考察资格考试"),
    "inspection.exam_score.recorded": _("登记考试成绩"),
    "inspection.four_check.done": _("凡提四必查核"),
    "inspection.inspection.opened": _("开始考察"),
    "inspection.interview.recorded": _("考察谈话"),
    "inspection.key_project.created": _("建立重点工程"),
    "inspection.performance_record.added": _("登记实绩"),
    "inspection.problem_file.assigned": _("交办问题线索"),
    "inspection.problem_file.found": _("发现问题线索"),
    "inspection.problem_file.received": _("收到问题线索"),
    "inspection.problem_file.verified": _("核实问题线索"),
    "inspection.project_member.added": _("加入重点工程"),
    "inspection.project_member.removed": _("退出重点工程"),
    "inspection.report.saved": _("保存考察报告"),
    "inspection.report.signed": _("考察报告签发"),
    "inspection.report_finding.recorded": _("考察发现"),
    "inspection.review.answered": _("联审单位答复"),
    "inspection.review.sent": _("发出联审函"),
    "inspection.review_department.created": _("新增联审单位"),
    "inspection.review_department.updated": _("修改联审单位"),
    "inspection.source_place.added": _("溯源考察地点"),
    "inspection.source_place.visited": _("溯源走访"),
    "inspection.team.formed": _("组建考察组"),
    "inspection.tracking_record.added": _("跟踪考察记录"),
    "inspection.training_attendance.recorded": _("登记培训出勤"),
    "inspection.training_session.created": _("组织考察人员培训"),
    "inspection.vote.recorded": _("民主测评"),
    "ledger.key.declared": _("公布账本签名公钥"),
    "ledger.key.rotated": _("更换账本签名密钥"),
    "matching.committee_assignment.recorded": _("登记党委分配"),
    "matching.preference.submitted": _("提交志愿"),
    "matching.ranking.closed": _("科室排序截止"),
    "matching.round.closed": _("双向选择截止"),
    "matching.round.created": _("发起双向选择"),
    "matching.round.published": _("公布双向选择结果"),
    "matching.standby.decided": _("决定待岗"),
    "meetings.candidate.added": _("添加推荐人选"),
    "meetings.candidate.removed": _("移除推荐人选"),
    "meetings.check_in.recorded": _("推荐会议签到"),
    "meetings.check_in.undone": _("撤销签到"),
    "meetings.code.spoiled": _("作废投票码"),
    "meetings.codes.generated": _("生成投票码"),
    "meetings.electorate.changed": _("调整参会人员"),
    "meetings.meeting.closed": _("推荐会议结束"),
    "meetings.meeting.created": _("创建推荐会议"),
    "meetings.meeting.opened": _("推荐会议开始"),
    "meetings.meeting.published": _("公布推荐结果"),
    "meetings.meeting.updated": _("修改推荐会议"),
    "meetings.post.added": _("添加推荐职位"),
    "meetings.post.removed": _("移除推荐职位"),
    "meetings.seed.revealed": _("公布随机种子"),
    "people.annual_grade.set": _("登记年度考核等次"),
    "people.cadre.created": _("新增干部"),
    "people.cadre.position_corrected": _("更正干部任职"),
    "people.cadre.updated": _("修改干部信息"),
    "people.demo.imported": _("导入演示干部"),
    "people.org_unit.created": _("新增单位"),
    "people.org_unit.updated": _("修改单位"),
    "people.post.created": _("新增职位"),
    "people.post.updated": _("修改职位"),
    "people.post_holding.ended": _("免职"),
    "people.post_holding.probation_changed": _("调整试用期"),
    "people.post_holding.started": _("任职"),
    "people.relation.added": _("添加家庭成员"),
    "people.relation.removed": _("删除家庭成员"),
    "people.resume_entry.added": _("添加简历"),
    "people.resume_entry.removed": _("删除简历"),
    "publicity.appointment.recorded": _("登记任职"),
    "publicity.feedback.assigned": _("交办公示反馈"),
    "publicity.feedback.received": _("收到公示反馈"),
    "publicity.feedback.replied": _("答复公示反馈"),
    "publicity.feedback.resolved": _("公示反馈办结"),
    "publicity.feedback.transferred": _("转办公示反馈"),
    "publicity.notice.closed": _("公示结束"),
    "publicity.notice.created": _("生成任前公示"),
    "publicity.notice.entry_added": _("添加公示对象"),
    "publicity.notice.entry_removed": _("移除公示对象"),
    "publicity.notice.published": _("发布任前公示"),
    "publicity.notice.updated": _("修改任前公示"),
    "publicity.probation.decided": _("试用期满考核"),
    "publicity.workday_override.removed": _("撤销工作日调整"),
    "publicity.workday_override.set": _("调整工作日"),
    "reserve.assignment.added": _("布置学员作业"),
    "reserve.attendance.recorded": _("登记考勤"),
    "reserve.class_session.added": _("添加课程"),
    "reserve.composition_target.set": _("设定结构目标"),
    "reserve.reserve_cadre.entered": _("后备干部入库"),
    "reserve.reserve_cadre.exited": _("后备干部出库"),
    "reserve.reserve_cadre.readiness_set": _("评定成熟度"),
    "reserve.reserve_cadre.tier_changed": _("后备干部调层"),
    "reserve.trainee.enrolled": _("中青班报名"),
    "reserve.trainee.evaluated": _("学员结业鉴定"),
    "reserve.trainee.withdrawn": _("学员退学"),
    "reserve.training_class.created": _("开办中青班"),
    "reserve.training_class.graduated": _("中青班结业"),
}

APP_LABELS = {
    "accounts": _("账号"), "assessment": _("考核"), "cases": _("选任"), "exchange": _("导入导出"),
    "inspection": _("考察与联审"), "ledger": _("账本"), "matching": _("双向选择"), "meetings": _("推荐会议"),
    "people": _("干部与单位"), "publicity": _("公示与任职"), "reserve": _("后备干部"), "jobs": _("后台任务"),
    "exams": _("考试"), "evaluation": _("评价"),
}

VERBS = {
    "created": _("新建"), "updated": _("修改"), "added": _("添加"), "removed": _("移除"), "opened": _("开始"),
    "closed": _("结束"), "published": _("发布"), "recorded": _("登记"), "decided": _("决定"), "set": _("设置"),
    "issued": _("签发"), "revoked": _("吊销"), "imported": _("导入"), "submitted": _("提交"), "answered": _("答复"),
    "sent": _("发出"), "signed": _("签发"), "saved": _("保存"), "entered": _("进入"), "exited": _("退出"),
    "withdrawn": _("撤回"), "resolved": _("办结"), "assigned": _("交办"), "verified": _("核实"), "done": _("完成"),
}

# Subjects that are not a model row
SPECIAL_SUBJECTS = {"accounts.demo": _("演示账号"), "people.import": _("干部导入"), "ledger.key": _("签名公钥")}

# The staff page of a subject, by its type: (url name, the page's id argument is the subject id)
SUBJECT_PAGES = {
    "cases.case": "cases:case_detail", "cases.candidate": "cases:candidate_detail",
    "cases.vacancynotice": "cases:notice_detail", "cases.decisionmeeting": "cases:meeting_detail",
    "cases.ruleset": "cases:rule_set_detail", "people.cadre": "people:cadre_detail",
    "meetings.meeting": "meetings:detail", "inspection.inspection": "inspection:inspection_detail",
    "inspection.keyproject": "inspection:project_detail", "inspection.problemfile": "inspection:problem_detail",
    "inspection.reviewrequest": "inspection:review_answer",
    "publicity.notice": "publicity:notice", "publicity.feedback": "publicity:feedback",
    "publicity.appointment": "publicity:appointment", "reserve.reservecadre": "reserve:detail",
    "reserve.trainingclass": "reserve:class_detail", "reserve.trainee": "reserve:trainee_detail",
    "assessment.accountabilitycase": "assessment:accountability_detail", "matching.round": "matching:round_detail",
}


def kind_label(kind: str) -> str:
    """An event kind in words: its own label, else its object and verb in words."""
    if kind in KIND_LABELS:
        return str(KIND_LABELS[kind])
    app, _dot, rest = kind.partition(".")
    obj, _dot, verb = rest.rpartition(".")
    model = _model(app, obj.replace("_", ""))
    thing = str(model._meta.verbose_name) if model else str(APP_LABELS.get(app, gettext("记录")))
    return f"{VERBS[verb]}{thing}" if verb in VERBS else gettext("%(thing)s变更") % {"thing": thing}


def kind_choices(chosen: str = "") -> list[tuple[str, str]]:
    """For a filter: each app as a group (its prefix); the kinds of the chosen group follow it
    (so the list stays short: choose a group, then narrow to one kind)."""
    out: list[tuple[str, str]] = [("", gettext("全部类型"))]
    by_app: dict[str, list[str]] = {}
    for kind in KIND_LABELS:
        by_app.setdefault(kind.split(".", 1)[0], []).append(kind)
    open_app = (chosen or "").split(".", 1)[0]
    for app, kinds in by_app.items():
        group = str(APP_LABELS.get(app, app))
        out.append((app, gettext("%(group)s（全部）") % {"group": group}))
        if app == open_app:
            out += [(kind, f"{group} · {KIND_LABELS[kind]}") for kind in sorted(kinds, key=lambda k: str(KIND_LABELS[k]))]
    if chosen and chosen not in dict(out):
        out.append((chosen, kind_label(chosen)))
    return out


def _model(app: str, name: str):
    try:
        return apps.get_model(app, name)
    except (LookupError, ValueError):
        return None


def subject_type_label(subject_type: str) -> str:
    if subject_type in SPECIAL_SUBJECTS:
        return str(SPECIAL_SUBJECTS[subject_type])
    app, _dot, name = subject_type.partition(".")
    model = _model(app, name)
    return str(model._meta.verbose_name) if model else gettext("记录")


def subject_types() -> list[tuple[str, str]]:
    """Subject types a filter may choose from, in words."""
    seen = [(t, subject_type_label(t)) for t in SUBJECT_PAGES]
    return sorted(seen, key=lambda pair: pair[1])


def subject_url(subject_type: str, subject_id) -> str:
    name = SUBJECT_PAGES.get(subject_type)
    if not name or not str(subject_id).isdigit():
        return ""
    try:
        return reverse(name, args=[int(subject_id)])
    except NoReverseMatch:
        return ""


def describe_subjects(pairs) -> dict[tuple[str, str], dict]:
    """{(type, id): {"type": 干部, "name": 张三, "url": …}} for many subjects in one query per type."""
    wanted: dict[str, set[str]] = {}
    for stype, sid in pairs:
        wanted.setdefault(stype, set()).add(str(sid))
    out = {}
    for stype, ids in wanted.items():
        label = subject_type_label(stype)
        app, _dot, name = stype.partition(".")
        model = None if stype in SPECIAL_SUBJECTS else _model(app, name)
        names = {}
        if model is not None:
            numeric = [int(i) for i in ids if i.isdigit()]
            try:
                names = {str(obj.pk): _object_name(obj) for obj in model._default_manager.filter(pk__in=numeric)}
            except Exception:  # noqa: BLE001 - a subject whose model cannot be read still gets its type in words
                names = {}
        for sid in ids:
            out[(stype, sid)] = {"type": label, "name": names.get(sid, ""), "url": subject_url(stype, sid), "id": sid}
    return out


def _object_name(obj) -> str:
    for attr in ("name", "title"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value:
            return value
    cadre = getattr(obj, "cadre", None)
    if cadre is not None and getattr(cadre, "name", None):
        return cadre.name
    return str(obj)


def people_by_username(usernames) -> dict[str, str]:
    """{username: "李华（组织部经办人）"} for the accounts named; an unknown name stays as it is."""
    from gongxin.accounts.models import User

    names = {u for u in usernames if u}
    found = {u.username: person_label(u) for u in User.objects.filter(username__in=names)}
    return {u: found.get(u, u) for u in names}


def person_label(user) -> str:
    if user is None:
        return gettext("系统")
    name, role = user.full_name or gettext("未填姓名的账号"), str(user.get_role_display())
    return name if name == role else f"{name}（{role}）"


def checkpoint_reason(reason: str) -> str:
    """A checkpoint's reason in words. Earlier versions wrote codes (``meeting 3 closed``,
    ``publicity.notice.published:9``): those are read back as what they meant."""
    import re

    m = re.fullmatch(r"meeting (\d+) (closed|published)", reason or "")
    if m:
        info = describe_subjects([("meetings.meeting", m.group(1))])[("meetings.meeting", m.group(1))]
        what = gettext("推荐会议结束") if m.group(2) == "closed" else gettext("公布推荐结果")
        return f"{what}：{info['name'] or m.group(1)}"
    m = re.fullmatch(r"([a-z_]+\.[a-z_]+\.[a-z_]+):(\d+)", reason or "")
    if m:
        kind = m.group(1)
        stype = {"publicity.notice": "publicity.notice"}.get(kind.rsplit(".", 1)[0], kind.rsplit(".", 1)[0].replace("_", ""))
        info = describe_subjects([(stype, m.group(2))])[(stype, m.group(2))]
        return f"{kind_label(kind)}：{info['name'] or m.group(2)}"
    return reason
