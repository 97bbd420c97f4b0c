"""The pages: pool list and filters, entry with the type-ahead, composition, classes, the
attendance sheet, the cadre page and the nomination form."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongxin.reserve import actions
from gongxin.reserve.models import ReserveCadre, Trainee


@pytest.fixture
def admin_client(client_for, admin):
    return client_for(admin)


def test_pool_list_filters_and_queries(admin_client, young, enter, django_assert_max_num_queries, cast):
    for i in range(12):
        enter(young(f"后备{i}", sex="F" if i % 3 == 0 else "M", birth=dt.date(1980 + i, 3, 1)), tier=1 + i % 3)
    with django_assert_max_num_queries(12):
        page = admin_client.get(reverse("reserve:pool"))
    assert page.status_code == 200 and page.content.decode().count('href="/reserve/') >= 12
    body = admin_client.get(reverse("reserve:pool"), {"tier": 1, "sex": "F"}).content.decode()
    shown = {i for i in range(12) if f">后备{i}<" in body}
    assert shown == {0, 3, 6, 9}                         # tier 1 (i % 3 == 0) and women
    today = timezone.localdate()
    age_max = today.year - 1990 - ((today.month, today.day) < (3, 1))     # the age of 后备10 (born 1990-03-01)
    body = admin_client.get(reverse("reserve:pool"), {"age_max": age_max}).content.decode()
    assert {i for i in range(12) if f">后备{i}<" in body} == {10, 11}
    export = admin_client.get(reverse("reserve:pool_export"), {"tier": 2})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_entry_page_typeahead_and_refusal(admin_client, young, cast):
    old = young("老干部", birth=dt.date(1970, 1, 1))
    found = admin_client.get(reverse("reserve:cadre_search"), {"q": "lgb"}).content.decode()
    assert f'value="{old.pk}"' in found
    page = admin_client.post(reverse("reserve:enter"), {
        "cadre": old.pk, "tier": 1, "target_rank": cast["lizhuang"].pk and _rank("zhengke"), "source": "organisation",
        "entered_on": "2026-01-10", "profile": "x"})
    body = page.content.decode()
    assert page.status_code == 200 and "超过 45 岁的入库年龄上限" in body and 'id="entry-blockers"' in body
    assert f'value="{old.pk}" checked' in body     # the choice survives the refusal
    ok = young("新干部")
    page = admin_client.post(reverse("reserve:enter"), {
        "cadre": ok.pk, "tier": 1, "target_rank": _rank("zhengke"), "source": "organisation",
        "entered_on": "2026-01-10", "profile": "扎实"})
    assert page.status_code == 302 and ReserveCadre.objects.filter(cadre=ok, tier=1).exists()
    missing = admin_client.post(reverse("reserve:enter"), {"tier": 1, "target_rank": _rank("zhengke"),
                                                          "source": "organisation", "entered_on": "2026-01-10"})
    assert "请先输入姓名或拼音" in missing.content.decode()


def _rank(code):
    from gongxin.people.models import Rank

    return Rank.objects.get(code=code).pk


def test_composition_marks_below_target_red(admin_client, young, enter):
    for i in range(3):
        enter(young(f"男{i}"), tier=1)
    body = admin_client.get(reverse("reserve:composition")).content.decode()
    assert 'class="below"' in body and "差 1 人" in body   # women 0 of 3, target 20% → 1 short


def test_class_pages_sheet_and_graduation(admin_client, admin, young, enter):
    cadre = young("学员甲")
    enter(cadre, tier=1)
    tc = actions.create_training_class(acting_user=admin, name="第九期中青班", starts_on=dt.date(2026, 3, 1),
                                       ends_on=dt.date(2026, 3, 31))
    r = admin_client.post(reverse("reserve:class_enrol", args=[tc.pk]), {"cadre": cadre.pk})
    assert r.status_code == 302
    t = Trainee.objects.get(cadre=cadre)
    admin_client.post(reverse("reserve:class_session", args=[tc.pk]), {"held_on": "2026-03-02", "topic": "党史"})
    session = tc.sessions.get()
    sheet = admin_client.get(reverse("reserve:session_sheet", args=[session.pk])).content.decode()
    assert "本人签名" in sheet and "学员甲" in sheet
    admin_client.post(reverse("reserve:session_sheet", args=[session.pk]), {"present": [t.pk]})
    admin_client.post(reverse("reserve:trainee_detail", args=[t.pk]),
                      {"evaluate": "1", "eval-grade": "excellent", "eval-comment": "表现突出"})
    admin_client.post(reverse("reserve:class_graduate", args=[tc.pk]), {"on": "2026-03-31"})
    t.refresh_from_db()
    assert t.status == "graduated" and t.grade == "excellent"
    roster = admin_client.get(reverse("reserve:class_detail", args=[tc.pk])).content.decode()
    assert "已结业" in roster and "✓" in roster


def test_cadre_page_shows_history_and_training_line(admin_client, young, enter, graduate):
    cadre = young("档案人")
    enter(cadre, tier=1)
    graduate([cadre], dt.date(2026, 5, 31))
    body = admin_client.get(reverse("people:cadre_detail", args=[cadre.pk])).content.decode()
    assert 'id="reserve-history"' in body and "入库" in body
    assert "培训情况" in body and "中青班，结业（良好）" in body


def test_nomination_form_offers_graduated_classes(admin_client, young, enter, graduate, cast, posts, admin):
    from gongxin.cases import actions as case_actions

    cadre = young("直提人")
    enter(cadre, tier=1)
    tc = graduate([cadre], timezone.localdate() - dt.timedelta(days=10))
    case = case_actions.open_case(acting_user=admin, title="直提案件", org_unit=cast["lizhuang"],
                                  posts=[posts["lizhuang_head"]], channels=["reserve_direct"], motion_reason="x")
    url = reverse("cases:candidate_add", args=[case.pk])
    form = admin_client.get(url).content.decode()
    assert tc.name in form and "后备干部培训班结业情况" not in form
    refused = admin_client.post(url, {"cadre": young("未结业").pk, "channel": "reserve_direct"}).content.decode()
    assert "不在后备干部库中" in refused
    ok = admin_client.post(url, {"cadre": cadre.pk, "channel": "reserve_direct", "training_class": tc.pk})
    assert ok.status_code == 302 and case.candidates.get().evidence["training_class"] == tc.pk


def test_scope_and_roles(client_for, cast, young, enter):
    other = young("何坊人", unit=cast["hefang"])
    r = enter(other)
    clerk = client_for(cast["users"]["clerk"])    # 李庄镇 clerk
    assert clerk.get(reverse("reserve:detail", args=[r.pk])).status_code == 404
    assert "何坊人" not in clerk.get(reverse("reserve:pool")).content.decode()
    assert client_for(cast["users"]["cadre"]).get(reverse("reserve:pool")).status_code == 403
