import pytest

pytestmark = pytest.mark.django_db


def test_only_the_closest_menu_entry_is_marked_current(cast, client_for):
    page = client_for(cast["users"]["org_admin"]).get("/cases/rules/")
    active = [item["label"] for item in page.context["menu"] if item["active"]]
    assert [str(label) for label in active] == ["规则管理"]
