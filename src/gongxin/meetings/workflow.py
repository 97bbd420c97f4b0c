"""The meeting's life as data: which action may run in which status, and the blockers a clerk
reads before opening or closing. No database writes here."""

from django.utils.translation import gettext as _

from .models import MeetingMode, MeetingStatus

S = MeetingStatus

# action → statuses in which it may run
ALLOWED = {
    "edit": {S.DRAFT},                 # rules, posts, candidates, electorate
    "generate_codes": {S.DRAFT, S.OPEN},
    "check_in": {S.DRAFT, S.OPEN},
    "open": {S.DRAFT},
    "cast": {S.OPEN},
    "spoil_code": {S.OPEN},
    "paper": {S.OPEN},
    "close": {S.OPEN},
    "reveal": {S.CLOSED},
    "publish": {S.CLOSED},
}

ACCOUNTING_PROBLEMS = {
    "present_ne_issued": lambda a: _("实到人数（%(present)d）与发出选票数（%(issued)d）不一致。") % a,
    "more_returned_than_issued": lambda a: _("收回选票 %(returned)d 张加作废 %(spoiled)d 张，多于发出的 %(issued)d 张。") % a,
}


def accounting_messages(accounting: dict) -> list[str]:
    return [ACCOUNTING_PROBLEMS[p](accounting) for p in accounting.get("problems", [])]


def open_blockers(meeting, *, posts, candidates_by_post, electors, recusals=()) -> list[str]:
    blockers = []
    if not posts:
        blockers.append(_("还没有推荐职位：请至少添加一个职位。"))
    if electors == 0:
        blockers.append(_("应到人员名单为空：请选择或导入应到人员。"))
    if meeting.mode == MeetingMode.LIST:
        for post in posts:
            if not candidates_by_post.get(post.pk):
                blockers.append(_("职位“%(post)s”还没有候选人。") % {"post": post.title})
    for elector_name, candidate_name, reason in recusals:
        blockers.append(_("%(elector)s 须对候选人 %(candidate)s 回避（%(reason)s）：请将其移出应到人员或移除该候选人。")
                        % {"elector": elector_name, "candidate": candidate_name, "reason": reason})
    return blockers


def close_blockers(*, mismatches: int, paper_pending: bool, accounting: dict) -> list[str]:
    blockers = []
    if mismatches:
        blockers.append(_("两名计票人的录入有 %(n)d 处不一致，请核对后再结束投票。") % {"n": mismatches})
    if paper_pending:
        blockers.append(_("两名计票人录入的纸质选票张数不同，请补齐后再结束投票。"))
    blockers.extend(accounting_messages(accounting))
    return blockers
