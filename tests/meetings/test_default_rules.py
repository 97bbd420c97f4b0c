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
    row = Rule.objects.get(rule_set__version=1, code="R7", variant="dispersion")
    edit_rule(acting_user=cast["users"]["org_admin"], rule=row, parameters={**row.parameters, "threshold": "half"})
    with pytest.raises(DomainError) as exc:
        default_rules()
    assert exc.value.code == "meeting.bad_rules"
