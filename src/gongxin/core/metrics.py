"""``/metrics`` in the Prometheus text format (version 0.0.4).

Requests: ``gongxin_http_requests_total`` and the histogram ``gongxin_http_request_duration_seconds``
by view (the URL pattern's name; ``unresolved`` for paths that match none, so a scan of random
URLs cannot grow the series) and status class. Read at each scrape, never cached: jobs by status
(``gongxin_jobs``: queued, running, failed...), the ledger's size and the events after the latest
signed checkpoint (``gongxin_ledger_unsigned_events``).

One server, several processes: ``gongxin serve`` loads the application in gunicorn's master
before it forks its workers, so the counters live in one anonymous shared memory map made at
import (with a lock), and every worker adds to the same figures: a scrape answered by any worker
reports the whole server. Several servers (two ``gongxin serve`` on two ports or machines): each
exposes its own requests; scrape each (Prometheus labels them by ``instance``) and sum in the query.
Jobs and the ledger are read from the shared database, so every server reports the same values.
Under a server that imports the application after forking (``runserver``, another WSGI server
without preloading), the counters are per process.

Who may read it: a signed-in user with the capability ``system.metrics`` (组织部管理员), or a
request from an address in ``METRICS_ALLOW`` (environment ``GONGXIN_METRICS_ALLOW``, comma-separated
addresses or networks; default ``127.0.0.1,::1``; empty: nobody by address). The address is the
client's as ``core.clientip`` resolves it (trusted proxies); a request that came through a proxy
not listed in TRUSTED_PROXIES (it carries X-Forwarded-For) is never trusted by address."""

from __future__ import annotations

import ipaddress
import mmap
import multiprocessing
import time
import zlib

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx")
SLOTS = 1024  # distinct views; more than the URL patterns the product has
_NAME = 12  # doubles (96 bytes) of view name per slot
_PER_STATUS = len(BUCKETS) + 2  # buckets, then count, then sum
_SLOT = _NAME + len(STATUS_CLASSES) * _PER_STATUS
CAPABILITY = "system.metrics"


class RequestMetrics:
    """Counters in a shared anonymous map: slot i holds one view's name and, per status class,
    cumulative-to-be bucket counts (stored per bucket), the request count and the latency sum."""

    def __init__(self, slots: int = SLOTS):
        self.slots = slots
        self.map = mmap.mmap(-1, slots * _SLOT * 8)  # MAP_SHARED: forked workers see one map
        self.values = memoryview(self.map).cast("d")
        self.lock = multiprocessing.Lock()  # a semaphore: shared across fork too
        self.local = {}  # this process's view name → slot
        self.map[: _NAME * 8] = b"overflow".ljust(_NAME * 8, b"\0")  # slot 0

    def _slot(self, view: str) -> int:
        slot = self.local.get(view)
        if slot is not None:
            return slot
        name = view.encode()[:_NAME * 8 - 1].ljust(_NAME * 8, b"\0")
        start = zlib.crc32(name) % (self.slots - 1) + 1
        slot = 0  # "overflow", when every slot is taken
        with self.lock:
            for probe in range(self.slots - 1):
                i = (start - 1 + probe) % (self.slots - 1) + 1
                at = i * _SLOT * 8
                stored = self.map[at: at + _NAME * 8]
                if stored == name or stored[0] == 0:
                    if stored[0] == 0:
                        self.map[at: at + _NAME * 8] = name
                    slot = i
                    break
        self.local[view] = slot
        return slot

    def observe(self, view: str, status: int, seconds: float) -> None:
        status_class = min(max(status // 100, 2), 5) - 2
        base = self._slot(view) * _SLOT + _NAME + status_class * _PER_STATUS
        bucket = next((b for b, bound in enumerate(BUCKETS) if seconds <= bound), len(BUCKETS))
        v = self.values
        with self.lock:
            if bucket < len(BUCKETS):
                v[base + bucket] += 1
            v[base + len(BUCKETS)] += 1
            v[base + len(BUCKETS) + 1] += seconds

    def snapshot(self) -> list[tuple[str, str, list[float], float, float]]:
        """(view, status class, per-bucket counts, count, sum) of every series with requests."""
        out = []
        with self.lock:
            raw = bytes(self.map)
        values = memoryview(raw).cast("d")
        for i in range(self.slots):
            at = i * _SLOT
            name = raw[at * 8: (at + _NAME) * 8].rstrip(b"\0")
            if not name:
                continue
            for c, status_class in enumerate(STATUS_CLASSES):
                base = at + _NAME + c * _PER_STATUS
                count = values[base + len(BUCKETS)]
                if count:
                    out.append((name.decode(errors="replace"), status_class, list(values[base: base + len(BUCKETS)]),
                                count, values[base + len(BUCKETS) + 1]))
        return sorted(out)


REQUESTS = RequestMetrics()


class MetricsMiddleware:
    """Outermost: times the whole response, labels it with the view the URL resolved to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or match._func_path) if match is not None else "unresolved"
        REQUESTS.observe(view, response.status_code, time.perf_counter() - started)
        return response


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def render_text() -> str:
    lines = ["# HELP gongxin_http_requests_total Requests answered by this server, by view and status class.",
             "# TYPE gongxin_http_requests_total counter"]
    series = REQUESTS.snapshot()
    for view, status, _b, count, _s in series:
        lines.append(f'gongxin_http_requests_total{{view="{_escape(view)}",status="{status}"}} {_number(count)}')
    lines += ["# HELP gongxin_http_request_duration_seconds Time to answer, from the first middleware to the last.",
              "# TYPE gongxin_http_request_duration_seconds histogram"]
    for view, status, buckets, count, total in series:
        labels = f'view="{_escape(view)}",status="{status}"'
        running = 0.0
        for bound, n in zip(BUCKETS, buckets, strict=True):
            running += n
            lines.append(f'gongxin_http_request_duration_seconds_bucket{{{labels},le="{bound}"}} {_number(running)}')
        lines.append(f'gongxin_http_request_duration_seconds_bucket{{{labels},le="+Inf"}} {_number(count)}')
        lines.append(f"gongxin_http_request_duration_seconds_count{{{labels}}} {_number(count)}")
        lines.append(f"gongxin_http_request_duration_seconds_sum{{{labels}}} {total!r}")
    lines += _database_lines()
    return "\n".join(lines) + "\n"


def _database_lines() -> list[str]:
    from django.db.models import Count

    from gongxin.jobs.models import Job, JobStatus
    from gongxin.ledger.models import Checkpoint, LedgerHead

    by_status = dict(Job.objects.values_list("status").annotate(n=Count("id")).order_by())
    lines = ["# HELP gongxin_jobs Background jobs by status (queued: waiting for a worker; failed: ended in error).",
             "# TYPE gongxin_jobs gauge"]
    lines += [f'gongxin_jobs{{status="{status}"}} {by_status.get(status, 0)}' for status in JobStatus.values]
    size = LedgerHead.objects.filter(id=1).values_list("size", flat=True).first() or 0
    signed = Checkpoint.objects.order_by("-size").values_list("size", flat=True).first() or 0
    lines += ["# HELP gongxin_ledger_events Events in the ledger.", "# TYPE gongxin_ledger_events gauge",
              f"gongxin_ledger_events {size}",
              "# HELP gongxin_ledger_unsigned_events Events after the latest signed checkpoint.",
              "# TYPE gongxin_ledger_unsigned_events gauge", f"gongxin_ledger_unsigned_events {max(size - signed, 0)}"]
    return lines


def _address_allowed(request) -> bool:
    from .clientip import client_ip

    allow = [item.strip() for item in getattr(settings, "METRICS_ALLOW", ()) if item.strip()]
    if not allow:
        return False
    trusted = getattr(settings, "TRUSTED_PROXIES", ())
    if request.META.get("HTTP_X_FORWARDED_FOR") and not trusted:
        return False  # came through a proxy we were not told about: its address says nothing
    address = client_ip(request)
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(net, strict=False) for net in allow)


def metrics_view(request):
    user = getattr(request, "user", None)
    staff = user is not None and user.is_authenticated and user.has_capability(CAPABILITY)
    if not (staff or _address_allowed(request)):
        response = HttpResponse(_("只有具备“运行指标”权限的工作人员，或来自允许地址（GONGXIN_METRICS_ALLOW）的请求，"
                                  "才能读取运行指标。") + "\n", status=403, content_type="text/plain; charset=utf-8")
    else:
        response = HttpResponse(render_text(), content_type="text/plain; version=0.0.4; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
