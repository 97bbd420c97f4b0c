"""The round's states as data, and the checks that list what blocks a step (no DB writes)."""

from django.utils.translation import gettext as _

from .models import RoundStatus

# (from, to): the action that makes the move
TRANSITIONS = {
    (RoundStatus.RANKING, RoundStatus.CLOSED): "close_round",
    (RoundStatus.CLOSED, RoundStatus.PUBLISHED): "publish_round",
}


def ranking_blockers(round_, today) -> list[str]:
    if round_.status != RoundStatus.RANKING:
        return [_("本轮双向选择已截止排序并完成匹配，排序不能再修改。")]
    if today > round_.ranking_deadline:
        return [_("排序截止日期（%(date)s）已过，不能再提交排序。") % {"date": round_.ranking_deadline}]
    return []


def close_blockers(round_) -> list[str]:
    if round_.status != RoundStatus.RANKING:
        return [_("本轮双向选择已经结束匹配，不能重复结束。")]
    return []


def publish_blockers(round_) -> list[str]:
    if round_.status == RoundStatus.RANKING:
        return [_("请先结束排序并完成匹配，再公布结果。")]
    if round_.status == RoundStatus.PUBLISHED:
        return [_("本轮结果已经公布。")]
    return []


def decision_blockers(round_) -> list[str]:
    if round_.status == RoundStatus.RANKING:
        return [_("匹配完成后才能由党委分配或决定待岗。")]
    return []
