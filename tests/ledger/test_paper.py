"""Paper to proof: a published notice carries a QR code (segno, inline SVG) and the line
``ledger:N leaf:HEX checkpoint:SIZE``; the QR opens the public inclusion page; the offline
verifier checks the line against a bundle (--leaf)."""

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from gongxin.ledger import paper
from gongxin.ledger.bundle import write_bundle
from gongxin.ledger.checkpoints import sign_checkpoint
from tests.publicity.conftest import publicity  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
LINE = re.compile(r'id="proof-line"[^>]*>([^<]+)<')


def _verify(*args):
    return subprocess.run([sys.executable, "-m", "gongxin.verify", *map(str, args)], env=ENV, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.django_db
def test_a_notice_carries_a_qr_and_a_proof_line_the_verifier_checks_offline(publicity, client, tmp_path):  # noqa: F811
    notice = publicity["notice"]
    pending = client.get(reverse("publicity_public:notice", args=[notice.pk])).content.decode()
    assert f"ledger:{notice.ledger_seq} leaf:{notice.leaf_hash} checkpoint:-" in pending  # not yet signed
    cp = sign_checkpoint(reason="test")
    from django.core.cache import cache

    cache.clear()  # the public notice is cached for a minute
    page = client.get(reverse("publicity_public:notice", args=[notice.pk])).content.decode()
    line = html.unescape(LINE.search(page).group(1))
    assert line == f"ledger:{notice.ledger_seq} leaf:{notice.leaf_hash} checkpoint:{cp.size}"
    # the QR code is drawn here and encodes the public inclusion page's absolute address
    url = f"http://testserver{reverse('ledger_public:index')}?q={notice.leaf_hash}#inclusion"
    assert str(paper.qr_svg(url)) in page and "<svg" in page
    # scanning it opens the inclusion page, which proves the notice is in the signed ledger
    proof = client.get(url.removeprefix("http://testserver")).content.decode()
    assert f"记录 #{notice.ledger_seq}" in proof and "已验证" in proof

    bundle = tmp_path / "public.jsonl"
    with open(bundle, "w", encoding="utf-8") as fh:
        write_bundle(fh, audience="public")
    ok = _verify(bundle, "--leaf", line)
    assert ok.returncode == 0, ok.stderr
    assert f"record {notice.ledger_seq} (leaf {notice.leaf_hash}) is included in the signed checkpoint of size {cp.size}" in ok.stdout
    # a line copied wrong, or one from another ledger, fails and says why
    wrong = line.replace(notice.leaf_hash, notice.leaf_hash[:-1] + ("0" if notice.leaf_hash[-1] != "0" else "1"))
    bad = _verify(bundle, "--leaf", wrong)
    assert bad.returncode == 1 and "is not this ledger's" in bad.stderr
    no_cp = _verify(bundle, "--leaf", line.replace(f"checkpoint:{cp.size}", f"checkpoint:{cp.size + 5}"))
    assert no_cp.returncode == 1 and f"no signed checkpoint of size {cp.size + 5}" in no_cp.stderr
    # the printed "checkpoint:-" (before signing) is checked against the first checkpoint covering it
    later = _verify(bundle, "--leaf", line.replace(f"checkpoint:{cp.size}", "checkpoint:-"))
    assert later.returncode == 0, later.stderr
    garbled = _verify(bundle, "--leaf", "ledger 5 leaf abc")
    assert garbled.returncode == 1 and "expected 'ledger:<number>" in garbled.stderr


@pytest.mark.django_db
def test_the_staff_notice_page_carries_the_stamp_too(publicity, client):  # noqa: F811
    client.force_login(publicity["clerk"])
    notice = publicity["notice"]
    page = client.get(reverse("publicity:notice", args=[notice.pk])).content.decode()
    assert f"ledger:{notice.ledger_seq} leaf:{notice.leaf_hash}" in page and "<svg" in page
