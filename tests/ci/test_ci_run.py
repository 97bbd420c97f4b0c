"""`.ci/run` on machines without the project's services (issue 23 item 9), tried with stand-in
commands on PATH: its service steps (CI_ONLY=services) under CI_DRY_RUN=1 print what they
would install and start. The real run is described in the closing note."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ["bash", "awk", "sed", "sort", "tail", "ls", "seq", "sleep", "date", "id", "dirname", "cat", "grep",
         "python3", "env", "tr", "head"]

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def _stub(bin_dir: Path, name: str, script: str) -> None:
    path = bin_dir / name
    path.write_text("#!/bin/bash\n" + script + "\n")
    path.chmod(0o755)


def _run(tmp_path, stubs: dict[str, str], pg_lib=("15",)):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        real = shutil.which(tool, path="/usr/bin:/bin") or shutil.which(tool)
        if real:
            (bin_dir / tool).symlink_to(real)
    # present and fine unless a scenario says otherwise
    base = {"chromium": "exit 0", "fc-list": "echo '/usr/share/fonts/wqy-microhei.ttc: WenQuanYi Micro Hei'", "dpkg": "exit 0",
            "apt-get": 'echo "apt-get $*" >> "$LOG"'}
    for name, script in {**base, **stubs}.items():
        _stub(bin_dir, name, script)
    lib = tmp_path / "pglib"
    for version in pg_lib:
        (lib / version).mkdir(parents=True)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "LOG": str(tmp_path / "log"),
           "CI_ONLY": "services", "CI_DRY_RUN": "1", "PG_LIB": str(lib), "PG_ETC": str(tmp_path / "etc")}
    done = subprocess.run(["bash", str(ROOT / ".ci/run")], env=env, capture_output=True, text=True, timeout=60)
    log = (tmp_path / "log").read_text() if (tmp_path / "log").exists() else ""
    return done, log


DOWN = "exit 2"


def test_two_versions_installed_the_cluster_on_5432_is_started(tmp_path):
    """`ls /etc/postgresql` gave "15 16" and pg_ctlcluster failed; pg_lsclusters names it."""
    clusters = ("echo '15  main 5432 down postgres /var/lib/postgresql/15/main /var/log/x.log'\n"
                "echo '16  main 5433 down postgres /var/lib/postgresql/16/main /var/log/y.log'")
    done, log = _run(tmp_path, {"pg_isready": DOWN, "pg_lsclusters": clusters, "redis-cli": "echo PONG",
                                "redis-server": "exit 0"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "would run: pg_ctlcluster --skip-systemctl-redirect 15 main start" in done.stdout
    assert "apt-get" not in log  # everything is there


def test_no_server_installs_the_server_not_only_the_client(tmp_path):
    done, log = _run(tmp_path, {"redis-cli": "exit 1"}, pg_lib=("17",))  # no pg_* command at all
    assert done.returncode == 0, done.stdout + done.stderr
    assert "installing: postgresql postgresql-client redis-server" in done.stdout
    # after the install: no cluster listed, so one is made, opened to local trust, started
    assert "would run: pg_createcluster 17 main --port 5432" in done.stdout
    assert "trust for 127.0.0.1" in done.stdout
    assert "would run: pg_ctlcluster --skip-systemctl-redirect 17 main start" in done.stdout
    assert "would run: redis-server --bind 127.0.0.1 --port 6379" in done.stdout


def test_services_already_up_change_nothing(tmp_path):
    done, log = _run(tmp_path, {"pg_isready": "exit 0", "pg_lsclusters": "exit 0", "redis-cli": "echo PONG"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "would run" not in done.stdout and log == ""


def test_the_installer_is_pinned_not_upgraded():
    script = (ROOT / ".ci/run").read_text()
    assert "--upgrade pip" not in script
    assert 'PIP_PINNED="pip==' in script
