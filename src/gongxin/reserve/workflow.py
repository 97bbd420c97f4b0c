"""Checks of the reserve workflow, returning blockers in words a clerk understands: no models,
no queries, no writes (the callers pass what they read)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.utils.translation import gettext as _t

from gongxin.cases.eligibility import N_

ENROLLED, GRADUATED, NOT_GRADUATED = "enrolled", "graduated", "not_graduated"
FAILING = "fail"


def enrolment_blockers(*, reserve_tier: int | None, decision: str, name: str) -> list[str]:
    """Tier 1 enrols; a tier-2/3 reserve cadre or anyone else only with the decision cited."""
    if reserve_tier == 1 or decision.strip():
        return []
    if reserve_tier is None:
        return [_t(N_("%(name)s 不是后备干部，参加中青班须注明组织调训决定。")) % {"name": name}]
    return [_t(N_("%(name)s 是第%(tier)s层次后备干部，中青班从第一层次中调训，其他人员须注明组织调训决定。")) % {
        "name": name, "tier": "一二三"[reserve_tier - 1]}]


def graduation_blockers(*, on: dt.date, starts_on: dt.date, trainees: int, unevaluated: list[str]) -> list[str]:
    out = []
    if on < starts_on:
        out.append(_t(N_("结业日期不能早于开班日期 %(d)s。")) % {"d": starts_on})
    if trainees == 0:
        out.append(_t(N_("本班没有在学学员。")))
    if unevaluated:
        out.append(_t(N_("%(n)d 名学员尚未鉴定：%(names)s。")) % {"n": len(unevaluated), "names": "、".join(unevaluated[:10])})
    return out


def graduation_outcome(*, grade: str, attended: int, sessions: int, min_attendance: Fraction) -> tuple[str, str]:
    """(status, note) for one trainee at graduation."""
    if grade == FAILING:
        return NOT_GRADUATED, _t(N_("结业鉴定不合格"))
    if sessions and Fraction(attended, sessions) < min_attendance:
        return NOT_GRADUATED, _t(N_("出勤 %(a)d/%(s)d 次，低于结业要求的 %(p)s")) % {
            "a": attended, "s": sessions, "p": f"{float(min_attendance) * 100:.0f}%"}
    return GRADUATED, ""


def direct_nomination_blockers(*, name: str, tier: int | None, direct_tier: int, graduations: list[tuple],
                               cited: int | None, on: dt.date, valid_until) -> list[str]:
    """``graduations``: (class id, class name, graduated_on) of the cadre; ``cited``: the class id
    in the nomination's evidence; ``valid_until(graduated_on)`` the last day it counts."""
    if tier is None:
        return [_t(N_("%(name)s 不在后备干部库中，不能以“后备干部直接提名”渠道提名。")) % {"name": name}]
    if tier != direct_tier:
        return [_t(N_("%(name)s 是第%(tier)s层次后备干部，只有第一层次后备干部可以直接提名。")) % {
            "name": name, "tier": "一二三"[tier - 1]}]
    if not graduations:
        return [_t(N_("%(name)s 没有中青班结业记录，不能直接提名。")) % {"name": name}]
    if cited is None:
        return [_t(N_("请选择 %(name)s 结业的中青班作为提名依据。")) % {"name": name}]
    match = [g for g in graduations if g[0] == cited]
    if not match:
        return [_t(N_("%(name)s 未从所选的中青班结业。")) % {"name": name}]
    _id, class_name, graduated_on = match[0]
    until = valid_until(graduated_on)
    if on > until:
        return [_t(N_("%(name)s 于 %(d)s 从“%(c)s”结业，直接提名有效期已于 %(u)s 届满。")) % {
            "name": name, "d": graduated_on, "c": class_name, "u": until}]
    return []
