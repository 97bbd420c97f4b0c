"""``gongxin serve`` writes no access-log line for the voting pages (issue 13): a real gunicorn
is started and asked for a voting page and for the health check; only the latter is logged."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from gongxin.meetings.access_log import is_voting_path


def test_voting_addresses_are_recognised():
    assert is_voting_path("/public/meetings/vote/") and is_voting_path("/api/v1/meetings/public/ballots")
    assert is_voting_path("/public/meetings/receipt/")
    assert not is_voting_path("/public/meetings/3/") and not is_voting_path("/meetings/3/close/")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_gongxin_serve_logs_no_vote(tmp_path):
    port = _free_port()
    env = {**os.environ, "GONGXIN_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
           "DJANGO_SETTINGS_MODULE": "gongxin.settings", "GONGXIN_LEDGER_ORIGIN": "test.gongxin.example/ledger"}
    # serve refuses to start without a built database (issue 12 item 8): build an empty one first.
    subprocess.run([sys.executable, "-m", "gongxin.cli", "migrate", "--verbosity", "0"], env=env, check=True,
                   capture_output=True, timeout=300)
    proc = subprocess.Popen([sys.executable, "-m", "gongxin.cli", "serve", "--port", str(port), "--workers", "1"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90   # a loaded machine can take a while to start gunicorn
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5)
                break
            except OSError as exc:
                if getattr(exc, "code", None):  # an HTTP answer (503 without a database) is fine
                    break
                time.sleep(0.2)
        for path in ("/public/meetings/vote/", "/public/meetings/vote/?code=ABCD", "/healthz"):
            try:
                urllib.request.urlopen(base + path, timeout=5)
            except OSError:
                pass
        time.sleep(0.5)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "/healthz" in out, out[-2000:]
    assert "/public/meetings/vote/" not in out, out[-2000:]
