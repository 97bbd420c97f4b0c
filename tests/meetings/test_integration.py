"""Meetings with the cases app: the slate enters the case's nomination at publication, the
case waits for the meeting, and list-mode voters who must recuse block the opening."""

import pytest

from gongxin.core.errors import DomainError
from gongxin.meetings import actions
from gongxin.meetings.models import MeetingMode

from .conftest import SEED, close_with_shares, open_with_shares

cases_actions = pytest.importorskip("gongxin.cases.actions")


def test_published_slate_enters_the_case(cast, posts, nominees, electors):
    admin = cast["users"]["org_admin"]
    case = cases_actions.open_case(acting_user=admin, title="李庄镇党委书记选任", org_unit=cast["lizhuang"],
                                   posts=[posts["lizhuang_secretary"]], channels=["open_nomination"],
                                   motion_reason="原党委书记调任，职位空缺。")
    case = cases_actions.advance_case(acting_user=admin, case=case, to_stage="nomination")
    meeting = actions.create_meeting(acting_user=admin, title="海选推荐会", org_unit=cast["lizhuang"], case=case)
    actions.add_post(acting_user=admin, meeting=meeting, title="李庄镇党委书记", k=1)
    actions.add_electors(acting_user=admin, meeting=meeting, cadres=electors)
    meeting, _, _shares = open_with_shares(acting_user=admin, meeting=meeting, seed=SEED)
    actions.check_in(acting_user=admin, meeting=meeting, electors=list(meeting.electors.all()))
    # the case cannot fix its candidates while the meeting is unpublished
    from gongxin.cases import workflow

    assert any("尚未公布结果" in b for b in workflow.blockers(case, "candidates"))
    codes = actions.generate_codes(acting_user=admin, meeting=meeting, count=6)
    for code, n in zip(codes, [0, 0, 1, 1, 2, 3], strict=True):
        actions.cast_ballot(code=code, selections=[[nominees[n].pk]])
    close_with_shares(acting_user=admin, meeting=meeting, slips_issued=6)
    actions.reveal_seed(acting_user=admin, meeting=meeting, seed=SEED)
    actions.publish_results(acting_user=admin, meeting=meeting)
    added = {c.cadre_id: c for c in case.candidates.all()}
    assert set(added) == {nominees[0].pk, nominees[1].pk}  # dispersed: 2 of 6 each → slate of 2
    cand = added[nominees[0].pk]
    assert cand.channel == "open_nomination"
    assert cand.evidence["meeting"] == meeting.pk and cand.evidence["votes"] == 2 and cand.evidence["share"] == "1/3"
    case.refresh_from_db()
    assert not any("尚未公布结果" in b for b in workflow.blockers(case, "candidates"))


def test_recused_elector_blocks_a_list_meeting(cast, nominees, electors):
    recusal = pytest.importorskip("gongxin.cases.recusal")
    from gongxin.people import actions as people_actions

    admin = cast["users"]["org_admin"]
    meeting = actions.create_meeting(acting_user=admin, title="名单推荐", org_unit=cast["lizhuang"], mode=MeetingMode.LIST)
    mp = actions.add_post(acting_user=admin, meeting=meeting, title="镇长", k=1)
    actions.add_list_candidate(acting_user=admin, meeting_post=mp, cadre=nominees[0])
    actions.add_electors(acting_user=admin, meeting=meeting, cadres=electors[:2])
    people_actions.add_relation(acting_user=admin, cadre=electors[0], kind="spouse", title="妻子", name=nominees[0].name,
                                related_cadre=nominees[0])
    assert recusal.must_recuse(electors[0], nominees[0])
    with pytest.raises(DomainError) as err:
        open_with_shares(acting_user=admin, meeting=meeting)
    assert any("须对候选人" in b and electors[0].name in b for b in err.value.details["blockers"])
