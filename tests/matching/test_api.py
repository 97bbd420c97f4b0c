"""The API: same actions and scope as the pages; errors carry the code and the Chinese message."""

import json

from gongxin.matching.models import RoundStatus

from .conftest import section_of


def _json(response):
    return json.loads(response.content)


def test_rank_close_and_read_through_the_api(open_round, unit, client_for):
    staff = client_for(unit["accounts"]["钱二"])
    sec = section_of(open_round, unit["sections"]["编研科"])
    url = f"/api/v1/matching/rounds/{open_round.pk}/my-ranking"
    bad = staff.put(url, json.dumps({"ranking": [sec.pk, sec.pk]}), content_type="application/json")
    assert bad.status_code == 400 and _json(bad)["code"] == "matching.ranking.tie" and "并列" in _json(bad)["message"]
    ok = staff.put(url, json.dumps({"ranking": [sec.pk]}), content_type="application/json")
    assert ok.status_code == 200 and _json(ok)["ranking"] == [sec.pk]
    head = client_for(unit["heads"]["办公室"])
    other = f"/api/v1/matching/rounds/{open_round.pk}/sections/{sec.pk}/ranking"
    assert head.put(other, json.dumps({"ranking": []}), content_type="application/json").status_code == 404
    clerk = client_for(unit["clerk"])
    assert clerk.post(f"/api/v1/matching/rounds/{open_round.pk}/close").status_code == 200
    again = clerk.post(f"/api/v1/matching/rounds/{open_round.pk}/close")
    assert again.status_code == 409 and "不能重复结束" in _json(again)["message"]
    detail = _json(clerk.get(f"/api/v1/matching/rounds/{open_round.pk}"))
    assert detail["certificate"]["stable"] is True and detail["status"] == RoundStatus.CLOSED
    assert _json(staff.get(f"/api/v1/matching/rounds/{open_round.pk}/my-result"))["outcome"] == "pending"
    clerk.post(f"/api/v1/matching/rounds/{open_round.pk}/publish")
    mine = _json(staff.get(f"/api/v1/matching/rounds/{open_round.pk}/my-result"))
    # the section ranked nobody: unmatched, and told why
    assert mine["section"] is None and mine["why_not"] == ["科室 编研科 未将你列入排序"]
