"""Meeting actions through the database: the whole life of a meeting, refusals, secrecy."""

import hashlib
import io
import json
import random
import subprocess
import sys

import pytest
from django.db import models as dj_models
from openpyxl import Workbook

from gongxin import recount
from gongxin.core.errors import DomainError
from gongxin.ledger.models import Event
from gongxin.meetings import actions, tally
from gongxin.meetings.models import (
    Ballot,
    BallotCode,
    CheckIn,
    CodeStatus,
    Elector,
    MeetingMode,
    MeetingStatus,
    RandomIdField,
    Receipt,
    SealedBallot,
    TellerEntry,
    random_ballot_id,
)

from .conftest import SEED, close_with_shares, open_with_shares


def ids(*cadres):
    return [c.pk for c in cadres]


def test_full_life_of_an_open_nomination_meeting(cast, open_meeting, nominees):
    clerk = cast["users"]["clerk"]
    a, b, c, d, e, f = nominees
    # given six present voters and six slips
    codes = actions.generate_codes(acting_user=clerk, meeting=open_meeting, count=6)
    assert len(set(codes)) == 6 and all(len(x) == 16 for x in codes)
    # when five vote and one slip comes back damaged
    ballots = [[ids(a), ids(b, c)], [ids(a), ids(b, d)], [ids(a), ids(b)], [ids(e), ids(c, d)], [[], ids(b, c)]]
    receipts = [actions.cast_ballot(code=code, selections=sel) for code, sel in zip(codes, ballots, strict=False)]
    actions.spoil_code(acting_user=clerk, meeting=open_meeting, code=codes[5])
    result = close_with_shares(acting_user=clerk, meeting=open_meeting, slips_issued=6)
    # then the accounting balances and the tally is exact
    assert result.accounting == {"present": 6, "issued": 6, "returned": 5, "spoiled": 1, "unreturned": 0,
                                 "balanced": True, "problems": []}
    secretary, head = result.tally["posts"]
    assert secretary["votes"] == {str(a.pk): 3, str(e.pk): 1} and secretary["blank"] == 1
    assert head["votes"][str(b.pk)] == 4
    assert result.tally["turnout"]["valid"] is True
    # the seed is checked at reveal
    with pytest.raises(DomainError) as err:
        actions.reveal_seed(acting_user=clerk, meeting=open_meeting, seed="wrong seed wrong seed")
    assert err.value.code == "meeting.seed_mismatch"
    result = actions.reveal_seed(acting_user=clerk, meeting=open_meeting, seed=SEED)
    secretary, head = result.tally["posts"]
    # a: 3 of 4 valid (one blank counts as valid: 3 of 5) → more than half: uncontested;
    # head (k = 2): b 4/5 and c 3/5 both more than half, d 2/5 behind → uncontested b, c
    assert secretary["slate"]["nominees"] == [str(a.pk)] and not secretary["slate"]["competitive"]
    assert head["slate"]["reason"] == "consensus" and head["slate"]["nominees"] == [str(b.pk), str(c.pk)]
    result = actions.publish_results(acting_user=clerk, meeting=open_meeting)
    open_meeting.refresh_from_db()
    assert open_meeting.status == MeetingStatus.PUBLISHED
    # the published receipts are the receipts handed out, sorted, and separate from the ballots
    published = bytes(result.receipts_file).decode().split()
    assert sorted(r.replace("-", "") for r in published) == sorted(receipts)
    doc = json.loads(bytes(result.ballots_file))
    assert "receipt" not in json.dumps(doc) and len(doc["ballots"]) == 5
    # and the ledger holds what the public may check, no event per ballot
    kinds = list(Event.objects.filter(subject_type="meetings.meeting", subject_id=str(open_meeting.pk))
                 .values_list("kind", flat=True))
    assert kinds.count("meetings.meeting.opened") == 1 and "meetings.meeting.closed" in kinds
    assert not any("ballot" in k for k in kinds)
    closed = Event.objects.get(kind="meetings.meeting.closed", subject_id=str(open_meeting.pk))
    assert closed.public and json.loads(bytes(closed.data))["payload"]["ballots_sha256"] == result.ballots_sha256
    published_event = Event.objects.get(kind="meetings.meeting.published", subject_id=str(open_meeting.pk))
    assert json.loads(bytes(published_event.data))["payload"]["ballots_file_sha256"] == \
        hashlib.sha256(bytes(result.ballots_file)).hexdigest()


def test_recount_tool_equals_the_system(cast, open_meeting, nominees, tmp_path):
    clerk = cast["users"]["clerk"]
    codes = actions.generate_codes(acting_user=clerk, meeting=open_meeting, count=6)
    rng = random.Random(4)
    for code in codes:
        actions.cast_ballot(code=code, selections=[ids(*rng.sample(nominees, 1)), ids(*rng.sample(nominees, 2))])
    close_with_shares(acting_user=clerk, meeting=open_meeting, slips_issued=6)
    actions.reveal_seed(acting_user=clerk, meeting=open_meeting, seed=SEED)
    result = actions.publish_results(acting_user=clerk, meeting=open_meeting)
    path = tmp_path / "ballots.json"
    path.write_bytes(bytes(result.ballots_file))
    assert recount.recount(recount.load(path.read_bytes())) == result.tally
    # and as a separate process, with nothing but the standard library on the path
    out = subprocess.run([sys.executable, "-S", "-m", "gongxin.recount", str(path)], capture_output=True, text=True,
                         env={"PYTHONPATH": str(__import__("pathlib").Path(recount.__file__).parents[1])}, check=True)
    assert hashlib.sha256(path.read_bytes()).hexdigest() in out.stdout
    assert result.ballots_sha256 in out.stdout


def test_a_code_works_once_with_a_clear_message(cast, open_meeting, nominees):
    code = actions.generate_codes(acting_user=cast["users"]["clerk"], meeting=open_meeting, count=1)[0]
    actions.cast_ballot(code=code, selections=[ids(nominees[0]), []])
    with pytest.raises(DomainError) as err:
        actions.cast_ballot(code=code.lower(), selections=[[], []])
    assert err.value.code == "ballot.code_used" and "只能使用一次" in err.value.message
    with pytest.raises(DomainError) as err:
        actions.cast_ballot(code="ABCD" * 4, selections=[[], []])
    assert err.value.code == "ballot.code_invalid"
    assert SealedBallot.objects.count() == 1 and Ballot.objects.count() == 0


def test_electronic_ballot_refuses_more_than_k_and_ineligible(cast, open_meeting, nominees, make_cadre):
    code = actions.generate_codes(acting_user=cast["users"]["clerk"], meeting=open_meeting, count=1)[0]
    with pytest.raises(DomainError) as err:
        actions.cast_ballot(code=code, selections=[ids(*nominees[:2]), []])
    assert err.value.code == "ballot.too_many" and "最多推荐 1 人" in err.value.message
    outsider = make_cadre(cast["hefang"], name="外单位")
    with pytest.raises(DomainError) as err:
        actions.cast_ballot(code=code, selections=[ids(outsider), []])
    assert err.value.code == "ballot.ineligible"
    # the code was not spent by the refused attempts
    assert BallotCode.objects.get(meeting=open_meeting).status == CodeStatus.UNUSED


def test_write_in_eligibility_uses_cases_engine_when_the_post_is_known(cast, posts, nominees, electors):
    pytest.importorskip("gongxin.cases.checks")
    clerk = cast["users"]["clerk"]
    meeting = actions.create_meeting(acting_user=clerk, title="按职位资格", org_unit=cast["lizhuang"])
    actions.add_post(acting_user=clerk, meeting=meeting, post=posts["lizhuang_secretary"], k=1)
    actions.add_electors(acting_user=clerk, meeting=meeting, cadres=electors)
    meeting, _, _shares = open_with_shares(acting_user=clerk, meeting=meeting, seed=SEED)
    code = actions.generate_codes(acting_user=clerk, meeting=meeting, count=1)[0]
    with pytest.raises(DomainError) as err:  # no grassroots years in the resume: R1 fails
        actions.cast_ballot(code=code, selections=[ids(nominees[0])])
    assert err.value.code == "ballot.ineligible" and "基层" in err.value.message


def test_close_is_blocked_until_the_accounting_balances(cast, open_meeting, nominees):
    clerk = cast["users"]["clerk"]
    actions.generate_codes(acting_user=clerk, meeting=open_meeting, count=6)
    with pytest.raises(DomainError) as err:
        close_with_shares(acting_user=clerk, meeting=open_meeting, slips_issued=7)
    assert err.value.code == "meeting.close_blocked"
    assert any("实到人数（6）与发出选票数（7）不一致" in b for b in err.value.details["blockers"])


def test_paper_ballots_two_tellers_must_agree(cast, open_meeting, nominees):
    clerk, admin = cast["users"]["clerk"], cast["users"]["org_admin"]
    a, b, c = nominees[:3]
    actions.enter_paper_ballot(acting_user=clerk, meeting=open_meeting, teller=1, pile_no=1, selections=[ids(a), ids(b)])
    with pytest.raises(DomainError) as err:  # the same person cannot be both tellers
        actions.enter_paper_ballot(acting_user=clerk, meeting=open_meeting, teller=2, pile_no=1,
                                   selections=[ids(a), ids(b)])
    assert err.value.code == "teller.same_person"
    actions.enter_paper_ballot(acting_user=admin, meeting=open_meeting, teller=2, pile_no=1, selections=[ids(a), ids(c)])
    # over-k on paper is kept as written; the tally voids that part
    for teller, user in ((1, clerk), (2, admin)):
        actions.enter_paper_ballot(acting_user=user, meeting=open_meeting, teller=teller, pile_no=2,
                                   selections=[ids(a, b), ids(c)])
    # while the box is sealed only the numbers of entries compare; the contents at opening
    comparison = actions.paper_comparison(open_meeting)
    assert comparison["sealed"] and comparison["paired"] == 2 and comparison["mismatches"] == []
    assert TellerEntry.objects.filter(meeting=open_meeting, contents="").count() == 4  # sealed, not readable
    with pytest.raises(DomainError) as err:
        close_with_shares(acting_user=clerk, meeting=open_meeting, slips_issued=6)
    assert "不一致" in err.value.details["blockers"][0]
    assert [m["pile_no"] for m in err.value.details["mismatches"]] == [1]
    assert "选票序号：1" in err.value.details["blockers"][-1]
    open_meeting.refresh_from_db()
    assert open_meeting.status == MeetingStatus.OPEN  # nothing changed: the box is still sealed
    # teller 2 re-keys ballot 1 correctly: now they agree
    actions.enter_paper_ballot(acting_user=admin, meeting=open_meeting, teller=2, pile_no=1, selections=[ids(a), ids(b)])
    result = close_with_shares(acting_user=clerk, meeting=open_meeting, slips_issued=6, paper_spoiled=0)
    secretary = result.tally["posts"][0]
    assert secretary["invalid"] == 1 and secretary["votes"] == {str(a.pk): 1}
    assert result.accounting["returned"] == 2 and result.accounting["unreturned"] == 4


def test_list_mode_only_counts_listed_candidates(cast, posts, nominees, electors):
    clerk = cast["users"]["clerk"]
    meeting = actions.create_meeting(acting_user=clerk, title="名单推荐", org_unit=cast["lizhuang"], mode=MeetingMode.LIST)
    mp = actions.add_post(acting_user=clerk, meeting=meeting, title="李庄镇镇长", k=1)
    actions.add_electors(acting_user=clerk, meeting=meeting, cadres=electors[:3])
    with pytest.raises(DomainError) as err:
        open_with_shares(acting_user=clerk, meeting=meeting)
    assert "还没有候选人" in err.value.details["blockers"][0]
    for n in nominees[:2]:
        actions.add_list_candidate(acting_user=clerk, meeting_post=mp, cadre=n)
    meeting, seed, _shares = open_with_shares(acting_user=clerk, meeting=meeting)
    assert len(seed) == 32 and meeting.seed_hash == tally.seed_hash(seed) and not meeting.seed
    code = actions.generate_codes(acting_user=clerk, meeting=meeting, count=1)[0]
    with pytest.raises(DomainError) as err:
        actions.cast_ballot(code=code, selections=[ids(nominees[3])])
    assert err.value.code == "ballot.not_candidate"


def test_turnout_below_two_thirds_gives_no_slate(cast, draft_meeting, nominees):
    clerk = cast["users"]["clerk"]
    meeting, _, _shares = open_with_shares(acting_user=clerk, meeting=draft_meeting, seed=SEED)
    electors = list(meeting.electors.all())
    actions.check_in(acting_user=clerk, meeting=meeting, electors=electors[:3])  # 3 of 6 < 2/3
    code = actions.generate_codes(acting_user=clerk, meeting=meeting, count=3)[0]
    actions.cast_ballot(code=code, selections=[ids(nominees[0]), []])
    close_with_shares(acting_user=clerk, meeting=meeting, slips_issued=3)
    result = actions.reveal_seed(acting_user=clerk, meeting=meeting, seed=SEED)
    assert result.tally["valid"] is False and result.tally["posts"][0]["slate"] is None


def test_exactly_two_thirds_turnout_is_valid(cast, draft_meeting):
    clerk = cast["users"]["clerk"]
    meeting, _, _shares = open_with_shares(acting_user=clerk, meeting=draft_meeting, seed=SEED)
    actions.check_in(acting_user=clerk, meeting=meeting, electors=list(meeting.electors.all())[:4])  # 4 of 6
    result = close_with_shares(acting_user=clerk, meeting=meeting, slips_issued=4)
    assert result.tally["turnout"] == {"expected": 6, "present": 4, "ratio": "2/3", "required": "2/3",
                                       "inclusive": True, "valid": True}


def test_edits_refused_once_open_and_rules_frozen(cast, open_meeting):
    clerk = cast["users"]["clerk"]
    with pytest.raises(DomainError) as err:
        actions.update_meeting(acting_user=clerk, meeting=open_meeting, rules={"turnout": "1/2"})
    assert err.value.status == 409
    opened = Event.objects.get(kind="meetings.meeting.opened", subject_id=str(open_meeting.pk))
    payload = json.loads(bytes(opened.data))["payload"]
    assert payload["rules"]["turnout"] == "2/3" and payload["seed_hash"] == tally.seed_hash(SEED)
    assert opened.public


def test_bad_rules_are_refused_in_chinese(cast, draft_meeting):
    with pytest.raises(DomainError) as err:
        actions.update_meeting(acting_user=cast["users"]["clerk"], meeting=draft_meeting, rules={"turnout": "abc"})
    assert err.value.code == "meeting.bad_rules"


def test_meeting_outside_the_clerks_scope_is_refused(cast):
    with pytest.raises(DomainError) as err:
        actions.create_meeting(acting_user=cast["users"]["clerk"], title="x", org_unit=cast["hefang"])
    assert err.value.status == 403


def test_import_electorate_from_excel(cast, draft_meeting, make_cadre):
    from gongxin.people.models import Cadre

    clerk = cast["users"]["clerk"]
    extra = make_cadre(cast["lizhuang"], name="冯八")
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "身份证号"])
    ws.append([1, "冯八", extra.id_number])
    ws.append([2, "王五", None])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    added = actions.import_electors(acting_user=clerk, meeting=draft_meeting, file=buf, cadres_qs=Cadre.objects.all())
    assert added == 2
    ws.append([3, "查无此人", None])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    with pytest.raises(DomainError) as err:
        actions.import_electors(acting_user=clerk, meeting=draft_meeting, file=buf, cadres_qs=Cadre.objects.all())
    assert "第 4 行" in err.value.details["errors"][0]


def test_storage_is_rewritten_in_shuffled_order_at_close(cast, open_meeting, nominees):
    clerk = cast["users"]["clerk"]
    codes = actions.generate_codes(acting_user=clerk, meeting=open_meeting, count=6)
    for code, n in zip(codes, nominees, strict=True):
        actions.cast_ballot(code=code, selections=[ids(n), []])
    before = set(Ballot.objects.values_list("id", flat=True))
    result = close_with_shares(acting_user=clerk, meeting=open_meeting, slips_issued=6)
    after = set(Ballot.objects.values_list("id", flat=True))
    assert not before & after and len(after) == 6  # every ballot got a new random id
    assert sorted(actions.stored_ballots(result)) == sorted(Ballot.objects.values_list("contents", flat=True))


# ---- the schema holds no link between voters and ballots ----------------------------------

VOTER_SIDE = {CheckIn, Elector}
BALLOT_SIDE = {Ballot, BallotCode, Receipt, SealedBallot}


def test_schema_has_no_link_between_check_ins_and_ballots():
    from django.apps import apps

    for model in apps.get_models():
        relations = {f.related_model for f in model._meta.get_fields() if f.is_relation and f.related_model}
        forward = {f.related_model for f in model._meta.get_fields()
                   if f.is_relation and f.related_model and (f.concrete or f.many_to_many)}
        if model in BALLOT_SIDE:
            assert not relations & VOTER_SIDE, f"{model.__name__} links to a voter"
            assert not any(getattr(r, "_meta", None) and r._meta.label in ("people.Cadre", "accounts.User")
                           for r in relations), f"{model.__name__} links to a person"
        if model in VOTER_SIDE:
            assert not relations & BALLOT_SIDE, f"{model.__name__} links to a ballot"
        if model not in BALLOT_SIDE | VOTER_SIDE:  # no third table joins the two sides
            assert not (forward & VOTER_SIDE and forward & BALLOT_SIDE), f"{model.__name__} joins both sides"
    for model in (Ballot, Receipt, BallotCode, CheckIn, SealedBallot):
        for f in model._meta.get_fields():
            if f.concrete:
                assert not isinstance(f, (dj_models.DateTimeField, dj_models.DateField, dj_models.TimeField)), \
                    f"{model.__name__}.{f.name} keeps a time"
    for model in (Ballot, Receipt, BallotCode, SealedBallot):
        pk = model._meta.pk
        assert isinstance(pk, dj_models.UUIDField | RandomIdField), f"{model.__name__} id is not random"
        assert not isinstance(pk, dj_models.AutoField)
        assert not any(isinstance(f, dj_models.AutoField | dj_models.BigAutoField) for f in model._meta.concrete_fields)
    # and nothing on a ballot is a sequence or an order
    assert {f.name for f in Ballot._meta.concrete_fields} == {"id", "meeting", "contents"}
    assert {f.name for f in SealedBallot._meta.concrete_fields} == {"id", "meeting", "box"}
    ids = {random_ballot_id() for _ in range(1000)}
    assert len(ids) == 1000 and max(ids) > 2**60  # 62 random bits, not a counter
