"""C2SP tlog-cosignature (Ed25519, v1) and the witness's check, without HTTP or Django."""

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gongxin.ledger import cosign, merkle, note
from gongxin.witness import LogConfig, Refused, Witness, parse_request, request_body

# The example checkpoint of C2SP tlog-cosignature: a log signature and a cosignature by witness.example.com/w1.
SPEC_EXAMPLE = (
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
    "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
)


def test_the_specs_example_parses_as_a_checkpoint_with_a_timestamped_cosignature():
    cp = note.parse(SPEC_EXAMPLE)
    assert (cp.origin, cp.size) == ("example.com/behind-the-sofa", 20852163)
    witness_line = SPEC_EXAMPLE.splitlines()[-1]
    cosig = cosign.decode(*cosign.parse_line(witness_line))
    # the spec's signed-message example shows "time 1679315147" for this very cosignature
    assert cosig.name == "witness.example.com/w1" and cosig.timestamp == 1679315147
    assert cosig.key_id.hex() == "8d66cf3f" and len(cosig.signature) == 64
    assert cosig.line == witness_line + "\n"  # re-encodes byte for byte
    # the spec's signed message for it
    assert cosign.message(cp.body, 1679315147) == (
        b"cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
        b"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")


def test_key_id_uses_signature_type_4_and_a_vkey_round_trips():
    key = Ed25519PrivateKey.generate()
    public = note.public_key_bytes(key)
    assert cosign.key_id("w", public) == hashlib.sha256(b"w\n\x04" + public).digest()[:4]
    assert cosign.key_id("w", public) != note.key_id("w", public)  # 0x01: the log's own signatures
    vkey = cosign.verifier_key("jw.example/witness", public)
    parsed = cosign.parse_verifier_key(vkey)
    assert (parsed.name, parsed.public_key) == ("jw.example/witness", public)
    with pytest.raises(cosign.CosignatureError):
        cosign.parse_verifier_key(note.verifier_key("jw.example/witness", public))  # a log key is not a witness key


def test_a_cosignature_verifies_only_on_its_own_body_and_key():
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    log = Ed25519PrivateKey.generate()
    text = note.sign(note.checkpoint_body("o.example/log", 3, b"\x01" * 32), "log", log)
    wkey = cosign.WitnessKey("w1", note.public_key_bytes(key))
    line = cosign.sign(note.parse(text).body, "w1", key, 1_800_000_000).line
    signed = cosign.with_lines(text, [line])
    assert cosign.find(signed, wkey).timestamp == 1_800_000_000
    assert note.verify(signed, "log", note.public_key_bytes(log)).size == 3  # the log's signature still checks
    forged = note.sign(note.checkpoint_body("o.example/log", 3, b"\x02" * 32), "log", log)
    assert cosign.find(cosign.with_lines(forged, [line]), wkey) is None  # copied onto another root: worthless
    impostor = cosign.WitnessKey("w1", note.public_key_bytes(other))
    assert cosign.find(signed, impostor) is None


# --- the witness's check -------------------------------------------------------------------


ORIGIN = "test.gongxin.example/ledger"


@pytest.fixture
def log_key():
    return Ed25519PrivateKey.generate()


@pytest.fixture
def witness(tmp_path, log_key):
    return Witness("w.example/1", Ed25519PrivateKey.generate(), tmp_path / "state.json",
                   [LogConfig(ORIGIN, [("log", note.public_key_bytes(log_key))])], clock=lambda: 1_800_000_000)


def _leaves(tag: str, n: int) -> list[bytes]:
    return [merkle.leaf_hash(f"{tag}{i}".encode()) for i in range(n)]


def _checkpoint(key, tree: merkle.MemoryTree, size: int, origin=ORIGIN) -> str:
    return note.sign(note.checkpoint_body(origin, size, tree.root(size)), "log", key)


def test_the_witness_cosigns_a_growing_ledger_and_refuses_a_fork(witness, log_key):
    honest = merkle.MemoryTree(_leaves("e", 40))
    wkey = cosign.parse_verifier_key(witness.verifier_key)
    first = _checkpoint(log_key, honest, 10)
    line = witness.add_checkpoint(0, [], first)
    assert cosign.find(cosign.with_lines(first, [line]), wkey) is not None
    second = _checkpoint(log_key, honest, 25)
    witness.add_checkpoint(10, honest.consistency_proof(10, 25), second)
    assert witness.last(ORIGIN)["size"] == 25

    # another history, signed with the same log key: events 0..19 alike, then different
    fork = merkle.MemoryTree(_leaves("e", 20) + _leaves("x", 20))
    with pytest.raises(Refused) as same_size:
        witness.add_checkpoint(25, [], _checkpoint(log_key, fork, 25))
    assert same_size.value.status == 422 and "fork" in same_size.value.message
    with pytest.raises(Refused) as larger:
        witness.add_checkpoint(25, fork.consistency_proof(25, 40), _checkpoint(log_key, fork, 40))
    assert larger.value.status == 422
    with pytest.raises(Refused) as rollback:  # the witness's last size is 25: anything else is a conflict
        witness.add_checkpoint(10, fork.consistency_proof(10, 40), _checkpoint(log_key, fork, 40))
    assert rollback.value.status == 409 and rollback.value.body == "25\n"
    assert witness.last(ORIGIN)["size"] == 25  # nothing refused changed its state
    evidence = (witness.state_path.parent / "state.json.evidence.jsonl").read_text().splitlines()
    assert len(evidence) == 2
    # the honest ledger goes on
    witness.add_checkpoint(25, honest.consistency_proof(25, 40), _checkpoint(log_key, honest, 40))
    assert witness.last(ORIGIN)["size"] == 40


def test_the_witness_answers_with_c2sp_status_codes(witness, log_key):
    tree = merkle.MemoryTree(_leaves("e", 5))
    stranger = Ed25519PrivateKey.generate()
    with pytest.raises(Refused) as unknown:
        witness.add_checkpoint(0, [], _checkpoint(log_key, tree, 5, origin="other.example/log"))
    assert unknown.value.status == 404
    with pytest.raises(Refused) as unsigned:
        witness.add_checkpoint(0, [], _checkpoint(stranger, tree, 5))
    assert unsigned.value.status == 403
    with pytest.raises(Refused) as backwards:
        witness.add_checkpoint(6, [], _checkpoint(log_key, tree, 5))
    assert backwards.value.status == 400
    with pytest.raises(Refused) as empty:
        witness.add_checkpoint(0, [], note.sign(note.checkpoint_body(ORIGIN, 0, b"\x07" * 32), "log", log_key))
    assert empty.value.status == 422
    with pytest.raises(Refused) as proof_for_nothing:
        witness.add_checkpoint(0, [b"\x00" * 32], _checkpoint(log_key, tree, 5))
    assert proof_for_nothing.value.status == 422


def test_the_request_body_round_trips_and_bad_bodies_are_400():
    proof = [b"\x01" * 32, b"\x02" * 32]
    body = request_body(7, proof, "o\n9\n" + base64.b64encode(b"\x03" * 32).decode() + "\n\n— k x\n")
    assert body.startswith(b"old 7\nAQEB") and parse_request(body)[:2] == (7, proof)
    for bad in (b"old 07\n\nx", b"new 1\n\nx", b"old 1\nnot-base64!\n\nx", b"old 1\nAAAA\n\nx", b"\xff"):
        with pytest.raises(Refused) as exc:
            parse_request(bad)
        assert exc.value.status == 400


def test_a_badly_configured_witness_stops_the_server_with_a_message(settings):
    from gongxin.ledger.checks import witnesses_configured_well

    good = cosign.verifier_key("w.example/1", note.public_key_bytes(Ed25519PrivateKey.generate()))
    settings.LEDGER_WITNESSES = [(good, "http://127.0.0.1:8117")]
    assert witnesses_configured_well() == []
    settings.LEDGER_WITNESSES = [(good[:-3] + "AAA", "http://x"), (good, "ftp://x"), ("only-one",)]
    assert [e.id for e in witnesses_configured_well()] == ["ledger.E002"] * 3


@pytest.mark.django_db
def test_the_worker_asks_the_witnesses_every_minute_and_a_witness_that_is_down_is_recorded(settings):
    import socket

    from django.db import transaction

    from gongxin.ledger import witnesses
    from gongxin.ledger.checkpoints import sign_checkpoint
    from gongxin.ledger.models import WitnessRefusal
    from gongxin.ledger.recording import record_event

    assert "gongxin.ledger.witnesses.collect_due" in settings.GONGXIN_PERIODIC
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    vkey = cosign.verifier_key("down.example/w", note.public_key_bytes(Ed25519PrivateKey.generate()))
    settings.LEDGER_WITNESSES = [(vkey, f"http://127.0.0.1:{port}")]
    witnesses.collect_due()  # no checkpoint yet: nothing to ask, nothing raised
    with transaction.atomic():
        record_event(kind="tests.notice.published", subject=("tests.notice", 1), actor=None, payload={}, public=True)
    cp = sign_checkpoint(reason="test")
    witnesses.collect_due()
    witnesses.collect_due()  # asked again a minute later: still down, still one row
    refusal = WitnessRefusal.objects.get(checkpoint=cp)
    assert refusal.status == 0 and "unreachable" in refusal.message
    assert witnesses.status(cp)["signed"] == 0 and witnesses.status(cp)["total"] == 1
