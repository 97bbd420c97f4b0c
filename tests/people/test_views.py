import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongxin.people.models import Cadre
from tests.conftest import make_id_number

pytestmark = pytest.mark.django_db


def _names(response):
    return [c.name for c in response.context["cadres"]]


def test_pinyin_initials_full_pinyin_and_chinese_all_find_the_cadre(cast, client_for):
    client = client_for(cast["users"]["org_admin"])
    for q in ("zs", "ZS", "zhangsan", "zhang", "张三", "张"):
        assert _names(client.get("/people/cadres/", {"q": q})) == ["张三"], q


def test_filters_by_unit_subtree_rank_sex_and_age(cast, client_for, make_cadre):
    make_cadre(cast["lizhuang_office"], name="赵小", birth=dt.date(2000, 1, 1), rank="zhengke")
    client = client_for(cast["users"]["org_admin"])
    assert set(_names(client.get("/people/cadres/", {"unit": cast["lizhuang"].pk}))) == {"张三", "王五", "赵小"}
    assert _names(client.get("/people/cadres/", {"rank": "zhengke"})) == ["赵小"]
    assert _names(client.get("/people/cadres/", {"sex": "F"})) == ["李四"]
    today = dt.date.today()
    zhao_age = today.year - 2000 - ((today.month, today.day) < (1, 1))
    assert _names(client.get("/people/cadres/", {"age_min": zhao_age, "age_max": zhao_age})) == ["赵小"]


def test_sorting_by_age_both_ways(cast, client_for):
    client = client_for(cast["users"]["org_admin"])
    assert _names(client.get("/people/cadres/", {"sort": "age"})) == ["张三", "李四", "王五"]
    assert _names(client.get("/people/cadres/", {"sort": "-age"})) == ["王五", "李四", "张三"]


def test_an_age_range_upside_down_says_what_to_fix(cast, client_for):
    response = client_for(cast["users"]["org_admin"]).get("/people/cadres/", {"age_min": 50, "age_max": 30})
    assert "年龄上限不能小于下限" in response.content.decode()


def test_the_cadre_list_takes_the_same_number_of_queries_for_3_or_43_rows(cast, client_for, make_cadre):
    client = client_for(cast["users"]["org_admin"])
    client.get("/people/cadres/")  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/people/cadres/").context["cadres"]) == 3
    for i in range(40):
        make_cadre(cast["lizhuang"], name=f"王{'一二三四五六七八九十'[i % 10]}{i}", birth=dt.date(1970 + i % 30, 1, 1 + i % 27))
    client.get("/people/cadres/")  # warm again: saving cadres rightly drops the list's cached figures
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/people/cadres/").context["cadres"]) == 43
    assert len(many) == len(few)


def test_the_cadre_list_query_count_is_fixed(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast["users"]["clerk"])
    client.get("/people/cadres/")
    with django_assert_max_num_queries(8):
        client.get("/people/cadres/")


def test_a_wrong_id_number_shows_a_chinese_error_and_keeps_what_was_typed(cast, client_for):
    zhang = cast["cadres"]["zhang"]
    client = client_for(cast["users"]["clerk"])
    form = client.get(f"/people/cadres/{zhang.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(name="张三丰", id_number=zhang.id_number[:-1] + ("0" if zhang.id_number[-1] != "0" else "1"),
                birth_date="1985-06-15", party_joined="", work_started="2007.07", org_unit=zhang.org_unit_id,
                rank=zhang.rank_id)
    response = client.post(f"/people/cadres/{zhang.pk}/edit/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "校验位不对" in page
    assert 'value="张三丰"' in page  # what was typed is still there
    zhang.refresh_from_db()
    assert zhang.name == "张三"  # and nothing half-saved


def test_a_valid_edit_is_saved_and_recorded(cast, client_for):
    zhang = cast["cadres"]["zhang"]
    client = client_for(cast["users"]["clerk"])
    form = client.get(f"/people/cadres/{zhang.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(native_place="山东惠民", work_started="2007.07", party_joined="2005年6月", org_unit=zhang.org_unit_id,
                rank=zhang.rank_id, birth_date="1985-06-15")
    response = client.post(f"/people/cadres/{zhang.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    zhang.refresh_from_db()
    assert zhang.native_place == "山东惠民"
    assert zhang.party_joined == dt.date(2005, 6, 1)


def test_creating_a_cadre_through_the_page(cast, client_for):
    client = client_for(cast["users"]["clerk"])
    birth = dt.date(1992, 2, 29)
    response = client.post("/people/cadres/new/", {
        "name": "孙武", "sex": "M", "birth_date": "1992-02-29", "id_number": make_id_number(birth).lower(),
        "ethnicity": "汉族", "political_status": "cpc", "org_unit": cast["lizhuang"].pk, "status": "active",
        "health": "健康"})
    assert response.status_code == 302, response.context["form"].errors
    saved = Cadre.objects.get(name="孙武")
    assert saved.id_number == saved.id_number.upper() and saved.name_initials == "sw"


def test_a_clerk_cannot_choose_a_unit_outside_their_scope_on_the_form(cast, client_for):
    client = client_for(cast["users"]["clerk"])
    response = client.post("/people/cadres/new/", {
        "name": "孙武", "sex": "M", "birth_date": "1992-02-28", "id_number": make_id_number(dt.date(1992, 2, 28)),
        "org_unit": cast["hefang"].pk, "status": "active", "political_status": "cpc"})
    assert response.status_code == 200
    assert "org_unit" in response.context["form"].errors
    assert not Cadre.objects.filter(name="孙武").exists()


def test_the_detail_page_is_laid_out_like_the_appointment_form(cast, client_for):
    from gongxin.people import actions

    zhang = cast["cadres"]["zhang"]
    actions.add_resume_entry(acting_user=None, cadre=zhang, start=dt.date(2007, 7, 1), description="李庄镇党政办科员")
    page = client_for(cast["users"]["clerk"]).get(f"/people/cadres/{zhang.pk}/").content.decode()
    for label in ("干部任免审批表", "出生年月", "入党时间", "参加工作时间", "全日制教育", "在职教育", "现任职务", "拟任职务",
                  "简历", "奖惩情况", "年度考核结果", "任免理由", "家庭主要成员及重要社会关系"):
        assert label in page, label
    assert "2007.07--至今  李庄镇党政办科员" in page


def test_unit_tree_and_posts_show_counts_and_vacancies(cast, client_for, posts):
    from gongxin.people import actions

    actions.appoint_to_post(acting_user=None, cadre=cast["cadres"]["zhang"], post=posts["lizhuang_secretary"],
                            start=dt.date(2025, 1, 1))
    client = client_for(cast["users"]["org_admin"])
    units = {u.name: u.cadre_count for u in client.get("/people/units/").context["units"]}
    assert units["李庄镇"] == 1 and units["何坊街道"] == 1
    rows = {p.title: (p.headcount, p.filled, p.vacancies) for p in client.get("/people/posts/").context["posts"]}
    assert rows["党委书记"] == (1, 1, 0) and rows["镇长"] == (1, 0, 1)
    vacant = [p.title for p in client.get("/people/posts/", {"vacant": "1"}).context["posts"]]
    assert "党委书记" not in vacant and "镇长" in vacant


def test_the_pinyin_prefix_upper_bound_covers_every_continuation():
    from gongxin.people.queries import _successor

    assert [_successor(p) for p in ("zw", "az", "a", "zz", "zhz")] == ["zx", "b", "b", None, "zi"]


def test_search_by_initials_finds_names_that_sort_last(cast, client_for, make_cadre):
    # The names starting "zw" sort after everything else: the case that fooled the planner.
    for i, name in enumerate(["阿一", "白二", "蔡三", "周伟", "邹文"]):
        make_cadre(cast["lizhuang"], name=name, birth=dt.date(1980, 1, 1 + i))
    found = _names(client_for(cast["users"]["org_admin"]).get("/people/cadres/", {"q": "zw"}))
    assert found == ["周伟", "邹文"]


def test_adding_resume_and_relations_on_the_edit_page(cast, client_for):
    zhang = cast["cadres"]["zhang"]
    client = client_for(cast["users"]["clerk"])
    client.post(f"/people/cadres/{zhang.pk}/resume/", {"resume-start": "2007.07", "resume-description": "李庄镇科员",
                                                       "resume-kind": "work"})
    bad = client.post(f"/people/cadres/{zhang.pk}/resume/", {"resume-start": "2010.01", "resume-end": "2009.01",
                                                             "resume-description": "x", "resume-kind": "work"},
                      follow=True)
    assert "截止年月不能早于起始年月" in bad.content.decode()
    client.post(f"/people/cadres/{zhang.pk}/relations/", {"relation-kind": "spouse", "relation-title": "妻子",
                                                          "relation-name": "赵敏", "relation-birth": "1986.03"})
    assert [e.description for e in zhang.resume_entries.all()] == ["李庄镇科员"]
    assert [(r.name, r.birth) for r in zhang.relations.all()] == [("赵敏", "198603")]
