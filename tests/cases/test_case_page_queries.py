"""The case page asks every app for its candidates' blockers once for the whole list: its
number of queries does not grow with the candidates (it grew by four a candidate: the joint
review's requests, departments and checks, and the notice's open feedback)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongxin.cases import actions, workflow

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add(case, admin, cadres):
    for cadre in cadres:
        actions.add_candidate(acting_user=admin, case=case, cadre=cadre, channel="open_nomination",
                              evidence={"recommended_on": "2026-01-20"})


def test_the_case_page_costs_the_same_for_two_candidates_or_six(client_for, admin, case, eligible):
    names = ["甲一", "乙二", "丙三", "丁四", "戊五", "己六"]
    people = [eligible(n) for n in names]
    client = client_for(admin)
    url = reverse("cases:case_detail", args=[case.pk])
    _add(case, admin, people[:2])
    _queries(client, url)   # warm: rule sets, menu
    two = _queries(client, url)
    _add(case, admin, people[2:])
    six = _queries(client, url)
    assert six == two
    candidates = list(case.candidates.select_related("cadre").order_by("id"))
    together = workflow.candidate_blockers_for(candidates)
    one_by_one = {c.pk: workflow.candidate_blockers(c) for c in candidates}
    assert together == one_by_one
    assert all(together[c.pk] for c in candidates)   # the joint review's blockers are there to compare
    assert [getattr(b, "url", "") for b in together[candidates[0].pk]] == \
        [getattr(b, "url", "") for b in one_by_one[candidates[0].pk]]
