"""Paper to proof: the stamp every printed notice and public result page carries.

A stamp is a QR code (drawn here by segno, inline SVG: nothing leaves the server) that opens the
public inclusion page for the record, and one short text line a reader can copy by hand:

    ledger:<seq> leaf:<64 hex leaf hash> checkpoint:<size>

— the record's position in the ledger, its leaf hash, and the first signed checkpoint that
covers it (a checkpoint never changes, so neither does the line). ``python -m gongxin.verify
BUNDLE --leaf "<the line>"`` checks it offline (gongxin/verify_leaf.py). A record not yet covered
by a checkpoint gets ``checkpoint:-`` until the next one is signed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .models import Checkpoint, Event

LINE_RE = re.compile(r"ledger:(\d+)\s+leaf:([0-9a-fA-F]{64})\s+checkpoint:(\d+|-)")


@dataclass(frozen=True)
class Stamp:
    seq: int
    leaf_hex: str
    checkpoint_size: int | None
    url: str
    qr_svg: SafeString

    @property
    def line(self) -> str:
        return proof_line(self.seq, self.leaf_hex, self.checkpoint_size)


def proof_line(seq: int, leaf_hex: str, checkpoint_size: int | None) -> str:
    return f"ledger:{seq} leaf:{leaf_hex} checkpoint:{'-' if checkpoint_size is None else checkpoint_size}"


def covering_checkpoint(seq: int) -> int | None:
    """The size of the first checkpoint that covers event ``seq``."""
    return (Checkpoint.objects.filter(size__gt=seq).order_by("size", "id").values_list("size", flat=True).first())


def inclusion_path(seq: int, leaf_hex: str) -> str:
    return f"{reverse('ledger_public:index')}?{urlencode({'q': leaf_hex or seq})}#inclusion"


def qr_svg(text: str) -> SafeString:
    import segno

    return mark_safe(segno.make(text, error="m").svg_inline(scale=3, omitsize=False))  # noqa: S308 - segno's own SVG


def stamp(seq: int | None, leaf_hex: str = "", *, request=None) -> Stamp | None:
    """The stamp for event ``seq`` (its leaf hash read from the ledger when not given)."""
    if seq is None:
        return None
    if not leaf_hex:
        leaf = Event.objects.filter(seq=seq).values_list("leaf_hash", flat=True).first()
        if leaf is None:
            return None
        leaf_hex = bytes(leaf).hex()
    path = inclusion_path(seq, leaf_hex)
    url = request.build_absolute_uri(path) if request is not None else path
    return Stamp(seq, leaf_hex.lower(), covering_checkpoint(seq), url, qr_svg(url))


def latest_public_event(subject_type: str, subject_id, kinds: tuple[str, ...] = ()) -> Event | None:
    """The newest public event about a subject (e.g. a meeting's published result)."""
    qs = Event.objects.filter(subject_type=subject_type, subject_id=str(subject_id), public=True)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.defer("data", "nodes").order_by("-seq").first()
