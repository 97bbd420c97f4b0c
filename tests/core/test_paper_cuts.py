"""The paper cuts a newcomer and an integrator hit (issue 23, items 6, 10, 11): each test fails on
the code before the fix."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from gongxin import recount

PYTHON = sys.executable


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("GONGXIN_DATA_DIR", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "GONGXIN_CREATE_DATA_DIR",
                        "DATABASE_URL")}  # the default SQLite file in ./data
    # A production-like run (DEBUG off) names its own ledger origin (ledger.E001 refuses the example one).
    env.setdefault("GONGXIN_LEDGER_ORIGIN", "test.gongxin.example/ledger")
    env.update(extra)
    return env


@pytest.mark.parametrize("argv", [["--help"], ["help", "ledger"], ["check"], ["demo", "--help"], ["province", "--help"]])
def test_a_command_that_neither_builds_nor_serves_creates_nothing_here(tmp_path, argv):
    """Item 6: `gongxin --help` used to leave ./data/secret_key and ./data/static behind."""
    done = subprocess.run([PYTHON, "-m", "gongxin", *argv], cwd=tmp_path, env=_clean_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_a_command_that_builds_creates_the_data_directory(tmp_path):
    done = subprocess.run([PYTHON, "-m", "gongxin", "migrate", "--verbosity", "0"], cwd=tmp_path,
                          env=_clean_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = tmp_path / "data"
    assert (data / "secret_key").is_file() and (data / "static").is_dir() and (data / "gongxin.sqlite3").is_file()
    assert (data / "secret_key").stat().st_mode & 0o077 == 0


def test_serve_opens_no_shared_control_socket(settings, tmp_path):
    """Item 10: two `gongxin serve` on one host announced the same ~/.gunicorn/gunicorn.ctl."""
    from gongxin.core.management.commands.serve import serve

    settings.DATA_DIR = tmp_path
    seen = {}

    def fake_run(app):
        app.load_config()
        seen.update({name: app.cfg.settings[name].get() for name in ("bind", "control_socket_disable")
                     if name in app.cfg.settings})

    with mock.patch("gunicorn.app.base.BaseApplication.run", fake_run):
        serve(host="127.0.0.1", port=8123)
    assert seen["bind"] == ["127.0.0.1:8123"]
    assert seen.get("control_socket_disable", True) is True


def _render(votes):
    res = {"turnout": {"present": 3, "expected": 3, "ratio": "1", "inclusive": True, "required": "2/3", "valid": True},
           "ballots_sha256": "0" * 64, "ballots": 3,
           "posts": [{"key": "p1", "title": "副镇长", "k": 1, "valid": 3, "invalid": 0, "blank": 0,
                      "votes": votes, "shares": {c: f"{n}/3" for c, n in votes.items()}, "slate": None}]}
    return recount.render({"candidates": {"7": "王一", "8": "李二"}}, res, "f" * 64)


def test_recount_says_1_vote_not_1_votes():
    text = _render({"7": 2, "8": 1})
    assert "李二 [8]: 1 vote, 33.33%" in text and "王一 [7]: 2 votes, 66.67%" in text
    assert "1 votes" not in text


@pytest.mark.django_db
def test_the_page_header_names_the_role_once(client_for, cast):
    admin = cast["users"]["org_admin"]
    admin.full_name = admin.get_role_display()
    admin.save(update_fields=["full_name"])
    page = client_for(admin).get("/").content.decode()
    assert "组织部管理员 · 组织部管理员" not in page
    assert page.count('<span class="who">组织部管理员</span>') == 1


@pytest.mark.django_db
def test_the_favicon_is_served_locally(client):
    """Issue 19: an .ico for the browsers that ask /favicon.ico, and an SVG that draws the
    mark as strokes (its old <text> needed a CJK font inside the icon renderer)."""
    from PIL import Image

    page = client.get("/public/").content.decode()
    assert 'rel="icon" href="/static/gongxin/favicon.svg"' in page
    assert 'rel="icon" href="/static/gongxin/favicon.ico"' in page
    redirect = client.get("/favicon.ico")
    assert redirect.status_code == 301 and redirect["Location"] == "/static/gongxin/favicon.ico"
    folder = Path(__file__).resolve().parents[2] / "src/gongxin/core/static/gongxin"
    svg = (folder / "favicon.svg").read_text()
    assert svg.startswith("<svg") and "<text" not in svg
    with Image.open(folder / "favicon.ico") as ico:
        assert ico.format == "ICO" and {(16, 16), (32, 32), (48, 48)} <= set(ico.info["sizes"])


@pytest.mark.django_db
def test_the_portal_links_the_published_meeting_results(client):
    """Issue 11: /public/meetings/ could only be reached by typing its address."""
    page = client.get("/public/").content.decode()
    assert 'href="/public/meetings/"' in page
