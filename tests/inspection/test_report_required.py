"""R11 (issue 11 defect 4): no candidate goes to the decision without a signed inspection report
of the kind their channel requires; before, a case reached appointment with no inspection."""

import datetime as dt
import json

import pytest

from gongxin.cases import actions as case_actions
from gongxin.cases import workflow as case_workflow
from gongxin.cases.models import Candidate, Rule
from gongxin.core.errors import DomainError
from gongxin.inspection import actions

from .test_actions import _all_checks, _answer_all, _complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def cleared(admin, candidate, officers, today):
    """Joint review clear and the four checks done: only the inspection is missing."""
    actions.send_review_requests(acting_user=admin, candidate=candidate, deadline=today + dt.timedelta(days=7))
    _answer_all(officers, candidate)
    _all_checks(admin, candidate)
    return candidate


def test_no_inspection_blocks_the_decision_until_a_signed_report(admin, cleared, inspectors, today, client_for):
    case = cleared.case
    expected = "孙明：没有考察报告，须经考察并签发报告后才能提交讨论决定（依据 R11 《党政领导干部选拔任用工作条例》（2019）第四章 考察）。"
    assert case_workflow.blockers(case, "decision") == [expected]
    r = client_for(admin).post(f"/api/v1/cases/cases/{case.pk}/advance", json.dumps({"to_stage": "decision"}),
                               content_type="application/json")
    assert r.status_code == 400 and r.json()["details"]["blockers"] == [expected]
    team = actions.form_team(acting_user=admin, name="组", leader=inspectors[0], members=[inspectors[1]])
    inspection = actions.open_inspection(acting_user=admin, team=team, kind="circles", cadre=cleared.cadre,
                                         candidate=cleared)
    _complete(inspection, inspectors[0], today)
    actions.sign_report(acting_user=inspectors[0], inspection=inspection)
    assert case_workflow.blockers(case, "decision") == []
    assert case_actions.advance_case(acting_user=admin, case=case, to_stage="decision").stage == "decision"


def test_the_channel_decides_the_kind_of_report(admin, cleared, inspectors, today):
    """An R11 row asking a tracking report of a performance nomination."""
    Rule.objects.filter(rule_set=cleared.case.rule_set, code="R11").update(
        parameters={"required_kind": "any", "by_channel": {"performance": "tracking"}, "signed": True})
    Candidate.objects.filter(pk=cleared.pk).update(channel="performance")
    team = actions.form_team(acting_user=admin, name="组", leader=inspectors[0], members=[inspectors[1]])
    inspection = actions.open_inspection(acting_user=admin, team=team, kind="circles", cadre=cleared.cadre,
                                         candidate=cleared)
    _complete(inspection, inspectors[0], today)
    actions.sign_report(acting_user=inspectors[0], inspection=inspection)
    blockers = case_workflow.blockers(cleared.case, "decision")
    assert len(blockers) == 1 and "孙明：没有跟踪考察报告" in blockers[0]
    with pytest.raises(DomainError):
        case_actions.advance_case(acting_user=admin, case=cleared.case, to_stage="decision")
