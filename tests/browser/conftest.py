"""Browser tests: Playwright driving Debian's chromium (never a downloaded browser).

Run with ``pytest -m browser tests/browser``. Screenshots go to test-artifacts/screenshots/."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    # This hook sees every item of the session, not only this folder's.
    mine = [item for item in items if HERE in Path(str(item.path)).resolve().parents]
    for item in mine:
        item.add_marker(pytest.mark.browser)
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
        for item in mine:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(viewport=(w, h)) → a fresh page in its own context, with ``.url(path)``."""
    contexts = []

    def _new(viewport=(1280, 900), locale="zh-CN"):
        ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale=locale)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(30_000)  # a loaded CI machine can take over 10 s to serve a page
        page.base = live_server.url
        # Playwright's click returns once a navigation it caused has started: wait for the new
        # page to finish loading, so that what a test reads next is the whole new page (under
        # CI's load the cadre list was once counted before its rows were parsed). A click that
        # navigates nowhere finds the page loaded and goes on at once.
        click = page.click

        def click_and_wait(*args, **kwargs):
            click(*args, **kwargs)
            page.wait_for_load_state()

        page.click = click_and_wait
        return page

    yield _new
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def shot(request):
    """shot(page, "name") saves test-artifacts/screenshots/<test>-<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def _shot(page, name):
        path = SHOTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


def login(page, username, password="pass-1234-word"):
    page.goto(page.base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
