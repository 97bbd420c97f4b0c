"""Issue 19, the case as a hub: the 关联记录 panels and the blockers link only to pages the
reader may open (core/links.py); for anyone else the record is named in plain text. Walked as
a voter (who sits on the decision meeting) and as the township clerk."""

import re

import pytest
from django.urls import reverse

from gongxin.cases import actions, guards
from gongxin.cases.models import CaseStage
from gongxin.core.links import may_open
from tests.cases.conftest import admin, case, drive, eligible, members, own_guards_only  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_guards_only")]


@pytest.fixture
def decided(case, admin, eligible, members, cast, monkeypatch):  # noqa: F811
    """A case at its decision, the voter on its meeting; each candidate blocked by an unanswered
    joint review (a stand-in for the inspection app's blocker, linking to its page)."""
    case = drive(case, admin, CaseStage.DECISION, candidates=[eligible("甲")], members=members)
    monkeypatch.setattr(guards, "_candidate_blockers", [
        lambda cand: [guards.blocker("尚未答复联审函", "inspection:review_candidate", cand.pk)]])
    actions.create_decision_meeting(acting_user=admin, case=case, title="常委会",
                                    members=[{"name": "投票人", "user": cast["users"]["voter"]}]
                                    + [{"name": m.name} for m in members])
    return case


def _panel_links(html: str) -> list[str]:
    """The addresses linked from the 关联记录 panel and the blockers."""
    parts = re.findall(r'<section class="panel connections".*?</section>', html, re.S)
    parts += re.findall(r'<div class="blockers".*?</div>', html, re.S)
    parts += re.findall(r'<a href="[^"]*" class="blocker-link">', html)
    return sorted({h for p in parts for h in re.findall(r'href="([^"#]+)', p)})


def _pages(client, the_case):
    cand = the_case.candidates.get()
    return [client.get(reverse("cases:case_detail", args=[the_case.pk])).content.decode(),
            client.get(reverse("cases:candidate_detail", args=[cand.pk])).content.decode()]


def test_a_voter_is_shown_no_link_that_answers_403(decided, cast, client_for):
    voter = cast["users"]["voter"]
    c = client_for(voter)
    for html in _pages(c, decided):
        assert "关联记录" in html
        for href in _panel_links(html):
            assert c.get(href).status_code != 403, href
        # the joint review, the recommendation meetings, the notices and the cadre's file: named, not linked
        assert 'href="/inspection/' not in html and 'href="/meetings/' not in html
        assert 'href="/publicity/' not in html and 'href="/people/cadres/' not in html
    _case_page, candidate_page = _pages(c, decided)
    assert "<span>联审答复</span>" in candidate_page  # the panel names it
    assert "尚未答复联审函" in candidate_page  # the blocker is still said, without its link


def test_the_clerk_keeps_the_links_and_each_opens(decided, cast, client_for):
    clerk = cast["users"]["clerk"]
    c = client_for(clerk)
    case_page, candidate_page = _pages(c, decided)
    cand = decided.candidates.get()
    review = reverse("inspection:review_candidate", args=[cand.pk])
    assert f'href="{review}"' in candidate_page  # the blocker and the panel link to the joint review
    assert f'href="{reverse("people:cadre_detail", args=[cand.cadre_id])}"' in candidate_page
    assert 'href="/publicity/' in case_page
    for html in (case_page, candidate_page):
        for href in _panel_links(html):
            assert c.get(href).status_code == 200, href


def test_may_open_reads_the_capabilities_apps_declare(cast):
    voter, clerk, reviewer = (cast["users"][r] for r in ("voter", "clerk", "reviewer"))
    assert may_open(clerk, "/inspection/review/") and not may_open(voter, "/inspection/review/")
    assert may_open(reviewer, reverse("inspection:review_queue"))
    assert not may_open(reviewer, "/inspection/review/")
    assert may_open(voter, reverse("cases:case_list")) and not may_open(voter, reverse("cases:notice_list"))
    assert not may_open(voter, "") and may_open(voter, "https://example.org/")
