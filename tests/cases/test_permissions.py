"""Predicates and fetchers: capability → 403, data scope → 404, at fetch time."""

import pytest

from gongxin.cases import actions, permissions
from gongxin.cases.models import Channel
from gongxin.core.errors import Forbidden, NotFound
from gongxin.ledger.models import Event
from tests.concurrency import at_once

pytestmark = pytest.mark.usefixtures("own_guards_only")


@pytest.mark.django_db
@pytest.mark.parametrize("role,view,manage,rules", [
    ("org_admin", True, True, True),
    ("clerk", True, True, False),
    ("voter", True, False, False),
    ("inspector", False, False, False),
    ("reviewer", False, False, False),
    ("cadre", False, False, False),
])
def test_capabilities(cast, role, view, manage, rules):
    user = cast["users"][role]
    assert permissions.can_view_cases(user) is view
    assert permissions.can_manage_cases(user) is manage
    assert permissions.can_edit_rules(user) is rules


@pytest.mark.django_db
def test_fetchers_apply_scope(cast, case, admin, posts):
    clerk = cast["users"]["clerk"]
    other = actions.open_case(acting_user=admin, title="何坊", org_unit=cast["hefang"], posts=[posts["hefang_secretary"]],
                              channels=["performance"], motion_reason="x")
    assert permissions.get_case_for_user(clerk, case.pk) == case
    with pytest.raises(NotFound):
        permissions.get_case_for_user(clerk, other.pk)
    assert permissions.get_case_for_user(admin, other.pk) == other
    with pytest.raises(Forbidden):
        permissions.get_case_for_user(cast["users"]["inspector"], case.pk)
    with pytest.raises(Forbidden):
        permissions.get_case_for_user(cast["users"]["voter"], case.pk, manage=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_nominating_the_same_cadre_at_once_make_one_candidate(cast, posts, admin, eligible):
    case = actions.open_case(acting_user=admin, title="并发", org_unit=cast["lizhuang"],
                             posts=[posts["lizhuang_head"]], channels=["performance"], motion_reason="x")
    cadre = eligible("甲")
    outcomes = at_once(lambda _i: actions.add_candidate(acting_user=admin, case=case, cadre=cadre,
                                                         channel=Channel.PERFORMANCE), 2)
    results = [code if kind == "refused" else kind for kind, code in outcomes]
    assert sorted(results) == ["candidate.duplicate", "ok"]
    assert case.candidates.count() == 1
    assert Event.objects.filter(kind="cases.candidate.added").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clicks_on_advance_move_the_case_once(cast, posts, admin):
    case = actions.open_case(acting_user=admin, title="双击", org_unit=cast["lizhuang"],
                             posts=[posts["lizhuang_head"]], channels=["performance"], motion_reason="x")
    outcomes = at_once(lambda _i: actions.advance_case(acting_user=admin, case=case, to_stage="nomination"), 2)
    results = [code if kind == "refused" else kind for kind, code in outcomes]
    assert sorted(results) == ["case.blocked", "ok"]
    assert Event.objects.filter(kind="cases.case.advanced").count() == 1
