"""One door for a case's candidate: whichever button or API appoints them (the candidate page's
任职, the cases API, the publicity form or API), there is exactly one post holding, exactly one
appointment record linked to the case's notice, and one set of ledger events; the gate refused
at one door is refused at the other; the figures that read appointments count it."""

import datetime as dt
import re

import pytest

cases_actions = pytest.importorskip("gongxin.cases.actions")
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongxin.cases.models import Case, CaseStage  # noqa: E402
from gongxin.core.errors import DomainError  # noqa: E402
from gongxin.ledger.models import Event  # noqa: E402
from gongxin.people.models import PostHolding  # noqa: E402
from gongxin.publicity import actions  # noqa: E402
from gongxin.publicity.models import Appointment, Notice  # noqa: E402

EVENTS = ("cases.candidate.appointed", "people.post_holding.started", "publicity.appointment.recorded")


@pytest.fixture(autouse=True)
def only_publicity_guards(monkeypatch):
    """The other apps' guards (decision meeting, joint review, four checks) are tested there;
    here the cases workflow runs with every publicity hook, as the publicity app registers them
    (the appointment hook is left as registered: it is what is tested)."""
    from collections import defaultdict

    from gongxin.cases import guards, workflow

    monkeypatch.setattr(workflow, "OWN_GUARDS", {})
    monkeypatch.setattr(guards, "_guards", defaultdict(list, {"appointment": [actions.case_appointment_blockers]}))
    monkeypatch.setattr(guards, "_on_enter", defaultdict(list, {"publicity": [actions.on_case_enters_publicity]}))
    monkeypatch.setattr(guards, "_candidate_blockers",
                        [actions.candidate_feedback_blockers, actions.candidate_gate_blockers])
    assert actions.on_candidate_appointed in guards.on_candidate_appointed_fns()


@pytest.fixture
def at_appointment(case_in_decision, cast, posts):
    """The case for 李庄镇党委书记 with 王五 and 张三, its notice's period over, at appointment."""
    clerk = cast["users"]["clerk"]
    case = cases_actions.advance_case(acting_user=clerk, case=case_in_decision, to_stage=CaseStage.PUBLICITY)
    notice = actions.publish_notice(acting_user=clerk, notice=Notice.objects.get(case_id=case.pk))
    Notice.objects.filter(pk=notice.pk).update(period_start=dt.date(2026, 1, 5), period_end=dt.date(2026, 1, 9))
    case = cases_actions.advance_case(acting_user=clerk, case=case, to_stage=CaseStage.APPOINTMENT)
    notice.refresh_from_db()
    cands = {c.cadre.name: c for c in case.candidates.select_related("cadre")}
    return {"case": case, "notice": notice, "clerk": clerk, "wang": cands["王五"], "zhang": cands["张三"],
            "post": posts["lizhuang_secretary"]}


def _one_of_each(cand, notice, start):
    """Exactly one holding, one appointment (on the notice, the case, the holding) and one of
    each ledger event for this appointment."""
    holdings = list(PostHolding.objects.filter(cadre=cand.cadre, post=cand.post))
    assert len(holdings) == 1 and holdings[0].start == start
    appointments = list(Appointment.objects.filter(cadre=cand.cadre))
    assert len(appointments) == 1
    a = appointments[0]
    assert (a.notice_id, a.case_id, a.holding_id, a.start) == (notice.pk, cand.case_id, holdings[0].pk, start)
    assert a.probation_end == holdings[0].probation_end
    cand.refresh_from_db()
    assert cand.status == "appointed"
    kinds = [e.kind for e in Event.objects.filter(kind__in=EVENTS).order_by("seq")]
    assert sorted(kinds) == sorted(EVENTS), kinds
    return a


def test_the_case_page_button_records_one_appointment(at_appointment):
    """The candidate page's 任职 button, posted as a browser does (CSRF token from the page)."""
    cand, notice = at_appointment["zhang"], at_appointment["notice"]
    c = Client(enforce_csrf_checks=True)
    c.force_login(at_appointment["clerk"])
    page = c.get(reverse("cases:candidate_detail", args=[cand.pk]))
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    r = c.post(reverse("cases:candidate_action", args=[cand.pk, "appoint"]), {"csrfmiddlewaretoken": token})
    assert r.status_code == 302
    a = _one_of_each(cand, notice, timezone.localdate())
    assert a.probation_status == "on_probation"  # a promotion to 正科 (R18)


def test_the_publicity_form_records_one_appointment_through_the_case(at_appointment, client_for):
    cand, notice = at_appointment["wang"], at_appointment["notice"]
    c = client_for(at_appointment["clerk"])
    r = c.post(reverse("publicity:appointment_new"), {
        "cadre": cand.cadre.pk, "post": at_appointment["post"].pk, "notice": notice.pk, "start": "2026-11-20",
        "document_number": "惠组任〔2026〕9号", "probation": ""})
    assert r.status_code == 302, r.content.decode()[:2000]
    a = _one_of_each(cand, notice, dt.date(2026, 11, 20))
    assert a.document_number == "惠组任〔2026〕9号"


def test_the_publicity_action_with_probation_chosen_by_hand_goes_through_the_case(at_appointment):
    cand, notice = at_appointment["wang"], at_appointment["notice"]
    a = actions.appoint(acting_user=at_appointment["clerk"], cadre=cand.cadre, post=at_appointment["post"],
                        start=dt.date(2026, 11, 20), notice=notice, probation=False)
    assert _one_of_each(cand, notice, dt.date(2026, 11, 20)) == a
    assert a.probation_status == "none" and a.probation_end is None


def test_the_gate_is_the_same_at_both_doors(at_appointment):
    """A notice whose period runs again (a second period ordered) and late feedback: refused at the
    case's door and at publicity's, with the same reason; nothing is written."""
    clerk, cand, notice = at_appointment["clerk"], at_appointment["zhang"], at_appointment["notice"]
    Notice.objects.filter(pk=notice.pk).update(period_end=timezone.localdate() + dt.timedelta(days=30))
    with pytest.raises(DomainError) as case_door:
        cases_actions.appoint_candidate(acting_user=clerk, candidate=cand)
    with pytest.raises(DomainError) as publicity_door:
        actions.appoint(acting_user=clerk, cadre=cand.cadre, post=cand.post, start=timezone.localdate(), notice=notice)
    assert "公示期未满" in str(case_door.value) and "公示期未满" in str(publicity_door.value)
    Notice.objects.filter(pk=notice.pk).update(period_end=dt.date(2026, 1, 9))
    entry = notice.entries.get(candidate_id=cand.pk)
    fb = actions.submit_feedback(notice=notice, entry=entry, category="conduct", text="反映张三的问题。")
    with pytest.raises(DomainError) as case_door:
        cases_actions.appoint_candidate(acting_user=clerk, candidate=cand)
    with pytest.raises(DomainError) as publicity_door:
        actions.appoint(acting_user=clerk, cadre=cand.cadre, post=cand.post, start=timezone.localdate(), notice=notice)
    assert "未办结" in str(case_door.value) and "未办结" in str(publicity_door.value)
    assert not Appointment.objects.exists() and not PostHolding.objects.filter(cadre=cand.cadre, post=cand.post).exists()
    actions.reply_feedback(acting_user=clerk, feedback=fb, reply="经核查，不属实。", resolve=True)
    cases_actions.appoint_candidate(acting_user=clerk, candidate=cand)
    _one_of_each(cand, notice, timezone.localdate())


def test_a_candidate_missing_from_the_notice_is_refused_at_the_case_door(at_appointment):
    clerk, cand, notice = at_appointment["clerk"], at_appointment["zhang"], at_appointment["notice"]
    notice.entries.filter(candidate_id=cand.pk).delete()
    with pytest.raises(DomainError) as exc:
        cases_actions.appoint_candidate(acting_user=clerk, candidate=cand)
    assert "不在该任前公示中" in str(exc.value)


def test_publicity_does_not_appoint_a_candidate_whose_case_is_not_at_appointment(at_appointment):
    """Before: the publicity form wrote a holding for a candidate whose case still sat at
    publicity, leaving the candidate active. Now the case says why not."""
    clerk, cand, notice = at_appointment["clerk"], at_appointment["zhang"], at_appointment["notice"]
    Case.objects.filter(pk=cand.case_id).update(stage=CaseStage.PUBLICITY)
    with pytest.raises(DomainError) as exc:
        actions.appoint(acting_user=clerk, cadre=cand.cadre, post=cand.post, start=timezone.localdate(), notice=notice)
    assert exc.value.code == "case.not_appointment"
    assert not Appointment.objects.exists()


def test_a_second_appointment_of_the_same_candidate_is_refused(at_appointment):
    clerk, cand, notice = at_appointment["clerk"], at_appointment["zhang"], at_appointment["notice"]
    cases_actions.appoint_candidate(acting_user=clerk, candidate=cand, start=dt.date(2026, 11, 20))
    with pytest.raises(DomainError):
        actions.appoint(acting_user=clerk, cadre=cand.cadre, post=cand.post, start=dt.date(2026, 11, 20), notice=notice)
    assert Appointment.objects.count() == 1 and PostHolding.objects.filter(cadre=cand.cadre, post=cand.post).count() == 1


def test_the_figures_count_an_appointment_made_on_the_case_page(at_appointment, cast):
    """The dashboard's promotions by channel (and the 8/13/5 figure, which classifies the same
    rows) and the annual evaluation read appointments: the case door's appointment is there."""
    from gongxin.evaluation.figures import appointments_in_year
    from gongxin.publicity.dashboard import appointed
    from gongxin.workbench.figures import Scope

    clerk, cand = at_appointment["clerk"], at_appointment["zhang"]
    start = dt.date(2026, 11, 20)
    scope = Scope(user=cast["users"]["org_admin"], year=2026)
    before = appointed(scope).count()
    cases_actions.appoint_candidate(acting_user=clerk, candidate=cand, start=start)
    rows = list(appointed(scope).filter(cadre=cand.cadre))
    assert appointed(scope).count() == before + 1
    assert [r.channel for r in rows] == ["open_nomination"]
    year = appointments_in_year(cast["county"] if "county" in cast else cand.case.org_unit, 2026)
    assert [(r["cadre"].pk, r["channel"]) for r in year if r["cadre"].pk == cand.cadre_id] == [
        (cand.cadre_id, "open_nomination")]


@pytest.mark.django_db(transaction=True)
def test_the_cases_api_over_http_records_one_appointment(live_server, at_appointment):
    """``POST /api/v1/cases/candidates/{id}/appoint`` as an integrator calls it: a live server,
    a session logged in through the login page, the CSRF header."""
    from tests.core.test_api_http import _call, _session

    cand, notice = at_appointment["zhang"], at_appointment["notice"]
    opener, cookies = _session(live_server, "clerk")
    status, body = _call(opener, f"{live_server.url}/api/v1/cases/candidates/{cand.pk}/appoint", {},
                         {"X-CSRFToken": cookies["csrftoken"]})
    assert status == 200, body
    assert body["status"] == "appointed"
    _one_of_each(cand, notice, timezone.localdate())
    status, body = _call(opener, f"{live_server.url}/api/v1/cases/candidates/{cand.pk}/appoint", {},
                         {"X-CSRFToken": cookies["csrftoken"]})
    assert status in (400, 409) and "不能任职" in body["message"]
    assert Appointment.objects.count() == 1
