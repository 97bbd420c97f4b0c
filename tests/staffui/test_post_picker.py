"""Issue 19, pickers: a post is found by its name, its unit or their pinyin initials, narrowed to
a unit (and below) and to posts with a place free; without JavaScript the box takes post numbers
or "unit + post name", and the search is a page of its own."""

import pytest
from django.urls import reverse

from gongxin.cases.models import Case
from gongxin.people.models import PostHolding
from gongxin.people.pickers import find_posts

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(cast, posts):
    """李庄镇镇长 is held by 张三: no place free."""
    PostHolding.objects.create(post=posts["lizhuang_head"], cadre=cast["cadres"]["zhang"], start="2026-01-01")
    return posts


def _titles(found):
    return sorted(f"{p.org_unit.name}{p.title}" for p in found)


def test_found_by_name_unit_and_pinyin(cast, posts):
    admin = cast["users"]["org_admin"]
    assert _titles(find_posts(admin, "书记")) == ["何坊街道党工委书记", "李庄镇党委书记"]
    assert _titles(find_posts(admin, "李庄")) == ["李庄镇党委书记", "李庄镇镇长"]
    assert _titles(find_posts(admin, "李庄 书记")) == ["李庄镇党委书记"]
    assert _titles(find_posts(admin, "dwsj")) == ["李庄镇党委书记"]  # 党委书记, not 党工委书记
    assert _titles(find_posts(admin, "lzzzz")) == ["李庄镇镇长"]  # unit and post initials together
    assert _titles(find_posts(admin, "zhenzhang")) == ["李庄镇镇长"]


def test_narrowed_to_a_unit_and_to_vacant_posts_and_to_the_scope(cast, filled):
    admin, clerk = cast["users"]["org_admin"], cast["users"]["clerk"]
    assert _titles(find_posts(admin, "", unit=cast["hefang"].pk)) == ["何坊街道党工委书记"]
    assert _titles(find_posts(admin, "", unit=cast["root"].pk, vacant=True)) == ["何坊街道党工委书记", "李庄镇党委书记"]
    assert _titles(find_posts(clerk, "书记")) == ["李庄镇党委书记"]  # 何坊街道 is outside the clerk's units
    assert find_posts(cast["users"]["voter"], "书记") == []


def test_type_ahead_answers_under_the_box(client_for, cast, posts):
    c = client_for(cast["users"]["clerk"])
    url = reverse("people:post_pick")
    html = c.get(url, {"field": "posts", "posts_q": "zz", "unit_field": "org_unit", "org_unit": cast["lizhuang"].pk},
                 HTTP_HX_REQUEST="true").content.decode()
    assert f'data-pick="{posts["lizhuang_head"].pk}"' in html and "空缺 1" in html and "<html" not in html
    html = c.get(url, {"field": "posts", "posts_q": "何坊"}, HTTP_HX_REQUEST="true").content.decode()
    assert "没有找到符合的职位" in html  # outside the clerk's scope


def test_search_then_choose_page_without_javascript(client_for, cast, posts):
    c = client_for(cast["users"]["clerk"])
    html = c.get(reverse("people:post_pick"), {"q": "书记", "unit": cast["lizhuang"].pk}).content.decode()
    assert "李庄镇 党委书记" in html and f'<span class="mono">{posts["lizhuang_secretary"].pk}</span>' in html
    assert "<select name=\"unit\"" not in html and 'type="radio" name="unit"' in html  # the unit tree


def _case_data(cast, **extra):
    return {"title": "李庄镇选任", "org_unit": cast["lizhuang"].pk, "channels": ["open_nomination"],
            "motion_reason": "职位空缺", "motion_date": "2026-02-01", **extra}


def test_case_form_takes_typed_numbers_and_names_and_says_what_it_did_not_find(client_for, cast, posts):
    c = client_for(cast["users"]["clerk"])
    html = c.get(reverse("cases:case_create")).content.decode()
    assert 'name="posts_q"' in html and 'name="posts_vacant"' in html and '<select name="posts"' not in html
    # a name that is no post: the form comes back saying which, with the chosen post kept
    r = c.post(reverse("cases:case_create"), _case_data(cast, posts=[posts["lizhuang_head"].pk], posts_q="县长"))
    html = r.content.decode()
    assert r.status_code == 200 and "没有找到职位“县长”" in html
    assert f'name="posts" value="{posts["lizhuang_head"].pk}" checked' in html and 'value="县长"' in html
    # typed without JavaScript: a post number and a "unit + post name", beside a checked box
    r = c.post(reverse("cases:case_create"), _case_data(cast, posts=[posts["lizhuang_head"].pk],
                                                        posts_q=f"李庄镇党委书记，{posts['lizhuang_head'].pk}"))
    assert r.status_code == 302
    case = Case.objects.get(title="李庄镇选任")
    assert set(case.case_posts.values_list("post__title", flat=True)) == {"党委书记", "镇长"}


def test_appointment_form_has_the_single_post_picker(client_for, cast, posts):
    c = client_for(cast["users"]["org_admin"])
    html = c.get(reverse("publicity:appointment_new")).content.decode()
    assert 'name="post_q"' in html and 'class="picker-value"' in html
    assert '<select name="post"' not in html


def test_the_unit_filters_are_the_unit_tree(client_for, cast, posts):
    c = client_for(cast["users"]["org_admin"])
    for url in (reverse("people:post_list"), reverse("exchange:home")):
        html = c.get(url).content.decode()
        assert '<select name="unit"' not in html and 'type="radio" name="unit"' in html, url
