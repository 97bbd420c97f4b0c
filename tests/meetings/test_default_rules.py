"""A new meeting's rules come from the rule rows in force (R7 and R7/dispersion), so an admin's
change reaches the next meeting; a malformed row is refused, not silently replaced."""

import pytest

from gongxin.cases.actions import edit_rule
from gongxin.cases.models import Rule
from gongxin.core.errors import DomainError
from gongxin.meetings.actions import default_rules

pytestmark = pytest.mark.django_db


def test_the_shipped_rows_give_the_domain_defaults():
    rules = default_rules()
    assert (rules["turnout"], rules["threshold"], rules["threshold_strict"], rules["slate_ratio"]) == (
        "2/3", "1/2", True, "2")


def test_an_admins_change_to_the_slate_ratio_reaches_new_meetings(cast):
    row = Rule.objects.get(rule_set__version=1, code="R7", variant="dispersion")
    edit_rule(acting_user=cast["users"]["org_admin"], rule=row, parameters={**row.parameters, "slate_ratio": "3"})
    assert default_rules()["slate_ratio"] == "3"
    assert default_rules()["turnout"] == "2/3"  # the plain R7 row still gives the turnout


def test_a_malformed_rule_row_is_refused_with_a_message(cast):
    """Since issue 11 (defect 3) the malformed row is refused when it is saved, naming the field,
    so no rule set with it can be in force for a meeting."""
    row = Rule.objects.get(rule_set__version=1, code="R7", variant="dispersion")
    with pytest.raises(DomainError) as exc:
        edit_rule(acting_user=cast["users"]["org_admin"], rule=row, parameters={**row.parameters, "threshold": "half"})
    assert exc.value.code == "rule.bad_parameter" and "得票集中度门槛" in exc.value.message
    default_rules()  # the version in force is still the good one


def test_a_cases_meeting_takes_the_r7_its_case_froze_not_a_later_edit(cast, posts):
    """DOMAIN §3.1: the dispersion rule is fixed at the motion. A rule edit after the motion
    (a new rule-set version) reaches meetings without a case, not the case's meeting."""
    from gongxin.cases.actions import open_case
    from gongxin.meetings.actions import create_meeting

    admin = cast["users"]["org_admin"]
    case = open_case(acting_user=admin, title="李庄镇党委书记选任", org_unit=cast["lizhuang"],
                     posts=[posts["lizhuang_secretary"]], channels=["open_nomination"], motion_reason="职位空缺。")
    row = Rule.objects.get(rule_set__version=1, code="R7", variant="dispersion")
    edit_rule(acting_user=admin, rule=row, parameters={**row.parameters, "slate_ratio": "3"})
    assert default_rules()["slate_ratio"] == "3"
    assert default_rules(case)["slate_ratio"] == "2"
    meeting = create_meeting(acting_user=admin, title="海选推荐会", org_unit=cast["lizhuang"], case=case)
    assert meeting.rules["slate_ratio"] == "2"
    loose = create_meeting(acting_user=admin, title="民主推荐会", org_unit=cast["lizhuang"])
    assert loose.rules["slate_ratio"] == "3"
