"""Demo meetings: the source's open nomination (海选) at the enlarged plenary — 2 township
Party secretaries and 2 township heads, 11 nominees — closed and published in the demo year;
and one meeting left open, with unused codes a newcomer can vote with.

Everything goes through the real actions (codes, check-in, casting, two tellers, close,
reveal, publish). Votes are deterministic (``ctx.rng_for("meetings")``); codes, receipts, ballot
ids and the shuffle at close come from ``secrets``, as they must."""


from gongxin.people.models import Cadre, CadreStatus

from . import actions, codes, integration
from .models import MeetingMode

# Target vote counts per post (108 ballots returned: 100 electronic + 8 paper). With a slate
# ratio of 3 and a 1/10 minimum share, each post is dispersed (nobody above half) and the
# slates are 3 + 3 + 3 + 2 = 11 nominees, as in the source.
TARGETS = [
    [38, 27, 22, 9, 5, 3],    # 1st secretary post: slate of 3
    [33, 30, 24, 8, 6, 2],    # 2nd secretary post: slate of 3
    [41, 29, 17, 10, 5, 1],   # 1st head post: slate of 3
    [49, 43, 7, 4, 1, 0],     # 2nd head post: only two reach 1/10 of valid ballots: slate of 2
]
PRESENT, ELECTRONIC, PAPER, SPOILED = 112, 100, 8, 2
DEMO_RULES = {"turnout": "2/3", "turnout_inclusive": True, "threshold": "1/2", "threshold_strict": True,
              "margin": "1/20", "slate_ratio": "3", "min_share": "1/10"}


def _eligible_pool(ctx, meeting_post, exclude: set, want: int, rng) -> list[Cadre]:
    """Cadres who pass the post's basic qualifications, ranked 副科/正科, not yet used."""
    qs = (Cadre.objects.filter(integration.scope_q(meeting_post.meeting), status=CadreStatus.ACTIVE,
                               rank__level__in=[20, 30]).exclude(pk__in=exclude)
          .select_related("org_unit", "rank").order_by("id"))
    candidates = list(qs[:600])
    rng.shuffle(candidates)
    pool = []
    for cadre in candidates:
        if not integration.write_in_problems(cadre, meeting_post):
            pool.append(cadre)
            if len(pool) == want:
                break
    return pool


def _ballots(targets_per_post, pools, total, rng) -> list[list[list[int]]]:
    """Exact counts per candidate spread over ``total`` ballots (blanks fill the rest)."""
    ballots = [[[] for _ in pools] for _ in range(total)]
    for i, (targets, pool) in enumerate(zip(targets_per_post, pools, strict=True)):
        slots = [cadre.pk for cadre, n in zip(pool, targets, strict=False) for _ in range(n)]
        slots += [None] * (total - len(slots))
        rng.shuffle(slots)
        for b, pk in zip(ballots, slots, strict=True):
            if pk is not None:
                b[i] = [pk]
    return ballots


def build(ctx) -> None:
    data = ctx.data
    admin = ctx.admin
    clerk = data.get("clerk")
    if not data.get("cadres") or admin is None:
        ctx.log("meetings: no people/accounts demo data, skipped")
        return
    rng = ctx.rng_for("meetings")
    root = data.get("root") or data["units"][next(iter(data["units"]))]
    _source_meeting(ctx, rng, root, admin, clerk or admin)
    _open_meeting(ctx, rng, admin)


def _source_meeting(ctx, rng, root, admin, clerk) -> None:
    data = ctx.data
    posts = list(data.get("vacant_township_secretary_posts", []))[:2] + list(data.get("vacant_township_head_posts", []))[:2]
    case = data.get("open_nomination_case")
    meeting = actions.create_meeting(
        acting_user=admin, title=f"{ctx.on(2, 26).year}年乡镇党政正职“海选”推荐会（县委全委扩大会议）", org_unit=root,
        mode=MeetingMode.OPEN, meeting_date=ctx.on(2, 26), location="县委大礼堂", case=case,
        rules=DEMO_RULES)
    meeting_posts = []
    if len(posts) == 4:
        for post in posts:
            meeting_posts.append(actions.add_post(acting_user=admin, meeting=meeting, post=post, k=1))
    else:  # a people demo without the vacancies: posts by title
        for title in ("甲镇党委书记", "乙镇党委书记", "甲镇镇长", "乙镇镇长"):
            meeting_posts.append(actions.add_post(acting_user=admin, meeting=meeting, title=title, k=1))
    # The electorate: the enlarged plenary, 150 cadres of 正科 rank and above.
    seniors = list(Cadre.objects.filter(status=CadreStatus.ACTIVE, rank__level__gte=30).order_by("id")[:400])
    rng.shuffle(seniors)
    electors = seniors[:150]
    actions.add_electors(acting_user=admin, meeting=meeting, cadres=electors)
    # Write-in pools: six eligible cadres per post, distinct across posts.
    used = {c.pk for c in electors}
    pools = []
    for mp in meeting_posts:
        pool = _eligible_pool(ctx, mp, used, 6, rng)
        used.update(c.pk for c in pool)
        pools.append(pool)
    seed = f"{ctx.seed}-meetings-{rng.getrandbits(64):016x}"
    meeting, _seed, key_shares = actions.open_meeting(acting_user=admin, meeting=meeting, seed=seed)
    all_electors = list(meeting.electors.order_by("id"))
    rng.shuffle(all_electors)
    actions.check_in(acting_user=clerk, meeting=meeting, electors=all_electors[:PRESENT])
    slips = actions.generate_codes(acting_user=clerk, meeting=meeting, count=ELECTRONIC + SPOILED + 2)
    ballots = _ballots(TARGETS, pools, ELECTRONIC + PAPER, rng)
    for code, selections in zip(slips, ballots[:ELECTRONIC], strict=False):
        actions.cast_ballot(code=code, selections=selections)
    for code in slips[ELECTRONIC:ELECTRONIC + SPOILED]:
        actions.spoil_code(acting_user=clerk, meeting=meeting, code=code)
    # 8 paper ballots keyed by two tellers; one names two people for a one-seat post (void there).
    paper = ballots[ELECTRONIC:]
    if pools[0][3:5]:
        paper[0][0] = [pools[0][3].pk, pools[0][4].pk]
    for teller, user in ((1, clerk), (2, admin if admin != clerk else None)):
        for n, selections in enumerate(paper, start=1):
            actions.enter_paper_ballot(acting_user=user, meeting=meeting, teller=teller, pile_no=n,
                                       selections=selections)
    actions.close_meeting(acting_user=clerk, meeting=meeting, slips_issued=PRESENT, paper_spoiled=0,
                          key_shares=key_shares[1:])  # two tellers of three open the sealed box
    actions.reveal_seed(acting_user=clerk, meeting=meeting, seed=seed)
    result = actions.publish_results(acting_user=admin, meeting=meeting)
    nominees = sum(len((p.get("slate") or {}).get("nominees", [])) for p in result.tally["posts"])
    data["source_meeting"] = meeting
    data["source_meeting_nominees"] = [int(c) for p in result.tally["posts"] for c in (p.get("slate") or {}).get("nominees", [])]
    data["source_meeting_summary"] = f"“{meeting.title}”已闭会并公布结果（{result.tally['ballots']} 张选票，{nominees} 名提名人选）"


def _open_meeting(ctx, rng, admin) -> None:
    data = ctx.data
    townships = data.get("townships") or []
    if not townships:
        return
    town = townships[0]
    meeting = actions.create_meeting(
        acting_user=admin, title=f"{town.name}领导班子副职民主推荐会（体验用，投票进行中）", org_unit=town,
        mode=MeetingMode.OPEN, meeting_date=ctx.today, location=f"{town.name}会议室")
    actions.add_post(acting_user=admin, meeting=meeting, title=f"{town.name}领导班子副职", k=2)
    people = list(Cadre.objects.filter(org_unit__path__startswith=town.path, status=CadreStatus.ACTIVE).order_by("id")[:30])
    actions.add_electors(acting_user=admin, meeting=meeting, cadres=people)
    seed = f"{ctx.seed}-open-{rng.getrandbits(64):016x}"
    meeting, _seed, key_shares = actions.open_meeting(acting_user=admin, meeting=meeting, seed=seed)
    electors = list(meeting.electors.order_by("id"))
    present = electors[: max(1, len(electors) * 5 // 6)]
    actions.check_in(acting_user=admin, meeting=meeting, electors=present)
    slips = actions.generate_codes(acting_user=admin, meeting=meeting, count=len(present))
    voted = slips[:3]
    for code in voted:
        picks = rng.sample(people, min(2, len(people)))
        actions.cast_ballot(code=code, selections=[[c.pk for c in picks]])
    unused = [codes.display(c) for c in slips[3:]]
    data["open_meeting"] = meeting
    data["open_meeting_codes"] = unused
    data["open_meeting_seed"] = seed
    data["open_meeting_key_shares"] = key_shares
    ctx.built("meetings", f"{data.get('source_meeting_summary', '')}；“{meeting.title}”正在投票，"
                          f"{len(unused)} 个投票码未用（启动时列出）")
