"""What every signed-in page pays, kept small (issue 20): the session from the cache, the chrome
fragments rendered once, a clerk's scope units kept across requests and dropped on a change."""

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import translation

pytestmark = pytest.mark.django_db


def _tables(queries) -> str:
    return " ".join(q["sql"] for q in queries)


def test_a_signed_in_page_reads_its_session_without_a_query(cast, client_for):
    client = client_for(cast["users"]["org_admin"])
    assert client.get("/people/cadres/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/people/cadres/").status_code == 200
    assert "django_session" not in _tables(queries)
    # the database copy is still there: a cleared cache signs no one out
    from django.core.cache import cache

    cache.clear()
    assert client.get("/people/cadres/").status_code == 200


def test_once_renders_its_fragment_once_per_key():
    calls = []
    template = engines["django"].from_string("{% load gongxin %}{% once kind %}{{ count }}{% endonce %}")
    with translation.override("zh-hans"):
        first = template.render({"kind": "a", "count": calls.append(1) or len(calls)})
        again = template.render({"kind": "a", "count": 99})
        other = template.render({"kind": "b", "count": 7})
    with translation.override("en"):
        english = template.render({"kind": "a", "count": 8})
    assert (first, again, other, english) == ("1", "1", "7", "8")


def test_the_chrome_follows_the_language_and_the_sign_in(cast, client_for):
    client = client_for(cast["users"]["org_admin"])
    chinese = client.get("/people/cadres/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/people/cadres/").content.decode()
    assert "退出登录" in chinese and "退出登录" not in english
    assert 'href="/">' in chinese  # the brand leads a signed-in user home
    public = client_for(None).get("/accounts/login/").content.decode()
    assert 'class="brand" href="/public/"' in public


def test_a_clerks_scope_units_are_kept_across_requests_and_dropped_on_a_change(cast, client_for):
    clerk = cast["users"]["clerk"]
    zhang, li = (f'href="/people/cadres/{cast["cadres"][k].pk}/"' for k in ("zhang", "li"))
    client = client_for(clerk)
    assert zhang in client.get("/people/cadres/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/people/cadres/").content.decode()
    assert zhang in page and li not in page
    assert "accounts_user_org_units" not in _tables(queries)
    clerk.org_units.set([cast["hefang"]])  # the next page shows the new scope at once
    page = client.get("/people/cadres/").content.decode()
    assert li in page and zhang not in page
