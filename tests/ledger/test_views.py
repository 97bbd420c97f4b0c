"""Staff ledger browser and the public inclusion check (no login, no JavaScript)."""

import json

import pytest
from django.db import transaction

from gongxin.ledger import merkle
from gongxin.ledger.checkpoints import sign_checkpoint
from gongxin.ledger.models import Event
from gongxin.ledger.recording import record_event

SECRET = "考察谈话：某某同志反映的问题"


def _record(kind, payload, public=False, actor=None, subject=("tests.thing", 1)):
    with transaction.atomic():
        return record_event(kind=kind, subject=subject, actor=actor, payload=payload, public=public)


@pytest.fixture
def ledger(cast):
    admin = cast["users"]["org_admin"]
    private = _record("inspection.interview.recorded", {"summary": SECRET}, actor=admin)
    published = _record("publicity.notice.published", {"title": "任前公示", "names": ["张三"]}, public=True,
                        actor=admin, subject=("publicity.notice", 7))
    cp = sign_checkpoint(reason="test")
    return {"private": private, "published": published, "checkpoint": cp}


@pytest.mark.django_db
def test_ledger_browser_lists_and_filters(cast, ledger, client_for, django_assert_max_num_queries):
    """Kinds shown in words (issue 19): 发布任前公示 is publicity.notice.published, 考察谈话 is
    inspection.interview.recorded; the filters are chosen from those words."""
    c = client_for(cast["users"]["org_admin"])
    with django_assert_max_num_queries(14):
        r = c.get("/ledger/")
    assert r.status_code == 200
    table = _table(r)
    assert "考察谈话" in table and "发布任前公示" in table and "publicity.notice.published" not in table
    r = c.get("/ledger/", {"kind": "publicity", "subject_type": "publicity.notice", "subject_id": 7})
    table = _table(r)
    assert "发布任前公示" in table and "考察谈话" not in table
    r = c.get("/ledger/", {"kind": "people"})
    assert "发布任前公示" not in _table(r)
    r = c.get("/ledger/", {"actor": "nobody"})
    assert "发布任前公示" not in _table(r)


def _table(response) -> str:
    return response.content.decode().split('id="event-table"', 1)[1].split("</table>", 1)[0]


@pytest.mark.django_db
def test_event_detail_shows_data_hash_and_verified_proof(cast, ledger, client_for):
    e = ledger["private"]
    r = client_for(cast["users"]["org_admin"]).get(f"/ledger/events/{e.seq}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert SECRET in html and bytes(e.leaf_hash).hex() in html
    assert "已验证" in html


@pytest.mark.django_db
def test_no_capability_is_403_and_narrow_scope_sees_only_public_or_own(cast, ledger, client_for):
    assert client_for(cast["users"]["voter"]).get("/ledger/").status_code == 403
    assert client_for(None).get("/ledger/").status_code == 302  # to the login page
    clerk = client_for(cast["users"]["clerk"])  # ledger.view, but only a township's scope
    table = _table(clerk.get("/ledger/"))
    assert "发布任前公示" in table and "考察谈话" not in table
    assert clerk.get(f"/ledger/events/{ledger['private'].seq}/").status_code == 404


@pytest.mark.django_db
def test_public_page_shows_checkpoint_and_key_without_login(cast, ledger, client_for):
    r = client_for(None).get("/public/ledger/")
    html = r.content.decode()
    assert r.status_code == 200
    assert ledger["checkpoint"].note.split("\n")[2] in html
    assert "gongxin-ledger+" in html
    assert "<script" not in html.split("</head>")[1]  # works without JavaScript
    txt = client_for(None).get("/public/ledger/checkpoint.txt")
    assert txt.content.decode() == ledger["checkpoint"].note


@pytest.mark.django_db
def test_public_inclusion_by_number_never_reveals_a_private_payload(cast, ledger, client_for):
    c = client_for(None)
    e = ledger["private"]
    html = c.get("/public/ledger/", {"q": str(e.seq)}).content.decode()
    assert "已验证" in html and bytes(e.leaf_hash).hex() in html
    assert SECRET not in html and "inspection.interview" not in html
    html = c.get("/public/ledger/", {"q": str(ledger["published"].seq)}).content.decode()
    assert "任前公示" in html and "已验证" in html


@pytest.mark.django_db
def test_public_inclusion_by_leaf_hash_and_bad_queries(cast, ledger, client_for):
    c = client_for(None)
    leaf = bytes(ledger["published"].leaf_hash)
    html = c.get("/public/ledger/", {"q": leaf.hex()}).content.decode()
    assert f"#{ledger['published'].seq}" in html and "已验证" in html
    r = c.get("/public/ledger/", {"q": "ab" * 32})
    assert r.status_code == 404 and "没有这个叶哈希" in r.content.decode()
    r = c.get("/public/ledger/", {"q": "not a hash"})
    assert "叶哈希" in r.content.decode()


@pytest.mark.django_db
def test_an_event_after_the_latest_checkpoint_waits_for_the_next(cast, ledger, client_for):
    later = _record("tests.thing.done", {}, public=True)
    html = client_for(None).get("/public/ledger/", {"q": str(later.seq)}).content.decode()
    assert "未验证" in html and "下一个检查点" in html


@pytest.mark.django_db
def test_public_bundle_download_has_only_public_payloads(cast, ledger, client_for):
    r = client_for(None).get("/public/ledger/bundle.jsonl")
    body = b"".join(r.streaming_content).decode()
    assert SECRET not in body and "任前公示" in body
    lines = [json.loads(x) for x in body.splitlines()]
    assert lines[0]["type"] == "header" and lines[-1] == {"type": "end", "events": Event.objects.count()}


@pytest.mark.django_db
def test_public_bundle_downloads_are_limited_per_address(cast, ledger):
    """The bundle is the whole ledger each time: twenty downloads per address per ten
    minutes, then a 429 that says when to come back; another address is not held up."""
    from django.test import Client

    from gongxin.ledger.public_views import BUNDLE_DOWNLOADS

    busy, other = Client(REMOTE_ADDR="203.0.113.20"), Client(REMOTE_ADDR="203.0.113.21")
    codes = [busy.get("/public/ledger/bundle.jsonl").status_code for _ in range(BUNDLE_DOWNLOADS + 1)]
    assert codes == [200] * BUNDLE_DOWNLOADS + [429]
    refused = busy.get("/public/ledger/bundle.jsonl")
    assert refused["Retry-After"] == "600" and "请 10 分钟后再试" in refused.content.decode()
    assert other.get("/public/ledger/bundle.jsonl").status_code == 200


@pytest.mark.django_db
def test_api_events_staff_only_and_proofs_public(cast, ledger, client_for):
    admin = client_for(cast["users"]["org_admin"])
    r = admin.get("/api/v1/ledger/events", {"kind": "publicity"})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1 and body["items"][0]["seq"] == ledger["published"].seq
    assert admin.get(f"/api/v1/ledger/events/{ledger['private'].seq}").json()["data"].find(SECRET) > 0
    assert client_for(cast["users"]["voter"]).get("/api/v1/ledger/events").status_code == 403
    public = client_for(None)
    assert public.get("/api/v1/ledger/events").status_code == 401
    cp = public.get("/api/v1/ledger/checkpoints/latest").json()
    assert cp["size"] == ledger["checkpoint"].size and cp["note"] == ledger["checkpoint"].note
    listed = public.get("/api/v1/ledger/checkpoints").json()
    assert listed["count"] == 1 and listed["items"][0]["note"] == cp["note"]
    proof = public.get("/api/v1/ledger/proofs/inclusion", {"seq": ledger["private"].seq}).json()
    assert proof["verified"] and proof["data"] is None and proof["tree_size"] == cp["size"]
    import base64

    assert merkle.verify_inclusion(proof["seq"], proof["tree_size"], bytes.fromhex(proof["leaf_hash"]),
                                   [base64.b64decode(p) for p in proof["path"]], base64.b64decode(cp["root"]))
    by_hash = public.get("/api/v1/ledger/proofs/inclusion", {"leaf_hash": proof["leaf_hash"]}).json()
    assert by_hash["seq"] == proof["seq"]
    _record("tests.thing.done", {})
    cons = public.get("/api/v1/ledger/proofs/consistency", {"first": cp["size"]}).json()
    assert cons["verified"] and cons["first_root"] == cp["root"]
    assert public.get("/api/v1/ledger/proofs/consistency", {"first": 10**6}).status_code in (400, 404)
    assert public.get("/api/v1/ledger/proofs/inclusion", {"seq": 10**6}).status_code == 404


@pytest.mark.django_db
def test_date_filter_and_bad_dates(cast, ledger, client_for):
    c = client_for(cast["users"]["org_admin"])
    from django.utils import timezone

    today = timezone.localdate(ledger["published"].recorded_at)  # dates are the office's local dates
    assert "发布任前公示" in _table(c.get("/ledger/", {"date_from": today.isoformat(), "date_to": today.isoformat()}))
    assert "发布任前公示" not in _table(c.get("/ledger/", {"date_to": "2000-01-01"}))
    assert c.get("/ledger/", {"date_from": "not-a-date"}).status_code == 200  # the form shows the error
