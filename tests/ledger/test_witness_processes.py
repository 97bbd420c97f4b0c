"""Two witnesses as separate processes over loopback HTTP (``python -m gongxin.witness serve``):
the product collects their cosignatures and publishes them; then the ledger is forked — a second
history signed with the product's own key — and the witnesses refuse it, and the offline verifier
with a witness quorum rejects it while the key alone would not."""

import base64
import io
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from gongxin.ledger import cosign, keys, merkle, note, witnesses
from gongxin.ledger.bundle import write_bundle
from gongxin.ledger.canonical import canonical_json
from gongxin.ledger.checkpoints import sign_checkpoint
from gongxin.ledger.models import Cosignature, WitnessRefusal
from gongxin.ledger.recording import record_event
from gongxin.witness import request_body

ROOT = Path(__file__).resolve().parents[2]


def _free_ports(n: int) -> tuple[int, ...]:
    """Ports nobody listens on now, chosen by the system: parallel test workers (pytest-xdist) and
    other checkouts on the same machine each get their own, where fixed numbers would collide."""
    import socket

    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return tuple(s.getsockname()[1] for s in sockets)
    finally:
        for s in sockets:
            s.close()


PORTS = _free_ports(2)  # this process's witness ports
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _record(n, start=0):
    for i in range(start, start + n):
        with transaction.atomic():
            record_event(kind="tests.notice.published", subject=("tests.notice", i), actor=None,
                         payload={"title": f"公告 {i}"}, public=True)


class WitnessProcess:
    def __init__(self, tmp_path: Path, name: str, port: int):
        tmp_path.mkdir(parents=True, exist_ok=True)
        self.name, self.port = name, port
        self.key_file = tmp_path / f"{port}.key"
        self.state = tmp_path / f"{port}.json"
        keygen = subprocess.run([sys.executable, "-m", "gongxin.witness", "keygen", "--name", name,
                                 "--key", str(self.key_file)], env=ENV, capture_output=True, text=True, check=True)
        self.vkey = keygen.stdout.strip()
        self.proc = None

    def start(self, state: Path | None = None):
        self.state = state or self.state
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gongxin.witness", "serve", "--name", self.name, "--key", str(self.key_file),
             "--state", str(self.state), "--origin", keys.origin(), "--log-key", keys.verifier_key(),
             "--listen", f"127.0.0.1:{self.port}"],
            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = self.proc.stdout.readline()
        assert "listening" in first, (first, self.proc.stderr.read() if self.proc.poll() is not None else "")
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def post(self, body: bytes) -> tuple[int, str]:
        req = urllib.request.Request(self.url + "/add-checkpoint", data=body, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture
def two_witnesses(tmp_path, settings):
    _record(1)  # the ledger declares its key and origin: the witnesses are configured with them
    sign_checkpoint(reason="start")
    ws = [WitnessProcess(tmp_path, f"w{i + 1}.example/witness", port) for i, port in enumerate(PORTS)]
    try:
        for w in ws:
            w.start()
        settings.LEDGER_WITNESSES = [(w.vkey, w.url) for w in ws]
        yield ws
    finally:
        for w in ws:
            w.stop()


def _verify(*args):
    return subprocess.run([sys.executable, "-m", "gongxin.verify", *map(str, args)], env=ENV, capture_output=True,
                          text=True, timeout=120)


def _fork(bundle: Path, out: Path, *, at: int) -> dict:
    """The same ledger with event ``at`` rewritten, every checkpoint from there re-signed with the
    product's own key (its witnesses' old cosignature lines copied along, for what they are worth)."""
    rows = [json.loads(line) for line in bundle.read_text(encoding="utf-8").splitlines()]
    events = [r for r in rows if r["type"] == "event"]
    envelope = json.loads(events[at]["data"])
    envelope["payload"]["title"] = "改写过的公告"
    data = canonical_json(envelope)
    events[at]["data"] = data.decode()
    events[at]["leaf_hash"] = merkle.leaf_hash(data).hex()
    tree = merkle.MemoryTree(bytes.fromhex(e["leaf_hash"]) for e in events)
    private, current = keys.signing_key(), keys.current()
    forged = {}
    for r in rows:
        if r["type"] == "checkpoint":
            cp = note.parse(r["note"])
            if cp.size > at:
                text = note.sign(note.checkpoint_body(cp.origin, cp.size, tree.root(cp.size)), current.name, private)
                copied = [ln for ln in r["note"].split("\n\n", 1)[1].splitlines(keepends=True) if current.name not in ln]
                r["note"] = cosign.with_lines(text, copied)
                forged[cp.size] = text
    out.write_text("".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in rows),
                   encoding="utf-8")
    return forged


@pytest.mark.django_db
def test_witnesses_cosign_the_ledger_and_refuse_a_fork(two_witnesses, tmp_path, client, django_user_model):
    w1, w2 = two_witnesses
    _record(20, start=1)
    cp1 = sign_checkpoint(reason="first")
    assert all(o.ok for o in witnesses.collect()), [o.message for o in witnesses.collect()]
    _record(10, start=21)
    cp2 = sign_checkpoint(reason="second")
    outcomes = witnesses.collect()
    assert [o.ok for o in outcomes] == [True, True]
    assert Cosignature.objects.filter(checkpoint=cp2).count() == 2
    assert witnesses.collect() == []  # nothing left to ask
    out = io.StringIO()
    call_command("ledger", "witness", stdout=out)  # on demand: the office asks now
    assert f"checkpoint {cp2.size} witnessed by 2 of 2" in out.getvalue()
    assert json.loads(w1.state.read_text())["origins"][keys.origin()]["size"] == cp2.size

    # published: checkpoint.txt carries both cosignatures; the page says 2 of 2
    published = client.get(reverse("ledger_public:checkpoint_text")).content.decode()
    wkeys = [cosign.parse_verifier_key(w.vkey) for w in (w1, w2)]
    assert len(cosign.witnessed_by(published, wkeys)) == 2
    page = client.get(reverse("ledger_public:index")).content.decode()
    assert "见证：2 / 2" in page and w1.vkey in page and w2.vkey in page

    genuine = tmp_path / "genuine.jsonl"
    with open(genuine, "w", encoding="utf-8") as fh:
        write_bundle(fh, audience="public")
    ok = _verify(genuine, "--key", keys.verifier_key(), "--witness", w1.vkey, "--witness", w2.vkey, "--quorum", "2")
    assert ok.returncode == 0, ok.stderr
    assert "witnessed by 2 of the 2 witnesses you named (quorum 2)" in ok.stdout

    # the fork: event 25 rewritten, checkpoint 31 re-signed with the product's key
    forked = tmp_path / "forked.jsonl"
    forged = _fork(genuine, forked, at=25)
    assert list(forged) == [cp2.size]
    key_only = _verify(forked, "--key", keys.verifier_key())
    assert key_only.returncode == 0, key_only.stderr  # the office's key alone cannot tell the fork from the truth
    for quorum in ("1", "2"):
        rejected = _verify(forked, "--key", keys.verifier_key(), "--witness", w1.vkey, "--witness", w2.vkey,
                           "--quorum", quorum)
        assert rejected.returncode == 1
        assert "witnessed by 0 of the 2 witnesses you named" in rejected.stderr and "w1.example/witness" in rejected.stderr

    # shown the fork, both witnesses refuse it: same size, another root
    for w in (w1, w2):
        status, body = w.post(request_body(cp2.size, [], forged[cp2.size]))
        assert status == 422 and "fork" in body
        # and a request from an older size than the one it last cosigned is a conflict, not a cosignature
        status, body = w.post(request_body(cp1.size, [], forged[cp2.size]))
        assert status == 409 and body == f"{cp2.size}\n"
    assert json.loads(w2.state.read_text())["origins"][keys.origin()]["size"] == cp2.size

    # a witness that was shown the fork first (fresh state) refuses the true ledger after it,
    # and the product records and shows the refusal
    w2.stop()
    w2.start(state=tmp_path / "w2-fooled.json")
    status, _line = w2.post(request_body(0, [], forged[cp2.size]))
    assert status == 200
    _record(5, start=31)
    cp3 = sign_checkpoint(reason="third")
    by_name = {o.witness.name: o for o in witnesses.collect()}
    assert by_name[w1.name].ok and not by_name[w2.name].ok and by_name[w2.name].status == 422
    refusal = WitnessRefusal.objects.get(checkpoint=cp3)
    assert refusal.witness_name == w2.name and "fork" in refusal.message
    page = client.get(reverse("ledger_public:index")).content.decode()
    assert "见证：1 / 2" in page and "拒绝联署" in page
    client.force_login(django_user_model.objects.create_superuser("i21a-admin", password="x"))
    staff = client.get(reverse("ledger:checkpoint_list")).content.decode()
    assert staff.count(w1.name) >= 3 and f"{w2.name}：拒绝联署" in staff  # w1 on every checkpoint; w2's refusal


@pytest.mark.django_db(transaction=True)
def test_pull_fetches_checkpoint_and_proof_from_the_public_api(live_server, tmp_path):
    _record(12)
    sign_checkpoint(reason="one")
    w = WitnessProcess(tmp_path, "w.example/pull", PORTS[0])
    args = [sys.executable, "-m", "gongxin.witness", "pull", "--name", w.name, "--key", str(w.key_file),
            "--state", str(w.state), "--origin", keys.origin(), "--log-key", keys.verifier_key(),
            "--log", live_server.url]
    first = subprocess.run(args, env=ENV, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    _record(9, start=12)
    cp = sign_checkpoint(reason="two")
    second = subprocess.run(args, env=ENV, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    cosig = cosign.decode(*cosign.parse_line(second.stdout))
    assert cosign.verify(note.parse(cp.note).body, cosig, cosign.parse_verifier_key(w.vkey))
    state = json.loads(w.state.read_text())["origins"][keys.origin()]
    assert state["size"] == cp.size and base64.b64decode(state["root"]) == bytes(cp.root)
