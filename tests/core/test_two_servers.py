"""Two ``gongxin serve`` instances sharing one PostgreSQL database and one Redis (issue 20):
load on both shows the per-address rate limit holds across them (the count is in Redis, not
per server), the ledger stays gapless and verifies under concurrent writers on both, and when
one server is killed mid-load every write it acknowledged is stored (clients fail over).

Needs PostgreSQL and Redis (GONGXIN_TWO_SERVERS_PG, default postgres://postgres@127.0.0.1:5432;
GONGXIN_TWO_SERVERS_REDIS, default redis://127.0.0.1:6379/6); skipped with a message when
either does not answer. Slow (two servers, a migrated database): it runs when
GONGXIN_TWO_SERVERS=1, as .ci/run's step on PostgreSQL with Redis sets. The database has a name
unique to the run and is dropped at the end."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest

PG = os.environ.get("GONGXIN_TWO_SERVERS_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("GONGXIN_TWO_SERVERS_REDIS", "redis://127.0.0.1:6379/6")

SETUP = r"""
import datetime as dt, django
django.setup()
from gongxin.accounts import actions as accounts
from gongxin.accounts.models import User
from gongxin.people import actions, idnumber
user = User.objects.create_superuser("two_servers", password="x-unused-Password-1")
unit = actions.create_org_unit(acting_user=None, name="李庄镇", kind="township")
cadre = actions.create_cadre(acting_user=None, name="张三", sex="M", birth_date=dt.date(1985, 6, 15),
                             id_number="11010119850615001" + idnumber.check_char("11010119850615001"), org_unit=unit)
print(accounts.issue_api_token(acting_user=None, user=user, name="two servers"), cadre.pk)
"""

COUNT = r"""
import django
django.setup()
from gongxin.ledger.models import Event
from gongxin.people.models import ResumeEntry
print(json.dumps({"entries": sorted(ResumeEntry.objects.values_list("description", flat=True)),
                  "events": Event.objects.filter(kind="people.resume_entry.added").count()}))
""".replace("import django", "import django, json")


def _services_or_skip():
    if os.environ.get("GONGXIN_TWO_SERVERS") != "1":
        pytest.skip("two-server test: set GONGXIN_TWO_SERVERS=1 to run it (.ci/run does, on PostgreSQL with Redis)")
    try:
        import psycopg

        psycopg.connect(PG + "/postgres", connect_timeout=3).close()
    except Exception as exc:
        pytest.skip(f"two-server test: PostgreSQL at {PG} does not answer ({exc.__class__.__name__})")
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
    except Exception as exc:
        pytest.skip(f"two-server test: Redis at {REDIS} does not answer ({exc.__class__.__name__})")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(base, path, *, data=None, token=None, timeout=20):
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(base + path, data=body, method="POST" if body is not None else "GET",
                                 headers={"Content-Type": "application/json",
                                          **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def two_servers(tmp_path):
    _services_or_skip()
    import psycopg

    name = f"gx_two_servers_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": f"{PG}/{name}", "REDIS_URL": REDIS, "GONGXIN_DATA_DIR": str(tmp_path),
           "GONGXIN_CACHE_PREFIX": f"two-servers-{uuid.uuid4().hex[:8]}", "DJANGO_SETTINGS_MODULE": "gongxin.settings",
           "GONGXIN_LEDGER_ORIGIN": "test.gongxin.example/ledger", "GONGXIN_REQUIRE_ADMIN_OTP": "0"}
    procs = []
    try:
        subprocess.run([sys.executable, "-m", "gongxin.cli", "migrate", "--verbosity", "0"], env=env, check=True,
                       capture_output=True, timeout=600)
        token, cadre_id = subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True,
                                         text=True, timeout=120).stdout.split()
        bases = []
        for _ in range(2):
            port = _free_port()
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "gongxin.cli", "serve", "--port", str(port), "--workers", "2", "--no-worker"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
            bases.append(f"http://127.0.0.1:{port}")
        for base, proc in zip(bases, procs, strict=True):
            deadline = time.monotonic() + 120
            while True:
                assert proc.poll() is None, "gongxin serve exited at start"
                try:
                    if _call(base, "/healthz", timeout=5)[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "gongxin serve did not answer in 120 s"
                time.sleep(0.3)
        yield {"bases": bases, "procs": procs, "token": token, "cadre": int(cadre_id), "env": env}
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
        with psycopg.connect(PG + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_two_servers_share_rate_limits_and_the_ledger(two_servers):
    a, b = two_servers["bases"]
    # 1. The feedback-tracking limit (30 per address per window) counted across both servers.
    codes = [_call(base, "/api/v1/publicity/public/feedback/track", data={"code": "ABCD-EFGH"})[0]
             for _ in range(20) for base in (a, b)]
    assert codes.count(429) == 10 and codes.count(404) == 30, codes

    # 2. Concurrent writers on both servers; one server killed mid-load; clients fail over.
    token, cadre = two_servers["token"], two_servers["cadre"]
    acknowledged, lock = [], threading.Lock()
    killed = threading.Event()

    def writer(n: int):
        for i in range(15):
            label = f"w{n}-{i}"
            order = [a, b] if (n + i) % 2 else [b, a]
            for base in order:
                if killed.is_set() and base == a:
                    continue
                try:
                    status, _body = _call(base, f"/api/v1/people/cadres/{cadre}/resume", token=token,
                                          data={"start": "2010-01-01", "description": label})
                except OSError:
                    continue  # connection refused or reset: try the other server
                if status == 201:
                    with lock:
                        acknowledged.append(label)
                    break

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 300
    while len(acknowledged) < 25 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(two_servers["procs"][0].pid, signal.SIGKILL)  # server A dies with requests in flight
    killed.set()
    for t in threads:
        t.join(timeout=300)
    assert len(acknowledged) == 90, len(acknowledged)  # every write went through on one server or the other

    env = two_servers["env"]
    stored = json.loads(subprocess.run([sys.executable, "-c", COUNT], env=env, check=True, capture_output=True,
                                       text=True, timeout=120).stdout)
    assert set(acknowledged) <= set(stored["entries"])  # nothing acknowledged is lost
    assert stored["events"] == len(stored["entries"])  # one ledger event per stored entry, no more, no less
    verify = subprocess.run([sys.executable, "-m", "gongxin.cli", "ledger", "verify"], env=env, capture_output=True,
                            text=True, timeout=300)
    assert verify.returncode == 0, verify.stdout[-2000:] + verify.stderr[-2000:]
