"""The post's "who is eligible" search (issue 20): a page of eligible cadres in scope, the
engine's reasons for one of them on demand, and no page for a user who cannot manage cases."""

import datetime as dt

from django.urls import reverse

from gongxin.people import actions as people_actions


def test_post_page_lists_the_eligible_and_explains_one_on_demand(client_for, cast, posts, eligible, make_cadre):
    post = posts["lizhuang_head"]  # 正科: 副科 cadres with two years in rank and grassroots experience
    ready = [eligible(f"合格{i}") for i in range(23)]
    too_low = make_cadre(cast["lizhuang"], name="越级者", rank="yiji_keyuan")
    admin = client_for(cast["users"]["org_admin"])
    url = reverse("cases:post_eligible", args=[post.pk])
    first = admin.get(url).content.decode()
    table = first[first.index('id="eligible-table"'):]
    assert table.count("审查依据") == 20 and "越级者" not in table
    assert "?after=" in first
    after = first.split("?after=")[-1].split('"')[0]
    second = admin.get(url, {"after": after}).content.decode()
    names = {c.name for c in ready}
    shown = {n for n in names if n in table} | {n for n in names if n in second}
    assert shown == names
    explained = admin.get(url, {"explain": ready[0].pk}).content.decode()
    assert 'id="explain"' in explained and "R8" in explained and "符合" in explained
    hidden = admin.get(url, {"explain": too_low.pk}).content.decode()
    assert 'id="explain"' not in hidden  # not a search result: no reasons shown for it here
    assert client_for(cast["users"]["voter"]).get(url).status_code == 403
    people_actions.set_annual_grade(acting_user=None, cadre=ready[0], year=dt.date.today().year - 1,
                                    grade="incompetent")
    again = admin.get(url).content.decode()
    assert ready[0].name not in again[again.index('id="eligible-table"'):]
