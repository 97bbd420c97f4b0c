"""The translated sentence for each problem code the pure checks in ``workflow.py`` return."""

from django.utils.translation import gettext as _

from .workflow import Problem


def text(problem: Problem) -> str:
    code, p = problem
    templates = {
        "team.not_inspector": _("%(name)s 不是考察人员账号，不能编入考察组。"),
        "team.uncertified": _("%(name)s 没有考察资格证书（须参加培训并考试合格），不能编入考察组。"),
        "team.certificate_expired": _("%(name)s 的考察资格证书已于 %(date)s 过期，须重新培训考试后才能编入考察组。"),
        "team.certificate_revoked": _("%(name)s 的考察资格证书已被注销，不能编入考察组。"),
        "team.recused": _("%(name)s 须回避：%(reason)s"),
        "team.duplicate_member": _("同一人不能在考察组中出现两次。"),
        "team.too_small": _("考察组至少需要 %(min)s 名成员，现在只有 %(n)s 名。"),
        "team.leader_count": _("考察组必须有且只有一名组长（现在 %(n)s 名）。"),
        "certificate.no_training": _("尚未参加考察人员培训，不能发证。"),
        "certificate.no_exam": _("尚未参加考察资格考试，不能发证。"),
        "certificate.exam_failed": _("考试成绩 %(score)s 分，未达到合格分数线 %(pass_mark)s 分，不能发证。"),
        "review.not_sent": _("尚未向联审单位发出联审函。"),
        "review.not_asked": _("尚未向%(department)s发出联审函。"),
        "review.silent": _("%(department)s尚未答复联审函。"),
        "review.silent_overdue": _("%(department)s逾期未答复联审函。"),
        "review.needs_verification": _("%(department)s答复需进一步核实，尚未核实完毕。"),
        "review.problem_open": _("%(department)s发现问题，尚未核查认定。"),
        "review.problem_substantiated": _("%(department)s反映的问题经核查属实。"),
    }
    template = templates.get(code)
    if template is None:
        return code
    return template % {k: ("" if v is None else v) for k, v in p.items()} if p else template


def texts(problems: list[Problem]) -> list[str]:
    return [text(p) for p in problems]
