import datetime as dt

import pytest
from django.utils import timezone

from gongxin.cases import actions as case_actions
from gongxin.exams import actions
from gongxin.exams.models import ExamChannel


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def announce(cast, posts, today):
    """announce(**overrides) → a published public-selection exam for 李庄镇镇长, linked to a case."""

    def _announce(channel=ExamChannel.PUBLIC_SELECTION, with_case=True, publish=True, **kw):
        admin = cast["users"]["org_admin"]
        case = None
        if with_case:
            case = case_actions.open_case(acting_user=admin, title="公开选拔李庄镇镇长", org_unit=cast["lizhuang"],
                                          posts=[(posts["lizhuang_head"], 1)], channels=[channel])
        data = dict(acting_user=admin, channel=channel, title="2026年公开选拔科级领导干部公告",
                    org_unit=cast["root"], case=case,
                    posts=[{"post": posts["lizhuang_head"], "code": "01", "count": 1}],
                    registration_closes=today + dt.timedelta(days=10), written_on=today + dt.timedelta(days=20),
                    qualifications="大学本科以上学历，年龄 45 岁以下", requirements={"max_age": 45})
        data.update(kw)
        exam = actions.announce_exam(**data)
        if publish:
            exam = actions.publish_exam(acting_user=admin, exam=exam)
        return exam

    return _announce


@pytest.fixture
def qualified(make_cadre):
    """qualified(unit, name) → a 副科 cadre who meets R1/section for a 正科 post: in rank since
    2018 and with grassroots years (a resume line at a township)."""
    from gongxin.people import actions as people_actions

    def _make(unit, name, **kw):
        kw.setdefault("rank_since", dt.date(2018, 1, 1))
        cadre = make_cadre(unit, name=name, **kw)
        people_actions.add_resume_entry(acting_user=None, cadre=cadre, start=dt.date(2010, 1, 1),
                                        end=dt.date(2016, 1, 1), description="李庄镇工作", is_grassroots=True)
        return cadre

    return _make
