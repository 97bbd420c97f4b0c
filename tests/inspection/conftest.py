"""Inspection fixtures: certified inspectors and a case with a candidate at the inspection
stage, all built through real actions."""

import datetime as dt

import pytest
from django.utils import timezone

from gongxin.accounts.models import User
from gongxin.accounts.roles import DataScope, Role
from gongxin.cases import actions as case_actions
from gongxin.cases.models import Channel
from gongxin.inspection import actions


@pytest.fixture
def admin(cast):
    return cast["users"]["org_admin"]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def training(admin, today):
    session = actions.create_training_session(acting_user=admin, title="考察人员培训班", held_on=today - dt.timedelta(days=1000))
    exam = actions.create_exam(acting_user=admin, title="考察资格考试", held_on=today - dt.timedelta(days=990), pass_mark=60)
    return {"session": session, "exam": exam}


@pytest.fixture
def make_inspector(db, admin, training, today):
    """make_inspector("name", certified=True, cadre=None, issued=...) → an inspector account."""

    def _make(username, *, certified=True, cadre=None, issued=None, years=3, score=85):
        user = User.objects.create_user(username=username, password="pass-1234-word", role=Role.INSPECTOR,
                                        data_scope=DataScope.SELF, full_name=username, cadre=cadre)
        if certified:
            actions.record_attendance(acting_user=admin, session=training["session"], user=user)
            actions.record_exam_score(acting_user=admin, exam=training["exam"], user=user, score=score)
            actions.issue_certificate(acting_user=admin, user=user, issued=issued or today - dt.timedelta(days=40),
                                      years=years)
        return user

    return _make


@pytest.fixture
def inspectors(cast, make_inspector):
    """Three certified inspectors; the conftest "inspector" user is certified too."""
    base = cast["users"]["inspector"]
    admin = cast["users"]["org_admin"]
    from gongxin.inspection.models import Exam, TrainingSession

    actions.record_attendance(acting_user=admin, session=TrainingSession.objects.get(), user=base)
    actions.record_exam_score(acting_user=admin, exam=Exam.objects.get(), user=base, score=90)
    actions.issue_certificate(acting_user=admin, user=base, issued=timezone.localdate() - dt.timedelta(days=40))
    return [base, make_inspector("赵考察"), make_inspector("钱考察")]


@pytest.fixture
def candidate_cadre(cast, make_cadre, ranks):
    """An eligible cadre for 李庄镇党委书记: long service, grassroots, deputy since 2018."""
    from gongxin.people import actions as people_actions

    cadre = make_cadre(cast["lizhuang"], name="孙明", birth=dt.date(1982, 4, 9), rank="fuke",
                       rank_since=dt.date(2018, 1, 1), work_started=dt.date(2004, 7, 1),
                       party_joined=dt.date(2005, 7, 1))
    people_actions.add_resume_entry(acting_user=None, cadre=cadre, start=dt.date(2000, 9, 1), end=dt.date(2004, 7, 1),
                                    description="山东师范大学中文系学习", kind="study", place="山东师范大学")
    people_actions.add_resume_entry(acting_user=None, cadre=cadre, start=dt.date(2004, 7, 1), end=dt.date(2012, 3, 1),
                                    description="何坊街道办事处科员", place="何坊街道办事处", is_grassroots=True)
    people_actions.add_resume_entry(acting_user=None, cadre=cadre, start=dt.date(2012, 3, 1),
                                    description="李庄镇副镇长", place="李庄镇人民政府", is_grassroots=True)
    return cadre


@pytest.fixture
def case(cast, posts, admin):
    return case_actions.open_case(acting_user=admin, title="李庄镇党委书记选任", org_unit=cast["lizhuang"],
                                  posts=[posts["lizhuang_secretary"]], channels=[Channel.OPEN_NOMINATION, Channel.PERFORMANCE],
                                  motion_reason="原书记调任", motion_date=timezone.localdate())


@pytest.fixture
def candidate(case, candidate_cadre, admin):
    """孙明 as a candidate, the case advanced to the inspection stage."""
    case_actions.advance_case(acting_user=admin, case=case, to_stage="nomination")
    cand = case_actions.add_candidate(acting_user=admin, case=case, cadre=candidate_cadre,
                                      channel=Channel.OPEN_NOMINATION)
    case_actions.advance_case(acting_user=admin, case=case, to_stage="candidates")
    case_actions.advance_case(acting_user=admin, case=case, to_stage="inspection")
    cand.refresh_from_db()
    return cand


@pytest.fixture
def officers(db):
    """One review officer per default department (the conftest "reviewer" is 审计局 already)."""
    out = {}
    for code in ["discipline", "political_legal", "audit", "health", "petitions"]:
        out[code] = User.objects.create_user(username=f"officer_{code}", password="pass-1234-word",
                                             role=Role.REVIEWER, data_scope=DataScope.SELF, review_department=code,
                                             full_name=f"{code} 经办人")
    return out

