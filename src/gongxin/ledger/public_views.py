"""Public pages (no login, no JavaScript): the latest checkpoint, the public key, and an
inclusion check by event number or by a published record's leaf hash."""

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gongxin.core import ratelimit
from gongxin.core.errors import DomainError

from . import keys, paper, queries, witnesses
from .bundle import bundle_lines
from .checkpoints import latest_checkpoint
from .forms import InclusionForm
from .tree import current_size


def _public_event(result):
    event = result.event
    return {"seq": event.seq, "public": event.public, "recorded_at": event.recorded_at,
            "kind": event.kind if event.public else "",
            "data": queries.pretty_data(event) if event.public else ""}


@require_GET
@never_cache
def index(request):
    form = InclusionForm(request.GET or None)
    result = error = None
    if form.is_bound and form.is_valid():
        try:
            result = queries.inclusion(queries.find_for_inclusion(form.cleaned_data["q"]))
        except DomainError as exc:
            error = exc.message
    cp = latest_checkpoint()
    size = current_size()
    context = {
        "form": form, "checkpoint": cp, "verifier_key": keys.verifier_key(), "key_name": keys.key_name(),
        "origin": keys.origin(), "root_hex": bytes(cp.root).hex() if cp else "", "error": error, "result": result,
        "breadcrumbs": None, "key_history": key_history(), "size": size,
        "uncovered": size - (cp.size if cp else 0), "witnessing": witnesses.status(cp),
        "published_note": witnesses.published_note(cp) if cp else "",
    }
    if result is not None:
        seq = result.event.seq
        context.update({"public_event": _public_event(result), "leaf_hex": result.leaf_hash.hex(),
                        "proof_line": paper.proof_line(seq, result.leaf_hash.hex(), paper.covering_checkpoint(seq)),
                        "path": [p.hex() for p in result.path]})
    return render(request, "ledger/public/index.html", context, status=404 if error else 200)


def key_history() -> list[dict]:
    """The keys the ledger declared, oldest first, for the public page."""
    out = []
    for i, key in enumerate(keys.history().keys):
        out.append({"seq": key.seq, "name": key.name, "key_id": key.key_id, "verifier_key": key.verifier_key,
                    "time": parse_datetime(key.time) if key.time else None, "rotation": i > 0})
    return out


@require_GET
@never_cache
def checkpoint_text(request):
    cp = latest_checkpoint()
    if cp is None:
        return HttpResponse("no checkpoint yet\n", status=404, content_type="text/plain; charset=utf-8")
    return HttpResponse(witnesses.published_note(cp), content_type="text/plain; charset=utf-8")


@require_GET
def verifier_key(request):
    return HttpResponse(keys.verifier_key() + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def witness_keys(request):
    """The configured witnesses' keys, one a line (for ``--witness``)."""
    text = "".join(w.key.verifier_key + "\n" for w in witnesses.configured())
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@require_GET
@never_cache
def proof_line(request):
    """The line printed under a record's QR code (``?q=`` number or leaf hash), for ``--leaf``."""
    try:
        event = queries.find_for_inclusion(request.GET.get("q", ""))
    except DomainError as exc:
        return HttpResponse(exc.message + "\n", status=exc.status,
                            content_type="text/plain; charset=utf-8")
    stamp = paper.stamp(event.seq, bytes(event.leaf_hash).hex())
    return HttpResponse(stamp.line + "\n", content_type="text/plain; charset=utf-8")


BUNDLE_DOWNLOADS = 20  # per address per limiter window: the whole ledger each time


@require_GET
def public_bundle(request):
    window = ratelimit.WINDOW_SECONDS
    if not ratelimit.hit("ledger_bundle", ratelimit.client_address(request), limit=BUNDLE_DOWNLOADS, window=window):
        return HttpResponse(_("下载次数过多，请 %(minutes)d 分钟后再试。账本数据不会变少，稍后下载的文件包含此前的全部记录。")
                            % {"minutes": window // 60},
                            status=429, content_type="text/plain; charset=utf-8", headers={"Retry-After": str(window)})
    response = StreamingHttpResponse(bundle_lines(audience="public"), content_type="application/jsonl; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="gongxin-ledger-public.jsonl"'
    return response
