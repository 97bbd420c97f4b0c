"""/metrics (gongxin.core.metrics): who may read it, the figures it reads from the database at
each scrape, and — over a live ``gongxin serve`` with two worker processes — request counters
that add up across the workers."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import transaction

from gongxin.core.metrics import RequestMetrics, render_text
from gongxin.jobs.models import Job, JobStatus
from gongxin.ledger.checkpoints import sign_checkpoint
from gongxin.ledger.recording import record_event


def _value(text, series):
    m = re.search("^" + re.escape(series) + r" (\S+)$", text, re.M)
    return float(m.group(1)) if m else None


@pytest.mark.django_db
def test_only_staff_with_the_capability_or_an_allowed_address(cast, client_for, settings):
    settings.METRICS_ALLOW = ["127.0.0.1", "::1"]
    public = client_for(None)
    assert public.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    refused = public.get("/metrics", REMOTE_ADDR="10.1.2.3")
    assert refused.status_code == 403 and "GONGXIN_METRICS_ALLOW" in refused.content.decode()
    # through a proxy nobody declared, the loopback address says nothing about the visitor
    assert public.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    assert client_for(cast["users"]["org_admin"]).get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client_for(cast["users"]["clerk"]).get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403
    settings.METRICS_ALLOW = ["10.1.0.0/16"]
    assert public.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    settings.METRICS_ALLOW = []
    assert public.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


@pytest.mark.django_db
def test_jobs_and_ledger_are_read_at_each_scrape(cast, client_for):
    admin = cast["users"]["org_admin"]
    client = client_for(admin)
    first = client.get("/metrics")
    assert first["Cache-Control"] == "no-store" and first["Content-Type"].startswith("text/plain; version=0.0.4")
    size = _value(first.content.decode(), "gongxin_ledger_events")
    # given two queued jobs, one failed, three new events and then a checkpoint
    for status in (JobStatus.QUEUED, JobStatus.QUEUED, JobStatus.FAILED):
        Job.objects.create(kind="test", title="t", func="x.y", started_by=admin, status=status)
    for i in range(3):
        with transaction.atomic():
            record_event(kind="tests.thing.done", subject=("tests.thing", i), actor=None, payload={"i": i})
    text = client.get("/metrics").content.decode()
    assert _value(text, 'gongxin_jobs{status="queued"}') == 2
    assert _value(text, 'gongxin_jobs{status="failed"}') == 1
    assert _value(text, "gongxin_ledger_events") == size + 3
    assert _value(text, "gongxin_ledger_unsigned_events") == size + 3  # no checkpoint yet
    sign_checkpoint(reason="test")
    assert _value(client.get("/metrics").content.decode(), "gongxin_ledger_unsigned_events") == 0
    # the request counters name views, not paths
    assert re.search(r'^gongxin_http_requests_total\{view="core:metrics",status="2xx"\} \d+$', text, re.M)


def test_histogram_buckets_are_cumulative_and_unknown_paths_share_one_series():
    metrics = RequestMetrics(slots=8)
    for seconds in (0.001, 0.02, 0.02, 3.0, 20.0):
        metrics.observe("people:cadre_list", 200, seconds)
    metrics.observe("unresolved", 404, 0.001)
    for i in range(20):  # more views than slots: the rest count under "overflow"
        metrics.observe(f"v{i}", 200, 0.001)
    rows = {(v, s): (b, n, total) for v, s, b, n, total in metrics.snapshot()}
    buckets, count, total = rows[("people:cadre_list", "2xx")]
    assert count == 5 and abs(total - 23.041) < 1e-9
    assert buckets[0] == 1 and buckets[2] == 2 and sum(buckets) == 4  # 20 s is above the last bound
    assert rows[("unresolved", "4xx")][1] == 1
    assert sum(n for (v, _s), (_b, n, _t) in rows.items() if v.startswith("v") or v == "overflow") == 20


@pytest.mark.django_db
def test_text_format_parses_line_by_line(cast):
    text = render_text()
    for line in text.splitlines():
        assert line.startswith("# ") or re.match(r'^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? \S+$', line), line


# --- a live server ----------------------------------------------------------------------------


def _port() -> int:
    wanted = os.environ.get("GONGXIN_TEST_PORT")  # a port of your own on a shared machine
    if wanted:
        return int(wanted)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.slow
def test_live_server_counts_requests_across_its_worker_processes(tmp_path):
    env = {**os.environ, "GONGXIN_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "gongxin.settings", "GONGXIN_LEDGER_ORIGIN": "test.gongxin.example/ledger",
           "GONGXIN_REQUIRE_ADMIN_OTP": "0", "GONGXIN_METRICS_ALLOW": "127.0.0.1"}
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "-m", "gongxin.cli", "migrate", "--verbosity", "0"], env=env, check=True,
                   capture_output=True, timeout=900)
    port = _port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "gongxin.cli", "serve", "--port", str(port), "--workers", "2",
                             "--threads", "2", "--no-worker"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
            try:
                if _get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gongxin serve did not answer in 120 s"
            time.sleep(0.3)
        before = _value(_get(base + "/metrics")[1], 'gongxin_http_requests_total{view="core:healthz",status="2xx"}')
        # when 40 health checks and 7 unknown paths arrive 8 at a time (both workers answer)
        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda i: _get(base + ("/healthz" if i < 40 else f"/no/such/{i}"))[0], range(47)))
        assert codes.count(200) == 40 and codes.count(404) == 7
        # then any worker's answer holds all of them
        for _ in range(4):
            status, text = _get(base + "/metrics")
            assert status == 200
            assert _value(text, 'gongxin_http_requests_total{view="core:healthz",status="2xx"}') == before + 40
            assert _value(text, 'gongxin_http_requests_total{view="unresolved",status="4xx"}') == 7
            assert _value(text, 'gongxin_http_request_duration_seconds_count{view="core:healthz",status="2xx"}') == before + 40
        # through a proxy nobody declared: refused
        req = urllib.request.Request(base + "/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(req, timeout=30)
        assert refused.value.code == 403
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
