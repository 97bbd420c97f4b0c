import datetime as dt

import pytest

from gongxin.cases import actions
from gongxin.cases.models import CandidateStatus, CaseStage, Channel
from gongxin.inspection import actions as inspection_actions
from gongxin.people.models import PostHolding
from gongxin.publicity.models import Appointment
from tests.cases.conftest import admin, case, clerk, eligible, members, own_guards_only  # noqa: F401


@pytest.fixture
def county_clerk(cast, county):
    from gongxin.accounts.roles import DataScope, Role
    from tests.conftest import _user

    return _user("county_clerk", Role.CLERK, DataScope.ALL, [county["root"]], full_name="赵经办", email="zhao@example.cn")


@pytest.fixture
def at_inspection(case, admin, eligible):  # noqa: F811 (fixtures imported above)
    """The 李庄镇 case at inspection with two candidates, joint review sent to every department:
    one candidate's answers due yesterday (overdue), the other's in five days."""
    from django.utils import timezone

    today = timezone.localdate()
    actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.NOMINATION)
    first = actions.add_candidate(acting_user=admin, case=case, cadre=eligible("钱甲"), channel=Channel.OPEN_NOMINATION)
    second = actions.add_candidate(acting_user=admin, case=case, cadre=eligible("孙乙"), channel=Channel.PERFORMANCE)
    actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.CANDIDATES)
    actions.advance_case(acting_user=admin, case=case, to_stage=CaseStage.INSPECTION)
    inspection_actions.send_review_requests(acting_user=admin, candidate=first, deadline=today - dt.timedelta(days=1),
                                            sent_on=today - dt.timedelta(days=8))
    inspection_actions.send_review_requests(acting_user=admin, candidate=second, deadline=today + dt.timedelta(days=5),
                                            sent_on=today - dt.timedelta(days=2))
    return {"case": case, "late": first, "due": second, "today": today}


@pytest.fixture
def one_of_each(at_inspection, posts):
    """Beside the case at inspection, one of everything a county clerk's line counts: a notice past
    its period with open feedback, a probation ending, a problem file, a meeting to prepare, an
    accountability case, a training class ended, a year not graded."""
    from django.utils import timezone

    from gongxin.assessment.models import Accountability, AssessmentYear
    from gongxin.inspection.models import ProblemFile
    from gongxin.meetings.models import Meeting
    from gongxin.publicity.models import Feedback, Notice, NoticeKind, NoticeStatus
    from gongxin.reserve.models import TrainingClass

    today = timezone.localdate()
    at_case, cadre = at_inspection["case"], at_inspection["late"].cadre
    unit = at_case.org_unit
    notice = Notice.objects.create(kind=NoticeKind.PRE_APPOINTMENT, title="任前公示甲", org_unit=unit,
                                   status=NoticeStatus.PUBLISHED, case_id=at_case.pk,
                                   period_start=today - dt.timedelta(days=7), period_end=today - dt.timedelta(days=1))
    Feedback.objects.create(notice=notice, code="c0ffee", category="conduct", text="反映情况")
    Appointment.objects.create(cadre=cadre, post=posts["hefang_secretary"], org_unit=unit,
                               start=today - dt.timedelta(days=340), probation_status="on_probation",
                               probation_end=today + dt.timedelta(days=3))
    ProblemFile.objects.create(cadre=cadre, channel="letter", text="反映问题")
    Meeting.objects.create(title="推荐会议甲", org_unit=unit, status="draft", meeting_date=today + dt.timedelta(days=2))
    Accountability.objects.create(cadre=cadre, facts="问责事实", opened_on=today)
    TrainingClass.objects.create(name="中青班甲", starts_on=today - dt.timedelta(days=60), ends_on=today)
    AssessmentYear.objects.create(year=today.year - 1)
    return {**at_inspection, "notice": notice, "cadre": cadre, "unit": unit}


YEAR = 2026


@pytest.fixture
def promoted(admin, eligible, posts, cast):  # noqa: F811 (fixtures imported above)
    """Two candidates of a 何坊街道 case, nominated through performance records and the open
    nomination, appointed in 2026 (the appointment rows as the publicity app records them)."""
    hefang_case = actions.open_case(acting_user=admin, title="何坊街道党工委书记选任", org_unit=cast["hefang"],
                                    posts=[posts["hefang_secretary"]],
                                    channels=[Channel.OPEN_NOMINATION, Channel.PERFORMANCE],
                                    motion_reason="原书记调任", motion_date=dt.date(YEAR, 1, 5))
    actions.advance_case(acting_user=admin, case=hefang_case, to_stage=CaseStage.NOMINATION)
    perf = actions.add_candidate(acting_user=admin, case=hefang_case, cadre=eligible("实绩甲"), channel=Channel.PERFORMANCE)
    open_ = actions.add_candidate(acting_user=admin, case=hefang_case, cadre=eligible("海选乙"), channel=Channel.OPEN_NOMINATION)
    out = []
    for cand, day in ((perf, dt.date(YEAR, 3, 1)), (open_, dt.date(YEAR, 4, 1))):
        holding = PostHolding.objects.create(cadre=cand.cadre, post=posts["hefang_secretary"], start=day)
        out.append(Appointment.objects.create(cadre=cand.cadre, post=posts["hefang_secretary"], org_unit=cast["hefang"],
                                              holding=holding, case_id=hefang_case.pk, start=day))
    type(perf).objects.filter(pk__in=[perf.pk, open_.pk]).update(status=CandidateStatus.APPOINTED)
    return {"performance": perf, "open": open_, "appointments": out}


