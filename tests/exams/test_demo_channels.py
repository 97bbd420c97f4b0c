"""The demo appoints people through the exam channels (issue 15): built as if on the awkward
days of tests/core/test_demo_any_day.py, a public selection and a competitive posting round
each rank their applicants, the candidates for inspection enter the linked case through the
exam, and the case runs to appointment; the build line's figures are the data's."""

import io
import re

import pytest
from django.core.management import call_command

from gongxin.exams.models import Exam, ExamChannel, Outcome
from gongxin.people.models import PostHolding
from gongxin.publicity.models import Notice, NoticeKind
from tests.core.test_demo_any_day import DAYS, _as_if_on


@pytest.mark.django_db
@pytest.mark.parametrize("day", DAYS)
def test_exam_channels_lead_through_their_case_to_appointment(day, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    with _as_if_on(day):
        call_command("demo", build_only=True, size="small", stdout=out, verbosity=2)
    text = out.getvalue()
    assert "STOPPED" not in text, text
    line = next(x for x in text.splitlines() if x.startswith("  exams: "))
    print(line)  # shown with -rA: what the build said

    for channel in (ExamChannel.PUBLIC_SELECTION, ExamChannel.COMPETITIVE_POSTING):
        exams = list(Exam.objects.filter(channel=channel, case__isnull=False).select_related("case"))
        assert exams, f"no {channel} exam linked to a case"
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
                # anyone ranked above the appointee for the same post says why they were not
                for other in cands:
                    if other.post_id == c.post_id and chosen[other.cadre_id].final_rank < chosen[c.cadre_id].final_rank:
                        assert other.status != "appointed" and other.status_reason, other
            words = f"{exam.get_channel_display()}{exam.posts.count()}个职位经案件任职 {len(appointed)} 人"
            assert words in line, (words, line)

    # this year's public selection has the source's 15 posts or says why it has fewer
    this_year = Exam.objects.filter(channel=ExamChannel.PUBLIC_SELECTION, case__isnull=False).get()
    n = this_year.posts.count()
    assert n <= 15 and this_year.posts.filter(post__isnull=True).count() == 0
    if n < 15:
        assert re.search(rf"空缺副科领导职位只有 {n} 个", line), line

    # the dashboard shows the exam-channel appointments, each bar the people it counts
    from gongxin.accounts.models import User
    from gongxin.workbench.figures import Scope, specs

    spec = next(s for s in specs() if s.key == "exam_appointments")
    admin = User.objects.get(username="admin")
    holdings = {}
    for exam in Exam.objects.filter(case__isnull=False):
        for c in exam.case.candidates.filter(status="appointed"):
            start = PostHolding.objects.get(cadre=c.cadre, post=c.post, end__isnull=True).start
            holdings.setdefault((start.year, c.channel), set()).add(c.pk)
    for year in {y for y, _c in holdings}:
        bars = {b.part: b.value for b in spec.compute(Scope(user=admin, year=year))}
        for channel in (ExamChannel.PUBLIC_SELECTION, ExamChannel.COMPETITIVE_POSTING):
            assert bars[channel] >= len(holdings.get((year, channel), ())), (year, channel, bars)
        records = spec.records(Scope(user=admin, year=year), ExamChannel.PUBLIC_SELECTION).queryset
        assert set(records.values_list("pk", flat=True)) >= holdings.get((year, ExamChannel.PUBLIC_SELECTION), set())
