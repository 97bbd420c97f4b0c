"""The demo county's assessment (DOMAIN §3.9, §7): indicator systems for townships, county
departments and institutions built from the source's pairs (economy and livelihood, growth and
its cost, outcome and effort), this year's assessment (held in December) with every unit scored (remote townships
under the difficulty coefficient) and the public's evaluation, grades decided under the R23
caps, daily records for cadres at deputy-section level and above, and three accountability
cases, one of which holds back a candidate in a demo case, and the source's 8/13/5 promotions of
cadres long at work in remote townships (demo_promotions.py). Everything goes through actions."""

import datetime as dt

from gongxin.people.models import OrgUnit, OrgUnitKind

from . import actions, demo_promotions
from .models import UnitScore

SYSTEMS = {
    OrgUnitKind.TOWNSHIP: ("乡镇（街道）综合考核指标", [
        ("gdp_growth", "地区生产总值增速", "economy", "0.15", "higher", 0, 10, "%"),
        ("revenue_growth", "一般公共预算收入增速", "economy", "0.10", "higher", -5, 15, "%"),
        ("income_growth", "农村居民人均可支配收入增速", "livelihood", "0.15", "higher", 0, 12, "%"),
        ("livelihood_projects", "民生实事完成率", "livelihood", "0.10", "higher", 60, 100, "%"),
        ("energy_intensity", "万元地区生产总值能耗", "cost", "0.10", "lower", 1.0, 0.4, "吨标准煤"),
        ("debt_ratio", "政府性债务率", "cost", "0.10", "lower", 120, 60, "%"),
        ("key_projects", "重点工程完成率", "outcome", "0.20", "higher", 50, 100, "%"),
        ("village_days", "驻村工作日数", "effort", "0.10", "higher", 100, 250, "天"),
    ]),
    OrgUnitKind.DEPARTMENT: ("县直部门综合考核指标", [
        ("key_tasks", "重点工作完成率", "outcome", "0.30", "higher", 60, 100, "%"),
        ("satisfaction", "服务对象满意度", "livelihood", "0.20", "higher", 60, 100, "%"),
        ("budget_execution", "预算执行率", "economy", "0.15", "higher", 70, 100, "%"),
        ("admin_cost_growth", "行政成本增幅", "cost", "0.15", "lower", 10, 0, "%"),
        ("innovations", "创新工作项数", "effort", "0.10", "higher", 0, 5, "项"),
        ("censures", "督查通报次数", "cost", "0.10", "lower", 5, 0, "次"),
    ]),
    OrgUnitKind.INSTITUTION: ("事业单位综合考核指标", [
        ("targets", "业务目标完成率", "outcome", "0.35", "higher", 60, 100, "%"),
        ("satisfaction", "服务满意度", "livelihood", "0.25", "higher", 60, 100, "%"),
        ("balance", "收支结余率", "economy", "0.15", "higher", 0, 10, "%"),
        ("incidents", "安全责任事故数", "cost", "0.15", "lower", 3, 0, "起"),
        ("training_hours", "人均培训学时", "effort", "0.10", "higher", 20, 80, "学时"),
    ]),
}

DAILY_TEXTS = {
    "work": ["带队完成古城开发片区征收入户调查", "牵头推进开发区标准厂房建设，按期交付", "完成孙子文化旅游节安保方案并组织演练",
             "督导秋粮收储工作，发现并整改问题 3 处", "主持召开重点项目调度会，协调解决用地指标"],
    "conduct": ["下沉包村，连续 20 天吃住在村", "主动公开个人联系方式，接听群众来电", "严格执行公务接待标准"],
    "life": ["社区反映邻里关系和睦", "家访了解：家庭和睦，子女在外求学"],
    "public": ["群众来信表扬其为民办实事", "村民代表评价：办事公道，作风扎实"],
}


def build(ctx) -> None:
    data = ctx.data
    admin = ctx.admin
    rng = ctx.rng_for("assessment")
    if admin is None or not data.get("units"):
        ctx.stop("assessment", "the assessment year", "no people demo data")
        return
    for category, (name, rows) in SYSTEMS.items():
        actions.create_indicator_system(acting_user=admin, category=category, name=name, indicators=[
            {"code": c, "name": n, "dimension": d, "weight": w, "direction": di, "floor": f, "target": t, "unit_label": u}
            for c, n, d, w, di, f, t, u in rows])
    # The source's 8/13/5: promotions of cadres long at work in the remote townships, through a
    # case (first: they are then graded as the leaders of their new units).
    promotions = demo_promotions.build(ctx, admin)
    year_no = ctx.today.year  # the people demo's grades run to last year; this year's are decided here
    year = actions.open_year(acting_user=admin, year=year_no)

    units = [*data.get("townships", []), *data.get("departments", []), *data.get("institutions", [])]
    for unit in units:
        _, rows = SYSTEMS[unit.kind]
        values = {}
        for code, _n, _d, _w, direction, floor, target, _u in rows:
            lo, hi = sorted((floor, target))
            span = hi - lo
            # Mostly between the benchmarks; remote townships a little behind on the economy.
            x = rng.betavariate(4, 2) if direction == "higher" else rng.betavariate(2, 4)
            if unit.is_remote and code in ("gdp_growth", "revenue_growth"):
                x *= 0.8
            values[code] = round(lo + x * span, 2)
        actions.record_unit_results(acting_user=admin, year=year, org_unit=unit, values=values)
    actions.compute_scores(acting_user=admin, year=year)
    # The public's evaluation of each unit: a survey round (rating meeting, one-time codes, sealed
    # box, two tellers' shares), taken into the year, which scores it again.
    public = _public_evaluation(ctx, rng, admin, year)
    scores = list(UnitScore.objects.filter(year=year).select_related("org_unit").order_by("org_unit__path"))

    decided = 0
    for score in scores:
        rating = "excellent" if score.rank <= max(1, score.peers // 5) else "good"
        rows = actions.propose_grades(acting_user=admin, year=year, org_unit=score.org_unit, team_rating=rating)
        if rows:  # each leader's score with their own public evaluation, from the survey's ballots
            actions.decide_grades(acting_user=admin, year=year, org_unit=score.org_unit,
                                  grades={row.cadre_id: row.proposed for row in rows})
            decided += 1

    # Daily records: deputy-section level and above.
    senior = [c for c in data.get("cadres", []) if c.rank_id and c.rank.level >= 20 and c.rank.is_leadership]
    recorders = [u for u in (data.get("clerk"), admin) if u is not None]
    records = 0
    for cadre in rng.sample(senior, min(len(senior), 150)):
        for _ in range(rng.randint(1, 3)):
            category = rng.choice(list(DAILY_TEXTS))
            actions.add_daily_record(acting_user=rng.choice(recorders), cadre=cadre,
                                     recorded_on=ctx.today - dt.timedelta(days=rng.randint(5, 300)),
                                     category=category, text=rng.choice(DAILY_TEXTS[category]))
            records += 1

    # Accountability: one held open against a candidate in a demo case (promotion waits), one
    # decided (诫勉, six months), one dismissed after verification.
    blocked = _candidate_to_hold(data)
    cases = 0
    if blocked is not None:
        actions.open_accountability(acting_user=admin, cadre=blocked.cadre, opened_on=ctx.today - dt.timedelta(days=12),
                                    facts="群众反映其分管的农村道路工程未批先建、超概算 40%，县纪委监委已启动问责调查。")
        cases += 1
    others = [c for c in senior if blocked is None or c.pk != blocked.cadre_id]
    if len(others) >= 2:
        a = actions.open_accountability(acting_user=admin, cadre=others[0], opened_on=ctx.today - dt.timedelta(days=120),
                                        facts="主导建设的景观亮化工程脱离实际、群众意见大，造成财政资金浪费。")
        actions.decide_accountability(acting_user=admin, case=a, kind="admonishment",
                                      decision="经县委研究，对其进行诫勉。", decided_on=ctx.today - dt.timedelta(days=90))
        b = actions.open_accountability(acting_user=admin, cadre=others[1], opened_on=ctx.today - dt.timedelta(days=60),
                                        facts="反映其在防汛工作中履职不力。")
        actions.dismiss_accountability(acting_user=admin, case=b, reason="经核查，已按预案到岗履职，反映不属实。")
        cases += 2
    ctx.built("assessment", f"{len(SYSTEMS)} 套指标体系，{year_no} 年度 {len(scores)} 个单位计分（{public}），"
            f"{decided} 个单位按上限确定等次，{records} 条日常考核记录，{cases} 起问责；{promotions}")
    data["assessment_year"] = year


def _candidate_to_hold(data):
    """An active candidate of a demo case before the decision, to show R25 holding them back."""
    from gongxin.cases.models import Candidate

    cases = data.get("cases") or {}
    for stage in ("candidates", "inspection"):
        case = cases.get(stage)
        if case is None:
            continue
        candidate = (Candidate.objects.filter(case=case, status="active").select_related("cadre")
                     .order_by("-id").first())
        if candidate is not None:
            return candidate
    return None





SURVEY_PRESENT = 30


def _public_evaluation(ctx, rng, admin, year) -> str:
    """30 representatives of the public rate every unit and each of its leaders 好/较好/一般/差/不了解
    by phone with one-time codes; remote townships a little lower. Returns a few words for the build line."""
    from gongxin.meetings import actions as meeting_actions
    from gongxin.people.models import Cadre, CadreStatus

    from . import survey

    representatives = list(Cadre.objects.filter(status=CadreStatus.ACTIVE, rank__level__lt=20).order_by("id")[:SURVEY_PRESENT])
    if len(representatives) < SURVEY_PRESENT:
        ctx.stop("assessment", "群众评议", f"只有 {len(representatives)} 名可作评议代表的人员")
        return "群众评议未进行"
    day = min(ctx.today, dt.date(year.year, 12, 31))
    meeting = survey.open_public_evaluation(acting_user=admin, year=year, electors=representatives, meeting_date=day,
                                           leaders=True)
    year.refresh_from_db()  # the action saved the items on its own locked copy of the year
    meeting, _seed, shares = meeting_actions.open_meeting(acting_user=admin, meeting=meeting)
    meeting_actions.check_in(acting_user=admin, meeting=meeting, electors=list(meeting.electors.all()))
    codes = meeting_actions.generate_codes(acting_user=admin, meeting=meeting, count=SURVEY_PRESENT)
    items = meeting_actions.posts_of(meeting)
    remote_units = set(OrgUnit.objects.filter(pk__in=list(year.public_items.values()), is_remote=True)
                       .values_list("pk", flat=True))
    remote = {key for key, unit_id in year.public_items.items() if unit_id in remote_units}
    leaders = year.public_leader_items
    for code in codes:
        ballot = []
        for item in items:
            # The public knows a unit better than each of its leaders (more 不了解 for a leader).
            weights = ((5, 4, 2, 1, 3) if item.key in leaders else (5, 4, 2, 1, 1) if item.key in remote
                       else (7, 4, 1, 0.5, 1))
            ballot.append([rng.choices(["good", "fair", "average", "poor", "unknown"], weights)[0]])
        meeting_actions.cast_ballot(code=code, selections=ballot)
    meeting_actions.close_meeting(acting_user=admin, meeting=meeting, key_shares=shares[1:], slips_issued=SURVEY_PRESENT)
    meeting_actions.publish_results(acting_user=admin, meeting=meeting)
    survey.apply_public_evaluation(acting_user=admin, year=year)
    return (f"群众评议 {SURVEY_PRESENT} 人对 {len(year.public_items)} 个单位及其 {len(leaders)} 名领导干部"
            f"无记名评议")
