"""The list page built in Python (core/lists/render.py) and what it keeps between requests: the
markup is exactly what the template ``includes/list.html`` made before (kept beside this test as
``list_template_before.html``), in both languages, on a first, a middle and an empty page; the
filter panel kept per user follows a new unit, the values asked for and the user's scope; the
user's units read once per request are read again when they change."""

from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from gongxin.accounts.scope import unit_q
from gongxin.people import actions
from gongxin.people.models import OrgUnitKind

pytestmark = pytest.mark.django_db

BEFORE = Template((Path(__file__).parent / "list_template_before.html").read_text())


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("query", [{}, {"size": "20", "page": "1", "cols": ["name", "sex"]}, {"q": "没有这个人"},
                                   {"sort": "-age", "sex": "F"}])
def test_the_list_built_in_python_is_the_templates_markup(cast, client_for, lang, query):
    client = client_for(cast["users"]["org_admin"])
    client.cookies["django_language"] = lang
    response = client.get("/people/cadres/", query)
    assert response.status_code == 200
    lst = response.context["lst"]
    with translation.override(lang):
        expected = BEFORE.render(Context({"lst": lst}))
        assert str(lst.html) == expected


def _unit_options(client) -> str:
    html = client.get("/people/cadres/").content.decode()
    return html.split('data-list-filters>', 1)[1].split("</form>", 1)[0]


def test_the_kept_filter_panel_follows_a_new_unit_the_values_and_the_scope(cast, client_for):
    clerk = client_for(cast["users"]["clerk"])
    before = _unit_options(clerk)
    assert "李庄镇" in before and "何坊街道" not in before
    actions.create_org_unit(acting_user=None, name="李庄镇新设站所", kind=OrgUnitKind.SECTION, parent=cast["lizhuang"])
    assert "李庄镇新设站所" in _unit_options(clerk)
    # the values asked for are shown, each request its own
    female = clerk.get("/people/cadres/", {"sex": "F"}).content.decode()
    male = clerk.get("/people/cadres/", {"sex": "M"}).content.decode()
    assert '<option value="F" selected>' in female and '<option value="M" selected>' in male
    # an error is shown, not a kept panel without it
    wrong = clerk.get("/people/cadres/", {"age_min": "abc"}).content.decode()
    assert 'class="error"' in wrong
    # a wider scope shows the wider tree at once
    user = cast["users"]["clerk"]
    user.org_units.set([cast["root"]])
    assert "何坊街道" in _unit_options(clerk)


def test_the_users_units_are_read_once_and_again_when_they_change(cast, django_assert_num_queries):
    from gongxin.people.models import Cadre

    user = cast["users"]["clerk"]
    with django_assert_num_queries(1):
        unit_q(user, "org_unit")
        unit_q(user, "self")
    assert set(Cadre.objects.filter(unit_q(user, "org_unit")).values_list("name", flat=True)) == {"张三", "王五"}
    user.org_units.set([cast["hefang"]])
    assert set(Cadre.objects.filter(unit_q(user, "org_unit")).values_list("name", flat=True)) == {"李四"}


def test_the_english_list_is_in_english(cast, client_for):
    client = client_for(cast["users"]["org_admin"])
    client.cookies["django_language"] = "en"
    html = client.get("/people/cadres/").content.decode()
    assert "entries" in html and "Page 1 of 1" in html
