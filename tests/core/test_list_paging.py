"""Keyset paging of the list component (core/lists/page.py): walking a list by its "next" links,
back by its "previous" links, and jumping to a page give exactly the rows an OFFSET query puts
on each page, for sorts whose first key repeats a great deal (three birth dates among 67
cadres, as the reserve pool's three tiers among 200,000), in both directions, with a sort of
mixed directions (rank descending, then name) and with keys on a joined table (unit path); on
whichever database the suite runs (SQLite, or PostgreSQL's row comparison)."""

import datetime as dt
import html
import re

import pytest

from gongxin.core.lists import bump
from gongxin.people.models import Cadre
from gongxin.people.names import search_keys
from tests.conftest import make_id_number

pytestmark = pytest.mark.django_db

SIZE = 20
ORDERS = {  # the list's sort → the order an OFFSET query uses (the primary key breaks ties)
    "name": ("name_pinyin", "pk"),
    "-name": ("-name_pinyin", "-pk"),
    "age": ("birth_date", "pk"),
    "-age": ("-birth_date", "-pk"),
    "rank": ("-rank__level", "name_pinyin", "pk"),
    "unit": ("org_unit__path", "name_pinyin", "pk"),
}


@pytest.fixture
def many(cast, ranks):
    units = [cast["lizhuang"], cast["lizhuang_office"], cast["hefang"], cast["finance"]]
    births = [dt.date(1980, 1, 1), dt.date(1985, 6, 1), dt.date(1990, 3, 3)]
    rank_list = [ranks["zhengke"], ranks["fuke"], ranks["yiji_keyuan"]]
    names = ["王伟", "王芳", "李娜", "张敏", "刘静", "王伟", "陈丽"]  # repeated names: equal first keys
    rows = []
    for i in range(64):
        name, birth = names[i % len(names)], births[i % 3]
        full, initials = search_keys(name)
        rows.append(Cadre(name=name, name_pinyin=full, name_initials=initials, sex="MF"[i % 2], birth_date=birth,
                          id_number=make_id_number(birth, "MF"[i % 2]), org_unit=units[i % 4],
                          rank=rank_list[i % 3], status="active", fulltime_education="bachelor",
                          political_status="cpc"))
    Cadre.objects.bulk_create(rows)
    bump("people.Cadre")
    return Cadre.objects.filter(status="active")


def _ids(response) -> list[int]:
    assert response.status_code == 200
    return [int(x) for x in re.findall(r'href="/people/cadres/(\d+)/"', response.content.decode())]


def _link(response, rel: str) -> str | None:
    found = re.search(rf'<a href="(\?[^"]+)" rel="{rel}"', response.content.decode())
    return "/people/cadres/" + html.unescape(found.group(1)) if found else None


@pytest.mark.parametrize("sort", list(ORDERS))
def test_next_previous_and_jump_give_the_offset_pages(many, cast, client_for, sort):
    client = client_for(cast["users"]["org_admin"])
    expected = list(many.order_by(*ORDERS[sort]).values_list("pk", flat=True))
    assert len(expected) == 67
    pages = [expected[i:i + SIZE] for i in range(0, len(expected), SIZE)]

    response = client.get("/people/cadres/", {"sort": sort, "size": SIZE})
    walked = [_ids(response)]
    while (nxt := _link(response, "next")) is not None:
        response = client.get(nxt)
        walked.append(_ids(response))
    assert walked == pages, "by next links"

    back = [walked[-1]]
    while (prev := _link(response, "prev")) is not None:
        response = client.get(prev)
        back.append(_ids(response))
    assert back == pages[::-1], "by previous links"

    for number in (3, 2, 4):
        assert _ids(client.get("/people/cadres/", {"sort": sort, "size": SIZE, "page": number})) == pages[number - 1]


def test_a_deep_page_takes_as_many_queries_as_the_first(many, cast, client_for, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast["users"]["org_admin"])
    first = client.get("/people/cadres/", {"sort": "age", "size": SIZE})
    second = _link(first, "next")
    client.get(second)
    with CaptureQueriesContext(connection) as on_first:
        client.get("/people/cadres/", {"sort": "age", "size": SIZE})
    with CaptureQueriesContext(connection) as on_second:
        client.get(second)
    assert len(on_second) == len(on_first)


@pytest.mark.parametrize("value", [None, "", "lizhuang_office", "hefang"])
@pytest.mark.parametrize("multiple", [False, True])
def test_the_unit_tree_built_in_python_is_the_templates_markup(cast, value, multiple):
    """people/pickers.py draws the unit tree in Python; the markup is the template's, exactly."""
    from django.template.loader import render_to_string

    from gongxin.people.models import OrgUnit
    from gongxin.people.pickers import UnitTreePicker

    units = list(OrgUnit.objects.order_by("path"))
    chosen = {str(cast[value].pk)} if value and value in cast else set()
    widget = UnitTreePicker(multiple=multiple)
    ids = {u.pk for u in units}
    children: dict = {}
    for u in units:
        children.setdefault(u.parent_id if u.parent_id in ids else None, []).append(u)
    open_paths = {u.path for u in units if str(u.pk) in chosen}

    def node(u):
        return {"unit": u, "value": str(u.pk), "checked": str(u.pk) in chosen,
                "children": [node(k) for k in children.get(u.pk, [])],
                "open": u.depth < 1 or any(p.startswith(u.path) for p in open_paths)}

    expected = render_to_string(widget.template, {
        "name": "unit", "id": "id_unit", "roots": [node(u) for u in children.get(None, [])], "multiple": multiple,
        "empty_label": None if multiple else "全部", "none_checked": not chosen, "count": len(units)})
    raw = [cast[value].pk] if multiple and chosen else (cast[value].pk if chosen else value)
    assert widget.render_units("unit", raw, {"id": "id_unit"}, units, "全部") == expected


def test_a_scoped_page_reads_its_rows_by_their_keys_alone(many, cast, client_for):
    """keys_first (PostgreSQL): the rows of a clerk's page are read by the keys the scoped query
    found, the scope not repeated around them. Repeated, PostgreSQL (which expects one unit in a
    ``path LIKE`` subtree) re-read the clerk's whole scope to join it with the page's keys: 7,143
    rows, 20-30 ms, for a county clerk at a province's 1,000,000 cadres (bench_province)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("keys first is PostgreSQL's path")
    clerk = cast["users"]["clerk"]
    scoped = Cadre.objects.filter(status="active", org_unit__path__startswith=cast["lizhuang"].path)
    expected = list(scoped.order_by("name_pinyin", "pk").values_list("pk", flat=True))
    assert len(expected) > SIZE and scoped.count() < Cadre.objects.filter(status="active").count()
    client = client_for(clerk)
    with CaptureQueriesContext(connection) as seen:
        response = client.get("/people/cadres/", {"size": SIZE})
    assert _ids(response) == expected[:SIZE]
    rows = [q["sql"] for q in seen.captured_queries
            if '"people_cadre"' in q["sql"] and "IN (SELECT" in q["sql"] and "COUNT(" not in q["sql"]]
    assert len(rows) == 1, rows
    assert rows[0].count("LIKE") == 1, "the scope is applied once, inside the keys' query"
    nxt = _link(response, "next")
    assert _ids(client.get(nxt)) == expected[SIZE:2 * SIZE]
