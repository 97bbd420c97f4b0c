"""The demo appoints people through the exam channels (issue 15): built as if on the awkward
days of tests/core/test_demo_any_day.py (which calls this with its build, one build a day for
every check of the demo), a public selection and a competitive posting round each rank their
applicants, the candidates for inspection enter the linked case through the exam, and the case
runs to appointment; the build line's figures are the data's."""

import re

from django.db.models import Sum

from gongxin.exams.models import Exam, ExamChannel, Outcome
from gongxin.people.models import OrgUnitKind, PostHolding
from gongxin.publicity.models import Notice, NoticeKind


def check_exam_channels(day, text):
    line = next(x for x in text.splitlines() if x.startswith("  exams: "))
    print(line)  # shown with -rA: what the build said

    for channel in (ExamChannel.PUBLIC_SELECTION, ExamChannel.COMPETITIVE_POSTING, ExamChannel.VILLAGE_TO_TOWNSHIP):
        exams = list(Exam.objects.filter(channel=channel, case__isnull=False).select_related("case"))
        assert exams, f"no {channel} exam linked to a case"
        n_posts = n_appointed = 0
        for exam in exams:
            case = exam.case
            assert case.stage == "closed", (exam.title, case.stage)
            chosen = {r.cadre_id: r for r in exam.registrations.filter(outcome=Outcome.FOR_INSPECTION)}
            # every candidate of the case came from the exam's ranking, through the exam's channel
            cands = list(case.candidates.select_related("cadre", "post"))
            assert cands and {c.cadre_id for c in cands} == set(chosen)
            assert {c.channel for c in cands} == {channel}
            assert all(chosen[c.cadre_id].candidate_id == c.pk for c in cands)
            appointed = [c for c in cands if c.status == "appointed"]
            assert appointed
            # at most the posts' places, each appointee holding the post from after the notice's period
            assert len(appointed) <= sum(cp.count for cp in case.case_posts.all())
            notice = Notice.objects.get(case_id=case.pk, kind=NoticeKind.PRE_APPOINTMENT)
            for c in appointed:
                holding = PostHolding.objects.get(cadre=c.cadre, post=c.post, end__isnull=True)
                assert notice.period_end < holding.start <= day
                # anyone ranked above the appointee for the same post was appointed too (a post of
                # several places) or says why they were not
                places = case.case_posts.get(post=c.post).count
                for other in cands:
                    if other.post_id == c.post_id and chosen[other.cadre_id].final_rank < chosen[c.cadre_id].final_rank:
                        assert (places > 1 and other.status == "appointed") or (
                            other.status != "appointed" and other.status_reason), other
            n_posts += exam.posts.count()
            n_appointed += len(appointed)
            if channel != ExamChannel.COMPETITIVE_POSTING:
                words = f"{exam.written_on.year}年{exam.get_channel_display()}{exam.posts.count()}个职位经案件任职 {len(appointed)} 人"
                assert words in line, (words, line)
        if channel == ExamChannel.COMPETITIVE_POSTING:  # summed over its units
            words = f"{exams[0].get_channel_display()}{len(exams)}个单位{n_posts}个职位经案件任职 {n_appointed} 人"
            assert words in line, (words, line)

    # last year's public selection went through its case a year earlier: its appointees took
    # office last year (on the evaluation's ballot of that year), their probation decided once over
    from gongxin.publicity.models import Appointment

    selections = list(Exam.objects.filter(channel=ExamChannel.PUBLIC_SELECTION).order_by("written_on"))
    assert len(selections) == 2 and all(e.case_id for e in selections)
    last = Appointment.objects.filter(case_id=selections[0].case_id)
    assert last.exists() and all(a.start.year < selections[1].written_on.year or a.start < selections[1].written_on
                                 for a in last)
    for a in last:
        assert (a.probation_status == "confirmed") == (a.probation_end is not None and a.probation_end <= day)

    # competitive posting: the source's 8 units and 56 posts, every unit's round linked to its
    # case; the posts' holders stood down on the motion day and could compete for them
    posting = list(Exam.objects.filter(channel=ExamChannel.COMPETITIVE_POSTING).select_related("case"))
    opened = sum(e.posts.count() for e in posting)
    assert len(posting) <= 8 and all(e.case_id for e in posting)
    assert f"竞争上岗 {len(posting)} 个单位拿出中层岗位 {opened} 个" in line, line
    assert opened == 56 or (opened < 56 and "少于原县的 56 个" in line), line
    for exam in posting:
        assert exam.case.org_unit_id == exam.org_unit_id
        ended = PostHolding.objects.filter(post__in=exam.posts.values("post"), end=exam.case.motion_date)
        for h in ended:
            assert "全体起立" in h.note
        regs = list(exam.registrations.select_related("cadre__org_unit"))  # only the unit's own staff
        assert regs and all(exam.org_unit_id in (r.cadre.org_unit_id, r.cadre.org_unit.parent_id) for r in regs)
        assert {h.cadre_id for h in ended} & {r.cadre_id for r in regs} or not ended

    # the village cadres: serving village cadres screened by the rule row, into 4 townships' offices
    village = Exam.objects.get(channel=ExamChannel.VILLAGE_TO_TOWNSHIP)
    assert village.posts.aggregate(n=Sum("count"))["n"] == 11
    assert len({p.post.org_unit.parent_id for p in village.posts.select_related("post__org_unit")}) == 4
    for reg in village.registrations.filter(status="eligible").select_related("cadre"):
        first = reg.cadre.resume_entries.filter(org_unit__kind=OrgUnitKind.VILLAGE).exists()
        assert first and {r["item"] for r in reg.screening} >= {"EXM.village_years", "EXM.village_grades"}
    appointed = village.case.candidates.filter(status="appointed")
    assert 0 < appointed.count() <= 11
    assert f"优秀村干部进入乡镇机关{village.posts.count()}个职位经案件任职 {appointed.count()} 人" in line
    towns = {c.post.org_unit.parent_id for c in appointed.select_related("post__org_unit")}
    assert f"选聘 {appointed.count()} 人进入 {len(towns)} 个乡镇机关" in line

    # recruitment: three years, the pool larger than the admissions, the top of each post admitted
    # as a cadre holding the post on probation; the line's figures are the data's
    recruits = list(Exam.objects.filter(channel=ExamChannel.RECRUITMENT).order_by("written_on"))
    assert len(recruits) == 3 and len({e.written_on.year for e in recruits}) >= 2
    graduates = veterans = pool = 0
    for exam in recruits:
        assert exam.status == "closed" and exam.admitted_at is not None
        for post in exam.posts.all():
            admitted = list(post.registrations.filter(admitted_cadre__isnull=False))
            assert len(admitted) <= post.count and post.registrations.count() > post.count
            assert all(r.final_rank <= post.count and (r.is_veteran or not post.veterans_only) for r in admitted)
            for r in admitted:
                holding = PostHolding.objects.get(cadre=r.admitted_cadre, post=post.post, start=r.admitted_on)
                assert holding.probation_end and holding.probation_end > holding.start
        graduates += exam.registrations.filter(admitted_cadre__isnull=False, is_graduate=True).count()
        veterans += exam.registrations.filter(admitted_cadre__isnull=False, is_veteran=True).count()
        pool += exam.registrations.count()
    assert pool > graduates + veterans > 0
    assert f"三年公开招录报名 {pool} 人，录用高校毕业生 {graduates} 人、退役士兵 {veterans} 人" in line

    # this year's public selection has the source's 15 posts or says why it has fewer
    this_year = Exam.objects.filter(channel=ExamChannel.PUBLIC_SELECTION, case__isnull=False).latest("written_on")
    n = this_year.posts.count()
    assert n <= 15 and this_year.posts.filter(post__isnull=True).count() == 0
    if n < 15:
        assert re.search(rf"空缺副科领导职位只有 {n} 个", line), line

    # the dashboard shows the exam-channel appointments, each bar the people it counts
    from gongxin.accounts.models import User
    from gongxin.workbench.figures import Scope, specs

    admitted_spec = next(s for s in specs() if s.key == "recruits_admitted")
    admin_ = User.objects.get(username="admin")
    years = {d.year for e in recruits for d in
             e.registrations.filter(admitted_on__isnull=False).values_list("admitted_on", flat=True)}
    bars = [{b.part: b.value for b in admitted_spec.compute(Scope(user=admin_, year=y))} for y in years]
    assert sum(b["graduate"] for b in bars) == graduates and sum(b["veteran"] for b in bars) == veterans

    spec = next(s for s in specs() if s.key == "exam_appointments")
    admin = User.objects.get(username="admin")
    holdings = {}
    for exam in Exam.objects.filter(case__isnull=False):
        for c in exam.case.candidates.filter(status="appointed"):
            start = PostHolding.objects.get(cadre=c.cadre, post=c.post, end__isnull=True).start
            holdings.setdefault((start.year, c.channel), set()).add(c.pk)
    for year in {y for y, _c in holdings}:
        bars = {b.part: b.value for b in spec.compute(Scope(user=admin, year=year))}
        for channel in (ExamChannel.PUBLIC_SELECTION, ExamChannel.COMPETITIVE_POSTING,
                        ExamChannel.VILLAGE_TO_TOWNSHIP):
            assert bars[channel] >= len(holdings.get((year, channel), ())), (year, channel, bars)
        records = spec.records(Scope(user=admin, year=year), ExamChannel.PUBLIC_SELECTION).queryset
        assert set(records.values_list("pk", flat=True)) >= holdings.get((year, ExamChannel.PUBLIC_SELECTION), set())
