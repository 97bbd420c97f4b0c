"""Collecting witness cosignatures (C2SP tlog-witness, the log's side).

The witnesses are configured in settings.LEDGER_WITNESSES (env GONGXIN_WITNESSES: one witness a
line or ';'-separated, ``<witness key> <URL>``). For the latest checkpoint, each witness that has
not cosigned it gets ``POST <URL>/add-checkpoint`` with the size it last cosigned (from our own
records; a 409 answer tells the true one, and we retry once), the consistency proof from there,
and the checkpoint. The returned line is checked against the witness's configured key before it
is stored. A refusal is stored too: a witness that refuses because of a fork is the alarm.

Called every minute by the worker (settings.GONGXIN_PERIODIC), and on demand:
``gongxin ledger witness``. The published checkpoint (checkpoint.txt, the bundle, the public
page) is the checkpoint's note with the stored cosignature lines appended."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from gongxin.witness import request_body

from . import cosign, note, tree
from .checkpoints import latest_checkpoint
from .models import Checkpoint, Cosignature, WitnessRefusal

log = logging.getLogger(__name__)
TIMEOUT = 10


@dataclass(frozen=True)
class ConfiguredWitness:
    key: cosign.WitnessKey
    url: str

    @property
    def name(self) -> str:
        return self.key.name

    @property
    def key_id(self) -> str:
        return self.key.key_id.hex()


def configured() -> list[ConfiguredWitness]:
    return [ConfiguredWitness(cosign.parse_verifier_key(vkey), url.rstrip("/"))
            for vkey, url in getattr(settings, "LEDGER_WITNESSES", [])]


def published_note(cp: Checkpoint) -> str:
    """The checkpoint as published: the office's signature, then each witness's cosignature."""
    lines = [c.line for c in sorted(cp.cosignatures.all(), key=lambda c: c.id)]
    return cosign.with_lines(cp.note, lines) if lines else cp.note


@dataclass
class Outcome:
    witness: ConfiguredWitness
    ok: bool
    message: str = ""
    status: int = 0


def collect(cp: Checkpoint | None = None) -> list[Outcome]:
    """Ask every configured witness that has not yet cosigned ``cp`` (default: the latest)."""
    cp = cp or latest_checkpoint()
    if cp is None:
        return []
    done = set(cp.cosignatures.values_list("key_id", flat=True))
    return [_ask(w, cp) for w in configured() if w.key_id not in done]


def collect_due() -> None:
    """The worker's minute step: never raises (a witness that is down is retried next minute)."""
    try:
        collect()
    except Exception:
        log.exception("collecting witness cosignatures failed")


def _last_cosigned_size(w: ConfiguredWitness, cp: Checkpoint) -> int:
    return (Cosignature.objects.filter(key_id=w.key_id, checkpoint__size__lte=cp.size)
            .order_by("-checkpoint__size").values_list("checkpoint__size", flat=True).first()) or 0


def _ask(w: ConfiguredWitness, cp: Checkpoint) -> Outcome:
    old = _last_cosigned_size(w, cp)
    for _attempt in range(2):
        proof = tree.consistency_proof(old, cp.size) if old else []
        status, body, content_type = _post(w.url + "/add-checkpoint", request_body(old, proof, cp.note))
        if status == 409 and content_type.startswith("text/x.tlog.size") and body.strip().isdigit():
            their = int(body.strip())
            if their <= cp.size and their != old:
                old = their
                continue
            return _refused(w, cp, status, f"the witness has seen size {their}, larger than this checkpoint's {cp.size}")
        break
    if status != 200:
        return _refused(w, cp, status, body.strip()[:400] or f"HTTP {status}")
    for line in body.splitlines():
        try:
            name, blob = cosign.parse_line(line)
            cosig = cosign.decode(name, blob)
        except cosign.CosignatureError:
            continue
        if cosign.verify(note.parse(cp.note).body, cosig, w.key):
            try:
                with transaction.atomic():
                    Cosignature.objects.create(checkpoint=cp, witness_name=w.name, key_id=w.key_id,
                                               signed_time=cosig.timestamp, line=cosig.line)
            except IntegrityError:
                pass  # another collector stored it first
            return Outcome(w, True)
    return _refused(w, cp, status, "the witness answered without a valid cosignature by its configured key")


def _refused(w: ConfiguredWitness, cp: Checkpoint, status: int, message: str) -> Outcome:
    last = WitnessRefusal.objects.filter(checkpoint=cp, key_id=w.key_id).order_by("-id").first()
    if last is None or (last.status, last.message) != (status, message[:500]):  # a witness down for hours: one row
        WitnessRefusal.objects.create(checkpoint=cp, witness_name=w.name, key_id=w.key_id, status=status,
                                      message=message[:500])
    log.warning("witness %s did not cosign checkpoint %s: %s %s", w.name, cp.size, status, message)
    return Outcome(w, False, message, status)


def _post(url: str, body: bytes) -> tuple[int, str, str]:
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "text/plain; charset=utf-8"})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as response:  # noqa: S310 - a configured witness URL
            return response.status, response.read().decode("utf-8", "replace"), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace"), exc.headers.get("Content-Type", "")
    except (urllib.error.URLError, OSError) as exc:
        return 0, f"unreachable: {exc}", ""


def status(cp: Checkpoint | None) -> dict:
    """For the public page: who cosigned ``cp``, who did not (and the latest refusal's reason)."""
    witnesses = configured()
    if cp is None:
        return {"witnesses": [], "signed": 0, "total": len(witnesses)}
    signed = {c.key_id: c for c in cp.cosignatures.all()}
    rows = []
    for w in witnesses:
        refusal = None
        if w.key_id not in signed:
            refusal = WitnessRefusal.objects.filter(checkpoint=cp, key_id=w.key_id).order_by("-id").first()
        rows.append({"name": w.name, "verifier_key": w.key.verifier_key, "url": w.url,
                     "cosignature": signed.get(w.key_id), "refusal": refusal})
    return {"witnesses": rows, "signed": sum(1 for r in rows if r["cosignature"]), "total": len(rows)}
