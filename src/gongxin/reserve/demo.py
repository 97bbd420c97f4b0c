"""The demo county's reserve (DOMAIN §7, the source's figures), built through the real actions:

- 386 reserve cadres in three tiers, entered one by one through R24's check (those it refuses
  are skipped and counted, never forced in); the tier-1 cadres are those a promotion post fits;
- two training classes (中青班) of 42 each, with sessions, attendance, an assignment and an
  evaluation per trainee, and graduation: 84 trained;
- 56 graduates nominated through the ``reserve_direct`` channel in eight cases, each taken
  motion → nomination → candidates → inspection (joint review and the four checks) → decision
  → publicity → appointment by the cases, inspection and publicity actions; the appointment
  exits them from the pool (the cases hook), so the pool figures are read from the rows.

``_run_case`` is a compact run-to-appointment driver, meant to be replaced by the shared one
(``gongxin.cases.demo_flow``) once it exists."""

import datetime as dt

from django.db.models import Count, Q

from gongxin.cases import actions as case_actions
from gongxin.cases import eligibility as core
from gongxin.cases.demo import clear_inspection, publish_publicity
from gongxin.cases.demo_flow import between, entered_on
from gongxin.cases.facts import build_facts, post_requirement, rule_specs
from gongxin.cases.models import Candidate, CaseStage, Channel
from gongxin.cases.rules import rule_set_in_force
from gongxin.core.errors import DomainError
from gongxin.people import actions as people_actions
from gongxin.people.models import Cadre, Post, PostKind, Rank

from . import actions
from .models import ReserveCadre, ReserveStatus, TraineeStatus

POOL = 386
TIERS = {1: 100, 2: 130, 3: 156}
CLASS_SIZE = 42
DIRECT = 56
BATCH = 7
TOPICS = ["习近平新时代中国特色社会主义思想专题", "党章党规党纪", "县域经济与开发区建设", "乡村振兴与基层治理",
          "群众工作与信访化解", "领导科学与公文写作"]
PROFILES = ["工作扎实，肯吃苦，群众基础好。", "思路清晰，敢抓敢管，重点工作成效明显。", "熟悉经济工作，招商引资实绩突出。",
            "长期在基层一线，处理复杂问题能力强。", "综合文字能力强，善于调查研究。"]


def _promotion_post(cadre, posts_by_level, specs, on):
    """A leadership post one level above the cadre for which R1 and the bars pass (the engine,
    the cadre's facts built once), preferring the cadre's own unit; None if none fits."""
    level = (cadre.rank.level if cadre.rank_id else 10) + 10
    if cadre.rank_since is None or cadre.rank_since > on - dt.timedelta(days=365 * 3):
        return None  # R1: three years in the current rank before the next step
    options = posts_by_level.get(level, [])
    ordered = sorted(options, key=lambda p: (p.org_unit_id != cadre.org_unit_id, "书记" in p.title, p.pk))
    facts = build_facts(cadre, on=on)
    for post in ordered[:3]:
        if core.passed(core.evaluate(facts, post_requirement(post), specs, on=on)):
            return post
    return None


def _entry_date(cadre, ctx, rng) -> dt.date:
    """A day in the last five years (the pool is built up year by year), no later than the
    day before the cadre turned 46: R24 checks the age at entry."""
    on = ctx.on(1, 10) - dt.timedelta(days=365 * 5) + dt.timedelta(days=rng.randrange(365 * 5 + 60))
    b = cadre.birth_date
    last = dt.date(b.year + 46, b.month, 28 if (b.month, b.day) == (2, 29) else b.day) - dt.timedelta(days=1)
    return min(on, last)


def _candidates(ctx):
    """Active cadres up to 副处 rank who were 45 or younger at some point of the last five years."""
    limit = ctx.on(1, 15) - dt.timedelta(days=round(365.25 * 50))  # entries go back five years before the demo year
    return list(Cadre.objects.filter(status="active", birth_date__gt=limit)
                .filter(Q(rank__level__lte=40) | Q(rank__isnull=True))
                .exclude(fulltime_education__in=["", "primary", "junior", "senior", "secondary_vocational"])
                .select_related("rank", "org_unit").order_by("id"))


def build(ctx) -> None:
    admin = ctx.data.get("clerk") or ctx.admin
    if admin is None or not ctx.data.get("cadres"):
        ctx.stop("reserve", "the reserve pool", "no people/accounts demo data")
        return
    rng = ctx.rng_for("reserve")
    specs = rule_specs(rule_set_in_force(on=ctx.today))
    ranks = {r.level: r for r in Rank.objects.filter(is_leadership=True)}
    busy = set(Candidate.objects.values_list("cadre_id", flat=True))  # in another case already
    posts_by_level: dict[int, list[Post]] = {}
    for p in (Post.objects.filter(is_active=True, kind=PostKind.LEADERSHIP, rank__level__in=[20, 30, 40])
              .select_related("rank", "org_unit")):
        posts_by_level.setdefault(p.rank.level, []).append(p)

    pool = [c for c in _candidates(ctx) if c.pk not in busy]
    rng.shuffle(pool)
    # Tier 1: cadres a promotion post fits (checked by the engine); tiers 2 and 3: the others.
    tier1, rest, fits = [], [], {}
    for cadre in pool:
        if len(tier1) < TIERS[1] + 10:  # a few spare: R24 may refuse one at its entry date
            post = _promotion_post(cadre, posts_by_level, specs, ctx.today)
            if post is not None:
                tier1.append(cadre)
                fits[cadre.pk] = post
                continue
        rest.append(cadre)
    entered, refused = {1: [], 2: [], 3: []}, 0
    for cadre in tier1 + rest:  # each into the first tier with room: 1 for those a post fits, else 2, 3
        tiers = [t for t in ((1, 2, 3) if cadre.pk in fits else (2, 3)) if len(entered[t]) < TIERS[t]]
        if not tiers:
            continue
        tier = tiers[0]
        level = (cadre.rank.level if cadre.rank_id else 10) + 10
        on = _entry_date(cadre, ctx, rng)
        try:
            entered[tier].append(actions.enter_reserve(
                acting_user=admin, cadre=cadre, tier=tier, target_rank=ranks.get(max(level, 20), ranks[20]),
                source=rng.choice(["organisation", "organisation", "performance"]), entered_on=on,
                source_note="县委组织部年度后备干部调整", profile=rng.choice(PROFILES),
                ready_soon=tier == 1 or rng.random() < 0.2))
        except DomainError:
            refused += 1
        if sum(len(v) for v in entered.values()) >= POOL:
            break
    # A few moves: tier changes and exits by decision, as a year brings.
    for r in entered[3][:6]:
        actions.change_tier(acting_user=admin, reserve=r, tier=2, reason="年度考核优秀，调整为第二层次",
                            on=ctx.on(6, 30))
    for r in entered[2][-2:]:
        actions.exit_reserve(acting_user=admin, reserve=r, reason="resigned", note="调往市直单位工作",
                             on=ctx.on(8, 15))

    trainees = _classes(ctx, admin, entered[1], rng)
    ctx.data["reserve_tier1"] = entered[1]
    graduates = [t for t in trainees if t.status == TraineeStatus.GRADUATED and t.cadre_id in fits]
    _direct_cases(ctx, admin, graduates[:DIRECT], fits)
    in_pool = dict(ReserveCadre.objects.filter(status=ReserveStatus.ACTIVE).values_list("tier").annotate(n=Count("id")))
    graduated = sum(t.status == TraineeStatus.GRADUATED for t in trainees)
    promoted = ReserveCadre.objects.filter(exit_reason="promoted").count()
    ctx.built("reserve", f"{sum(len(v) for v in entered.values())} 名后备干部经 R24 审查入库（{refused} 人未通过），"
                         f"现库中第一、二、三层次 {in_pool.get(1, 0)}、{in_pool.get(2, 0)}、{in_pool.get(3, 0)} 人；"
                         f"2 期中青班培训 {len(trainees)} 人、结业 {graduated} 人，"
                         f"其中 {promoted} 人经直接提名的选任案件任职")


def _classes(ctx, admin, tier1, rng):
    out = []
    spans = [(ctx.on(3, 2), ctx.on(4, 30)), (ctx.on(5, 11), ctx.on(7, 10))]
    for n, (start, end) in enumerate(spans, 1):
        tc = actions.create_training_class(
            acting_user=admin, name=f"{ctx.year}年第{'一二'[n - 1]}期中青年干部培训班", starts_on=start, ends_on=end,
            curriculum="\n".join(f"第{i + 1}单元：{t}" for i, t in enumerate(TOPICS)))
        sessions = [actions.add_session(acting_user=admin, training_class=tc, held_on=start + dt.timedelta(days=7 * i),
                                        topic=t) for i, t in enumerate(TOPICS)]
        members = tier1[(n - 1) * CLASS_SIZE:n * CLASS_SIZE]
        trainees = [actions.enrol_trainee(acting_user=admin, training_class=tc, cadre=r.cadre, enrolled_on=start)
                    for r in members]
        for s in sessions:
            actions.record_attendance(acting_user=admin, session=s,
                                      present=[t.pk for t in trainees if rng.random() > 0.04])
        for t in trainees:
            actions.add_assignment(acting_user=admin, trainee=t, title="关于本单位重点工作的调研报告",
                                   submitted_on=end - dt.timedelta(days=5), mark=rng.choice(["excellent", "good", "good"]))
            actions.evaluate_trainee(acting_user=admin, trainee=t, grade=rng.choice(["excellent", "good", "good", "pass"]),
                                     comment="学习态度端正，理论联系实际，完成各项学习任务。")
        actions.graduate_class(acting_user=admin, training_class=tc, on=end)
        for t in trainees:
            t.refresh_from_db()
        out.extend(trainees)
    return out


def _direct_cases(ctx, admin, graduates, fits):
    voters = list(ctx.data.get("voters") or [])[:11]
    members = [{"name": u.display_name, "user": u, "cadre": u.cadre} for u in voters] or [
        {"name": c.name, "cadre": c} for c in ctx.data.get("county_leaders", [])[:11]]
    root = ctx.data.get("root")
    appointed = 0
    for b in range(0, len(graduates), BATCH):
        batch = graduates[b:b + BATCH]
        for t in batch:  # one more place on the post for each nominee (a real, logged post change)
            post = fits[t.cadre_id]
            post.refresh_from_db()
            people_actions.update_post(acting_user=admin, post=post, headcount=post.headcount + 1)
        try:
            appointed += _run_case(ctx, admin, root, batch, fits, members, b // BATCH + 1)
        except DomainError as exc:
            ctx.stop("reserve", f"direct-nomination case {b // BATCH + 1}", exc.message)


def _run_case(ctx, admin, root, batch, fits, members, n) -> int:
    """Motion to appointment through the real actions; returns how many were appointed."""
    counts: dict[int, int] = {}
    for t in batch:
        counts[fits[t.cadre_id].pk] = counts.get(fits[t.cadre_id].pk, 0) + 1
    posts = {p.pk: p for p in Post.objects.filter(pk__in=counts)}
    case = case_actions.open_case(
        acting_user=admin, title=f"{ctx.year}年中青班结业学员直接提名选任（第{n}批）", org_unit=root,
        posts=[(posts[pk], c) for pk, c in counts.items()], channels=[Channel.RESERVE_DIRECT],
        motion_reason="第一层次后备干部经中青班培训结业，按规定直接提名为考察对象。",
        motion_date=ctx.on(8, 1) + dt.timedelta(days=3 * n))
    # Each stage entered on the demo's calendar (the action stamps the build's time).
    motion, held, appointed = ctx.on(8, 1) + dt.timedelta(days=3 * n), ctx.today - dt.timedelta(days=30), ctx.today - dt.timedelta(days=10)
    entered_on(case, motion)
    entered_on(case_actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.NOMINATION), motion)
    for t in batch:
        case_actions.add_candidate(acting_user=admin, case=case, cadre=t.cadre, channel=Channel.RESERVE_DIRECT,
                                   post=fits[t.cadre_id], evidence={"training_class": t.training_class_id,
                                                                    "note": t.training_class.name})
    for stage, part in ((CaseStage.CANDIDATES, 0.25), (CaseStage.INSPECTION, 0.5)):
        case = entered_on(case_actions.advance_case(acting_user=admin, case=case, to_stage=stage),
                          between(motion, held, part))
    reviewers = ctx.data.get("reviewers") or {}
    for cand in case.candidates.filter(status="active"):
        clear_inspection(cand, acting_user=admin, reviewers=reviewers)
    case = entered_on(case_actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.DECISION),
                      between(motion, held, 0.85))
    _decide(case, admin, members, held)
    case = entered_on(case_actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.PUBLICITY),
                      held + dt.timedelta(days=1))
    publish_publicity(case, acting_user=admin, start=ctx.today - dt.timedelta(days=25))
    case = entered_on(case_actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.APPOINTMENT), appointed)
    done = 0
    for cand in case.candidates.filter(status="active").select_related("cadre"):
        case_actions.appoint_candidate(acting_user=admin, candidate=cand, start=appointed)
        done += 1
    for cand in case.candidates.exclude(status="appointed").select_related("cadre"):
        ctx.stop("reserve", f"{cand.cadre.name} not appointed", f"{cand.get_status_display()} {cand.status_reason}")
    entered_on(case_actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.CLOSED), appointed)
    return done


def _decide(case, admin, members, held_on):
    """The committee's decision meeting: every member present and not recused agrees."""
    meeting = case_actions.create_decision_meeting(acting_user=admin, case=case, title=f"县委常委会（{case.title}）",
                                                   held_on=held_on, place="县委第一会议室", members=members)
    present = list(meeting.members.all())
    case_actions.record_attendance(acting_user=admin, meeting=meeting, present=[m.pk for m in present])
    candidates = list(case.candidates.filter(status="active").order_by("id"))
    recused = case_actions.recused_members(meeting, candidates)
    for cand in candidates:
        choices = {m.pk: "agree" for m in present if m.pk not in recused.get(cand.pk, {})}
        case_actions.record_votes(acting_user=admin, meeting=meeting, candidate=cand, choices=choices)
    case_actions.close_decision_meeting(acting_user=admin, meeting=meeting)
