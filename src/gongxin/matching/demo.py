"""The demo's two-way selections (DOMAIN §3.6), built through the real actions:

- a finished round in one of the units whose middle-level posts the exams demo opened to
  competitive posting (``ctx.data["competitive_posting_units"]``; the source's order: the heads
  are fixed first, then sections and staff choose each other), the one with the most sections
  and at least eight staff, else a county department of the same size, said in the build
  line; staff rank 1–4 sections
  (mostly their own section first), section heads rank who applied, leaving out some; the
  round closes with its certificate and is published; the committee assigns the unmatched to
  sections with spare headcount (2–3 of them) and puts one on standby with a review date;
- an open round in 县财政局, the unit of the demo's ``section_head`` (预算股): most staff and
  the other sections have ranked, 预算股 has not, so ``section_head`` has a ranking to make.
  The demo ``cadre`` (a 李庄镇 cadre) takes part in neither round."""

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from gongxin.people.models import OrgUnit, OrgUnitKind

from . import actions
from .models import Outcome

OPEN_UNIT = "县财政局"
REASONS_ASSIGN = ["党委研究：结合本人专业和科室空余职数分配", "党委研究：工作需要，充实业务力量", "党委研究：照顾本人实际，就近安排"]
REASON_STANDBY = "近两年年度考核均为基本称职，双向选择中未被任何科室接收；经党委研究，待岗学习三个月后复核"


def build(ctx) -> None:
    data = ctx.data
    clerk = data.get("clerk") or ctx.admin
    rng = ctx.rng_for("matching")
    posting = set(data.get("competitive_posting_units", ()))
    units = (OrgUnit.objects.exclude(name=OPEN_UNIT).filter(kind__in=[OrgUnitKind.DEPARTMENT, OrgUnitKind.ORGAN])
             .annotate(n=Count("children")).order_by("-n", "name"))
    candidates = [u for u in units if u.pk in posting] + [u for u in units if u.pk not in posting
                                                          and u.kind == OrgUnitKind.DEPARTMENT]
    today = timezone.localdate()
    finished = None
    for unit in candidates:
        if len(actions.section_headcounts(unit)) >= 3 and len(actions.staff_in_scope(unit)) >= 8:
            finished = _finished_round(ctx, rng, clerk, unit, today)
            if unit.pk not in posting:
                ctx.data["matching_finished_words"] += "（竞争上岗单位中没有三个科室、八名一般干部以上的，另选此单位）"
            else:
                ctx.data["matching_finished_words"] += "（该单位中层岗位已经竞争上岗确定人选）"
            break
    if finished is None:
        ctx.stop("matching", "the finished two-way selection round", "no unit with three sections and eight staff")
    open_unit = OrgUnit.objects.filter(name=OPEN_UNIT).first()
    opened = None
    if open_unit is not None and actions.section_headcounts(open_unit):
        opened = _open_round(ctx, rng, clerk, open_unit, today, data.get("section_head_section"))
    words = []
    if finished is not None:
        words.append(ctx.data.pop("matching_finished_words"))
    if opened is not None:
        words.append(ctx.data.pop("matching_open_words"))
    if words:
        ctx.built("matching", "；".join(words))


def _rank(rng, entries, sections, own_first=0.8):
    """Realistic lists: staff rank 1–4 sections, their own section first most of the time, and
    many put the smallest section first (it fills: why-not lines say by how much); sections
    rank the staff who applied (their own people first), leaving some out."""
    by_unit = {s.section_id: s for s in sections}
    popular = min(sections, key=lambda s: (s.headcount, s.pk))
    staff_lists = {}
    for e in entries:
        own = by_unit.get(e.cadre.org_unit_id)
        others = [s for s in sections if s is not own]
        rng.shuffle(others)
        picks = others[: rng.randint(1, min(4, len(others)))]
        if own is not None and rng.random() < own_first:
            picks = [own, *picks[:3]]
        if popular not in picks[:1] and rng.random() < 0.45:
            picks = [popular, *(s for s in picks if s is not popular)][:4]
        staff_lists[e] = picks
    section_lists = {}
    for s in sections:
        applied = [e for e, lst in staff_lists.items() if s in lst]
        rng.shuffle(applied)
        applied.sort(key=lambda e: e.cadre.org_unit_id != s.section_id)  # own people first, stable
        section_lists[s] = [e for e in applied if rng.random() < 0.8]
    return staff_lists, section_lists


def _finished_round(ctx, rng, clerk, unit, today):
    round_ = actions.create_round(acting_user=clerk, org_unit=unit, title=f"{unit.name}科室人员双向选择",
                                  ranking_deadline=today + dt.timedelta(days=7))
    entries = list(round_.staff.select_related("cadre"))
    sections = list(round_.sections.select_related("section"))
    # Headcounts are the posts' (set above the present staff); the round fills to what the
    # unit has decided to staff this year: everyone but a few, so the committee has work.
    staff_lists, section_lists = _rank(rng, entries, sections)
    weakest = rng.sample(entries, 4)
    for e in weakest:   # four people no section accepts: the committee's queue
        for s in section_lists:
            if e in section_lists[s]:
                section_lists[s].remove(e)
    for e, lst in staff_lists.items():
        actions.submit_staff_ranking(acting_user=None, entry=e, ranking=[s.pk for s in lst])
    for s, lst in section_lists.items():
        actions.submit_section_ranking(acting_user=None, section=s, ranking=[e.pk for e in lst])
    round_ = actions.close_round(acting_user=clerk, round_=round_)
    actions.publish_round(acting_user=clerk, round_=round_)
    unmatched = list(round_.staff.filter(outcome=Outcome.UNMATCHED).select_related("cadre").order_by("pk"))
    assigned = 0
    for e in unmatched[:3]:
        spare = [s for s in round_.sections.all() if actions.spare_headcount(s) > 0]
        if not spare:
            break
        actions.assign_unmatched(acting_user=clerk, entry=e, section=rng.choice(spare),
                                 reason=REASONS_ASSIGN[assigned % len(REASONS_ASSIGN)])
        assigned += 1
    standby = unmatched[assigned] if len(unmatched) > assigned else None
    if standby is not None:
        actions.put_on_standby(acting_user=clerk, entry=standby, reason=REASON_STANDBY,
                               review_on=today + dt.timedelta(days=90))
    matched = round_.staff.filter(outcome=Outcome.MATCHED).count()
    stable = "（无阻塞对，匹配稳定）" if round_.outputs["certificate"]["stable"] else "（证书未通过）"
    ctx.data["matching_finished_words"] = (f"{unit.name}双向选择已结束并公布：{matched} 人匹配，{assigned} 人由党委分配，"
                                           f"{1 if standby else 0} 人待岗{stable}")
    return round_


def _open_round(ctx, rng, clerk, unit, today, head_section):
    round_ = actions.create_round(acting_user=clerk, org_unit=unit, title=f"{unit.name}科室人员双向选择（进行中）",
                                  ranking_deadline=today + dt.timedelta(days=14))
    entries = list(round_.staff.select_related("cadre"))
    sections = list(round_.sections.select_related("section"))
    staff_lists, section_lists = _rank(rng, entries, sections)
    for e, lst in staff_lists.items():
        if rng.random() < 0.85:
            actions.submit_staff_ranking(acting_user=None, entry=e, ranking=[s.pk for s in lst])
    for s, lst in section_lists.items():
        if head_section is None or s.section_id != head_section.pk:
            actions.submit_section_ranking(acting_user=None, section=s, ranking=[e.pk for e in lst])
    ctx.data["matching_open_words"] = (f"{unit.name}双向选择进行中（{round_.ranking_deadline:%Y-%m-%d} 截止），"
                                       f"科室负责人账号为{head_section.name if head_section else '—'}排序")
    return round_
