"""What exams plug into the rest (registered in AppConfig.ready()): the typed parameters of
its rule rows, and the nomination check that keeps an exam-linked case's exam channel for the
people the exam's ranking chose."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongxin.cases import rule_schema as rs
from gongxin.cases.guards import register_nomination_check

COMPONENTS = (("written", gettext_lazy("笔试成绩")), ("interview", gettext_lazy("面试成绩")))
NAME_ORDERS = (("rank", gettext_lazy("按名次")), ("strokes", gettext_lazy("按姓氏笔画")))


def exam_nomination_check(case, cadre, channel: str, evidence: dict) -> list[str]:
    """A case linked to an exam takes people through the exam's channel only from its list
    of candidates for inspection (the exam's own action passes ``evidence["exam"]``)."""
    from .models import Exam, Outcome, Registration

    exams = list(Exam.objects.filter(case=case, channel=channel).values_list("pk", flat=True))
    if not exams:
        return []
    chosen = Registration.objects.filter(exam_id__in=exams, cadre=cadre, outcome=Outcome.FOR_INSPECTION).exists()
    if evidence.get("exam") in exams and chosen:
        return []
    return [_("本案件的“%(channel)s”人选由考试综合成绩排名确定，%(name)s 不在考察对象名单中。") % {
        "channel": dict(rs.CHANNELS).get(channel, channel), "name": cadre.name}]


def register() -> None:
    rs.register_schema("EXM", "", {
        "written_weight": rs.Frac(gettext_lazy("笔试成绩权重")),
        "interview_weight": rs.Frac(gettext_lazy("面试成绩权重")),
        "interview_ratio": rs.Int(gettext_lazy("面试比例（每个职位人数）"), 1, 10),
        "inspection_ratio": rs.Int(gettext_lazy("考察比例（每个职位人数）"), 1, 5),
        "tie_order": rs.Many(gettext_lazy("综合成绩相同时依次比较"), COMPONENTS),
        "name_order": rs.One(gettext_lazy("公布名单顺序"), NAME_ORDERS),
    })
    rs.register_schema("EXM", "competitive_share", {
        "min_share": rs.Frac(gettext_lazy("中层岗位竞争上岗最低比例")),
    })
    rs.register_schema("EXM", "village", {
        "min_years": rs.Int(gettext_lazy("村干部连续任职（年）"), 0, 20),
        "grade_window_years": rs.Int(gettext_lazy("考核等次回溯年数"), 1, 10),
        "required_grades": rs.Many(gettext_lazy("须达到的年度考核等次"), rs.GRADES),
    })
    register_nomination_check(exam_nomination_check)
