"""Channels (issue 11 defect 5) and the nomination-check hook: a candidate enters a case only
through a channel its motion chose, and only if every registered check lets them."""

import json

import pytest

from gongxin.cases import actions, guards
from gongxin.cases.models import Channel
from gongxin.core.errors import DomainError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_guards_only")]


@pytest.fixture
def perf_case(cast, posts, admin):
    return actions.open_case(acting_user=admin, title="李庄镇镇长选任", org_unit=cast["lizhuang"],
                             posts=[posts["lizhuang_head"]], channels=[Channel.PERFORMANCE], motion_reason="调任")


def test_a_channel_the_motion_did_not_choose_is_refused(perf_case, admin, eligible):
    with pytest.raises(DomainError) as exc:
        actions.add_candidate(acting_user=admin, case=perf_case, cadre=eligible("甲"), channel=Channel.RESERVE_DIRECT)
    assert exc.value.code == "candidate.not_allowed"
    assert exc.value.message == "提名渠道“后备干部直接提名”不在本案件动议确定的提名渠道中（本案件：实绩备案提名）。"
    assert not perf_case.candidates.exists()
    assert actions.add_candidate(acting_user=admin, case=perf_case, cadre=eligible("乙"),
                                 channel=Channel.PERFORMANCE).channel == "performance"


def test_the_api_refuses_it_with_the_blocker(perf_case, clerk, eligible, client_for):
    r = client_for(clerk).post(f"/api/v1/cases/cases/{perf_case.pk}/candidates", json.dumps(
        {"cadre_id": eligible("甲").pk, "channel": "reserve_direct"}), content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "candidate.not_allowed"
    assert "本案件：实绩备案提名" in r.json()["message"]


def test_the_page_offers_only_the_case_channels(perf_case, clerk, client_for):
    from django.urls import reverse

    page = client_for(clerk).get(reverse("cases:candidate_add", args=[perf_case.pk])).content.decode()
    assert 'value="performance"' in page and 'value="reserve_direct"' not in page


def test_registered_nomination_checks_refuse_with_every_blocker(perf_case, admin, eligible):
    seen = []

    def not_trained(case, cadre, channel, evidence):
        seen.append((case.pk, cadre.name, channel, evidence))
        return ["不是已结业的一级后备干部", "培训班未结业"]

    guards.register_nomination_check(not_trained)
    with pytest.raises(DomainError) as exc:
        actions.add_candidate(acting_user=admin, case=perf_case, cadre=eligible("甲"), channel="performance",
                              evidence={"class": 1})
    assert exc.value.code == "candidate.not_allowed" and exc.value.message == "不是已结业的一级后备干部"
    assert exc.value.details["blockers"] == ["不是已结业的一级后备干部", "培训班未结业"]
    assert seen == [(perf_case.pk, "甲", "performance", {"class": 1})]
    guards.unregister(not_trained)
    assert actions.add_candidate(acting_user=admin, case=perf_case, cadre=eligible("乙"), channel="performance")
