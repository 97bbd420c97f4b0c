"""Demo 一报告两评议: two years of evaluations of the demo county, the second with a higher
satisfaction rate than the first, one flagged cadre with a follow-up (an analysis recorded).

The years are the calendar year before today's and today's: the earlier one is evaluated in
January (or today, if that is sooner), the later one today, so the demo works on any date; the
ballots list whatever appointments the other demos made in each year. Everything goes through
the real actions (report, meeting, codes, sealed box, close with two tellers' shares, publish)."""

import datetime as dt

from gongxin.meetings.rating import percent
from gongxin.people.models import Cadre, CadreStatus

from . import actions
from .models import EvaluatedCadre

PRESENT = 38
# (满意, 基本满意, 不满意, 不了解) out of PRESENT ballots: 30/38 = 78.95 % then 35/38 = 92.11 %
WORK = {0: (20, 10, 5, 3), 1: (26, 9, 1, 2)}
FLAGGED_NOT_ENDORSE = 15   # 15/38 = 39.5 % 不认同: more than one third


def _marks(counts, keys, rng) -> list[str]:
    marks = [k for k, n in zip(keys, counts, strict=True) for _ in range(n)]
    rng.shuffle(marks)
    return marks


def _run_year(ctx, rng, *, root, admin, clerk, year: int, meeting_date: dt.date, electors, index: int, flag: bool):
    report = actions.generate_report(acting_user=clerk, org_unit=root, year=year)
    if index == 0:
        actions.finalize_report(acting_user=clerk, report=report)
    evaluation = actions.create_evaluation(acting_user=clerk, org_unit=root, year=year, meeting_date=meeting_date,
                                           location="县委常委会议室", electors=electors, report=report)
    from gongxin.meetings import actions as meeting_actions

    meeting, _seed, shares = meeting_actions.open_meeting(acting_user=admin, meeting=evaluation.meeting)
    members = list(meeting.electors.order_by("id"))
    rng.shuffle(members)
    meeting_actions.check_in(acting_user=clerk, meeting=meeting, electors=members[:PRESENT])
    codes = meeting_actions.generate_codes(acting_user=clerk, meeting=meeting, count=PRESENT)
    work = _marks(WORK[index], ["satisfied", "basically_satisfied", "dissatisfied", "unknown"], rng)
    # in ballot order: item keys are the item's place as text ("2", …, "10"), so sort them as numbers
    cadres = sorted(evaluation.cadres.all(), key=lambda ev: int(ev.item_key))
    flagged = cadres[0] if flag and cadres else None
    columns = []
    for ev in cadres:
        if ev is flagged:
            counts = (12, 8, FLAGGED_NOT_ENDORSE, PRESENT - 35)
        else:
            counts = (24 + rng.randint(0, 4), 6, rng.randint(0, 3), 0)
            counts = (counts[0], counts[1], counts[2], PRESENT - sum(counts[:3]))
        columns.append(_marks(counts, ["endorse", "basically_endorse", "not_endorse", "unknown"], rng))
    for i, code in enumerate(codes):
        meeting_actions.cast_ballot(code=code, selections=[[work[i]], *[[col[i]] for col in columns]])
    evaluation = actions.close_evaluation(acting_user=clerk, evaluation=evaluation, key_shares=shares[1:],
                                          slips_issued=PRESENT)
    actions.publish_evaluation(acting_user=admin, evaluation=evaluation)
    return evaluation, flagged


def build(ctx) -> None:
    data = ctx.data
    admin, clerk = ctx.admin, data.get("clerk") or ctx.admin
    if not data.get("cadres") or admin is None:
        ctx.log("evaluation: no people/accounts demo data, skipped")
        return
    rng = ctx.rng_for("evaluation")
    root = data.get("root") or data["units"][next(iter(data["units"]))]
    later = ctx.today.year
    years = [later - 1, later]
    promoted = set()
    for year in years:
        promoted.update(c.pk for c in (row["cadre"] for row in actions.ballot_items(root, year)))
    # The plenary (全委会): 40 members of 正处 and 副处 rank, none of them on a ballot.
    members = list(Cadre.objects.filter(status=CadreStatus.ACTIVE, rank__level__gte=40, org_unit__path__startswith=root.path)
                   .exclude(pk__in=promoted).order_by("id")[:40])
    if len(members) < PRESENT:
        members += list(Cadre.objects.filter(status=CadreStatus.ACTIVE, rank__level__gte=30).exclude(pk__in=promoted)
                        .exclude(pk__in=[m.pk for m in members]).order_by("id")[: 40 - len(members)])
    if len(members) < PRESENT:
        ctx.stop("evaluation", "民主评议", f"只有 {len(members)} 名可作全委会成员的干部，少于 {PRESENT} 人")
        return
    flag_year = later if actions.ballot_items(root, later) else later - 1
    dates = {later - 1: min(dt.date(later, 1, 15), ctx.today), later: ctx.today}
    summary = []
    flagged = None
    for index, year in enumerate(years):
        evaluation, f = _run_year(ctx, rng, root=root, admin=admin, clerk=clerk, year=year, meeting_date=dates[year],
                                  electors=members, index=index, flag=year == flag_year)
        flagged = flagged or f
        res = evaluation.results
        summary.append(f"{year}年满意度 {percent(res['satisfaction_rate'])}"
                       f"（{len(res['cadres'])} 名新提拔干部，{len(res['flagged'])} 名需核实）")
    if flagged is None:
        ctx.stop("evaluation", "需核实的干部", "两年都没有新任职的干部，选票上没有干部评议项")
    else:
        flagged = EvaluatedCadre.objects.select_related("cadre", "follow_up").get(pk=flagged.pk)
        actions.record_analysis(acting_user=clerk, follow_up=flagged.follow_up, analysis=(
            f"{flagged.cadre.name}任职后在推进重点工作中方法简单，部分干部群众有意见；已由分管领导谈话提醒，"
            "组织部门将在试用期满考核时重点了解其改进情况。"))
        data["evaluation_flagged"] = flagged
    ctx.built("evaluation", "；".join(summary) + ("；1 名干部“不认同”票超过三分之一，已记录核实分析" if flagged else ""))
