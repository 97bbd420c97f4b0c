"""Pages: ranking without JavaScript (up/down/add/remove post the draft back; save saves),
who may open what (sealed lists, own section only, own round only), results and why-not lines,
the committee's queue, the cadre page."""

import datetime as dt

from django.utils import timezone

from gongxin.matching import actions
from gongxin.matching.models import Outcome

from .conftest import entry_of, section_of
from .test_actions import rank_everyone


def test_staff_ranks_with_buttons_only(open_round, unit, client_for):
    c = client_for(unit["accounts"]["赵一"])
    url = f"/matching/{open_round.pk}/rank/"
    page = c.get(url).content.decode()
    assert "档案管理科" in page and "保存排序" in page
    a = section_of(open_round, unit["sections"]["档案管理科"]).pk
    b = section_of(open_round, unit["sections"]["编研科"]).pk
    # add A, add B, move B up: nothing saved yet
    page = c.post(url, {"ranked": [], "op": f"add:{a}"}).content.decode()
    page = c.post(url, {"ranked": [a], "op": f"add:{b}"}).content.decode()
    page = c.post(url, {"ranked": [a, b], "op": f"up:{b}"}).content.decode()
    assert "排序尚未保存" in page
    assert page.index(f'value="up:{b}"') < page.index(f'value="up:{a}"')
    assert entry_of(open_round, unit["staff"][0]).ranking == []
    response = c.post(url, {"ranked": [b, a], "op": "save"})
    assert response.status_code == 302
    assert entry_of(open_round, unit["staff"][0]).ranking == [b, a]


def test_tie_posted_by_hand_is_refused_on_the_page(open_round, unit, client_for):
    c = client_for(unit["accounts"]["赵一"])
    a = section_of(open_round, unit["sections"]["档案管理科"]).pk
    page = c.post(f"/matching/{open_round.pk}/rank/", {"ranked": [a, a], "op": "save"}).content.decode()
    assert "排序不能并列" in page
    assert entry_of(open_round, unit["staff"][0]).ranking == []


def test_section_head_ranks_only_their_own_section(open_round, unit, client_for):
    head = unit["heads"]["编研科"]
    own = section_of(open_round, unit["sections"]["编研科"])
    other = section_of(open_round, unit["sections"]["办公室"])
    c = client_for(head)
    assert c.get(f"/matching/{open_round.pk}/sections/{own.pk}/rank/").status_code == 200
    assert c.get(f"/matching/{open_round.pk}/sections/{other.pk}/rank/").status_code == 404
    # a head sees no staff member's own ranking page, and staff see no section's
    assert c.get(f"/matching/{open_round.pk}/rank/").status_code == 403
    assert client_for(unit["accounts"]["赵一"]).get(
        f"/matching/{open_round.pk}/sections/{own.pk}/rank/").status_code == 403


def test_staff_outside_the_round_get_404(open_round, cast, client_for):
    assert client_for(cast["users"]["cadre"]).get(f"/matching/{open_round.pk}/rank/").status_code == 404
    assert client_for(cast["users"]["cadre"]).get(f"/matching/{open_round.pk}/list/").status_code == 404


def test_clerk_out_of_scope_gets_404(open_round, cast, client_for):
    assert client_for(cast["users"]["clerk"]).get(f"/matching/{open_round.pk}/").status_code == 404


def test_progress_is_sealed_before_close(open_round, unit, client_for):
    rank_everyone(open_round, unit)
    page = client_for(unit["clerk"]).get(f"/matching/{open_round.pk}/").content.decode()
    assert "人员已提交志愿 5 / 5" in page
    assert "录取到" not in page


def test_close_publish_and_read_why_not(open_round, unit, client_for):
    rank_everyone(open_round, unit)
    clerk = client_for(unit["clerk"])
    clerk.post(f"/matching/{open_round.pk}/close/")
    page = clerk.get(f"/matching/{open_round.pk}/").content.decode()
    assert 'data-certificate="stable"' in page and "未匹配，待党委分配" in page
    qian = client_for(unit["accounts"]["钱二"])
    assert "结果尚未公布" in qian.get(f"/matching/{open_round.pk}/mine/").content.decode()
    clerk.post(f"/matching/{open_round.pk}/publish/")
    page = qian.get(f"/matching/{open_round.pk}/mine/").content.decode()
    assert "科室 编研科 已满，其排序中你位于第 2，录取到第 1" in page
    listing = client_for(unit["heads"]["办公室"]).get(f"/matching/{open_round.pk}/list/").content.decode()
    assert "周五" in listing and "办公室" in listing
    # the clerk's standby and assignment forms work from the queue
    zhou = entry_of(open_round, unit["staff"][4])
    review = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    clerk.post(f"/matching/{open_round.pk}/standby/", {"entry": zhou.pk, "reason": "考核不称职", "review_on": review})
    office = section_of(open_round, unit["sections"]["办公室"])
    qian_entry = entry_of(open_round, unit["staff"][1])
    clerk.post(f"/matching/{open_round.pk}/assign/", {"entry": qian_entry.pk, "section": office.pk, "reason": "工作需要"})
    qian_entry.refresh_from_db()
    assert qian_entry.outcome == Outcome.ASSIGNED
    cadre_page = clerk.get(f"/people/cadres/{unit['staff'][4].pk}/").content.decode()
    assert "待岗" in cadre_page and "考核不称职" in cadre_page


def test_round_list_for_each_role(open_round, unit, client_for):
    assert "填报科室志愿" in client_for(unit["accounts"]["赵一"]).get("/matching/").content.decode()
    assert "为本科室排序" in client_for(unit["heads"]["编研科"]).get("/matching/").content.decode()
    page = client_for(unit["clerk"]).get("/matching/").content.decode()
    assert open_round.title in page and "开始一轮双向选择" in page


def test_clerk_starts_a_round_from_the_page(unit, client_for):
    c = client_for(unit["clerk"])
    deadline = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = c.post("/matching/new/", {"org_unit": unit["unit"].pk, "title": "第二轮", "ranking_deadline": deadline})
    assert response.status_code == 302
    assert actions.section_headcounts(unit["unit"])
