"""Rank and current post (issue 11 defect 6): they change through appointment or a named
correction (reason required, public, listed on the cadre page), never by editing the record;
appointment also updates the resume and 现任职务."""

import datetime as dt

import pytest

from gongxin.core.errors import DomainError
from gongxin.ledger.models import Event
from gongxin.people import actions
from gongxin.people.models import Rank

pytestmark = pytest.mark.django_db


def test_patching_the_rank_is_refused(cast, client_for):
    zhang = cast["cadres"]["zhang"]
    before = zhang.rank_id
    r = client_for(cast["users"]["clerk"]).patch(f"/api/v1/people/cadres/{zhang.pk}", content_type="application/json",
                                                 data={"rank": "zhengchu"})
    assert r.status_code == 400 and r.json()["code"] == "cadre.position_by_appointment"
    assert "只能通过任职办理" in r.json()["message"]
    zhang.refresh_from_db()
    assert zhang.rank_id == before
    with pytest.raises(DomainError):
        actions.update_cadre(acting_user=None, cadre=zhang, current_post_title="县长")


def test_a_correction_needs_a_reason_is_public_and_shown_on_the_page(cast, client_for):
    zhang, clerk = cast["cadres"]["zhang"], cast["users"]["clerk"]
    c = client_for(clerk)
    r = c.post(f"/api/v1/people/cadres/{zhang.pk}/position-correction", content_type="application/json",
               data={"reason": " ", "rank": "zhengke"})
    assert r.status_code == 400 and r.json()["code"] == "reason.required"
    r = c.post(f"/api/v1/people/cadres/{zhang.pk}/position-correction", content_type="application/json",
               data={"reason": "录入错误，据任免文件惠组〔2024〕3号更正", "rank": "zhengke"})
    assert r.status_code == 200 and r.json()["rank"] == "zhengke"
    event = Event.objects.get(kind="people.cadre.position_corrected")
    assert event.public is True
    page = c.get(f"/people/cadres/{zhang.pk}/").content.decode()
    assert "职级和职务更正记录" in page and "录入错误，据任免文件惠组〔2024〕3号更正" in page
    assert Rank.objects.get(code="zhengke").name in page


def test_the_edit_page_does_not_change_the_rank(cast, client_for):
    zhang = cast["cadres"]["zhang"]
    page = client_for(cast["users"]["clerk"]).get(f"/people/cadres/{zhang.pk}/edit/").content.decode()
    assert "通过任职办理或“更正职级和职务”修改" in page


def test_appointment_closes_the_open_resume_line_and_adds_the_new_post(cast, posts):
    zhang = cast["cadres"]["zhang"]
    actions.add_resume_entry(acting_user=None, cadre=zhang, start=dt.date(2018, 3, 1), description="李庄镇副镇长")
    actions.appoint_to_post(acting_user=None, cadre=zhang, post=posts["lizhuang_secretary"], start=dt.date(2026, 4, 1))
    lines = [e.line for e in zhang.resume_entries.order_by("start", "id")]
    assert "2018.03--2026.04  李庄镇副镇长" in lines
    assert lines[-1] == f"2026.04--  {posts['lizhuang_secretary']}" or lines[-1].startswith("2026.04--")
    assert str(posts["lizhuang_secretary"]) in lines[-1] and zhang.resume_entries.filter(end__isnull=True).count() == 1
    zhang.refresh_from_db()
    assert zhang.current_post_title == str(posts["lizhuang_secretary"])
