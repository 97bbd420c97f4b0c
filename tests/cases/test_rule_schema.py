"""Typed rule parameters (issue 11 defect 3): validated on save with a Chinese message naming
the field; typed form fields; a rule set with a bad row is never the one in force."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from gongxin.cases import actions, rule_schema
from gongxin.cases.models import Rule, RuleSet
from gongxin.cases.rule_defaults import DEFAULT_RULES
from gongxin.cases.rules import rule_set_in_force
from gongxin.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_every_default_rule_meets_its_schema():
    for row in DEFAULT_RULES:
        assert rule_schema.schema_for(row["code"], row["variant"]) is not None, row["code"]
        assert rule_schema.validate(row["code"], row["variant"], row["parameters"]) == row["parameters"]


@pytest.mark.parametrize("code,params,field", [
    ("R17", {"working_days": "abc"}, "公示期（工作日）"),
    ("R17", {"working_days": 3}, "公示期（工作日）"),
    ("R15", {"quorum": "2/0", "pass": "1/2", "pass_base": "expected", "choices": ["agree"]}, "法定到会比例"),
    ("R15", {"quorum": "2/3", "pass": "1/2", "pass_base": "all", "choices": ["agree"]}, "通过比例的基数"),
    ("R23", {"grades": ["excellent"], "excellent_share": "125%", "team_excellent_share": "30%",
             "team_average_share": "20%", "team_poor_share": "15%"}, "优秀比例上限"),
    ("R8", {"grade_window_years": 3, "barred_grades": ["bad"], "bar_lobbying": True, "bar_emigrated_family": True},
     "不得列为考察对象的等次"),
])
def test_bad_values_are_refused_naming_the_field(code, params, field):
    with pytest.raises(DomainError) as exc:
        rule_schema.validate(code, "", params)
    assert f"“{field}”" in exc.value.message and exc.value.message.startswith(code)


def test_unknown_and_missing_parameters_are_refused():
    with pytest.raises(DomainError, match="没有参数：days"):
        rule_schema.validate("R17", "", {"working_days": 5, "days": 5})
    with pytest.raises(DomainError, match="缺少参数“公示期（工作日）”"):
        rule_schema.validate("R17", "", {})


def test_edit_rule_refuses_a_bad_value_and_saves_no_version(cast):
    admin = cast["users"]["org_admin"]
    r17 = RuleSet.objects.get(version=1).rules.get(code="R17")
    with pytest.raises(DomainError) as exc:
        actions.edit_rule(acting_user=admin, rule=r17, parameters={"working_days": "abc"}, note="x")
    assert exc.value.code == "rule.bad_parameter"
    assert RuleSet.objects.count() == 1


def test_a_bad_version_saved_before_validation_is_never_in_force(cast, client_for):
    """The reported 500: R17 saved as "abc" in a newer version broke the period endpoint."""
    v1 = RuleSet.objects.get(version=1)
    v2 = RuleSet.objects.create(jurisdiction="county", version=2, effective_from=dt.date(2026, 1, 1))
    for r in v1.rules.all():
        Rule.objects.create(rule_set=v2, code=r.code, variant=r.variant, name=r.name, sort_order=r.sort_order,
                            parameters={"working_days": "abc"} if r.code == "R17" else r.parameters)
    assert rule_set_in_force().pk == v1.pk
    r = client_for(cast["users"]["clerk"]).get("/api/v1/publicity/workdays/period?start=2026-11-09")
    assert r.status_code == 200 and r.json()["working_days"] == 5


def test_api_refuses_a_bad_value_with_the_message(cast, client_for):
    r17 = RuleSet.objects.get(version=1).rules.get(code="R17")
    r = client_for(cast["users"]["org_admin"]).post(f"/api/v1/cases/rules/{r17.pk}", json.dumps(
        {"parameters": {"working_days": "abc"}, "note": "x"}), content_type="application/json")
    assert r.status_code == 400 and "公示期（工作日）" in r.json()["message"]


def test_rule_page_has_typed_fields_not_a_json_box(cast, client_for):
    c = client_for(cast["users"]["org_admin"])
    rs = RuleSet.objects.get(version=1)
    page = c.get(reverse("cases:rule_edit", args=[rs.rules.get(code="R15").pk])).content.decode()
    assert 'name="parameters"' not in page
    assert 'name="p_quorum"' in page and 'name="p_pass_base"' in page and 'type="checkbox" name="p_choices"' in page
    r = c.post(reverse("cases:rule_edit", args=[rs.rules.get(code="R15").pk]), {
        "name": "讨论决定", "p_quorum": "3/4", "p_pass": "1/2", "p_pass_base": "expected",
        "p_choices": ["agree", "disagree", "defer"], "effective_from": "2026-12-01", "note": "从严"})
    assert r.status_code == 302
    assert RuleSet.objects.get(version=2).rules.get(code="R15").parameters["quorum"] == "3/4"
