"""The Content-Security-Policy breaks no page: htmx, the print buttons and the language
switch still work, and the browser reports no violation (issue 12, item 11)."""

import pytest

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_pages_work_under_the_content_security_policy(new_page, cast, shot):
    page = new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    login(page, "org_admin")
    zhang = cast["cadres"]["zhang"]
    for path in ("/", "/people/cadres/", f"/people/cadres/{zhang.pk}/", f"/people/cadres/{zhang.pk}/edit/",
                 "/public/", "/api/v1/docs"):
        page.goto(page.base + path)
        page.wait_for_load_state("networkidle")
    page.goto(page.base + "/people/cadres/")
    assert page.evaluate("typeof window.htmx") == "object"  # the local htmx loaded
    # the language switch (an inline onchange handler allowed by its hash) submits its form
    page.select_option("select[name=language]", "en")
    page.wait_for_load_state("networkidle")
    assert "Cadre roster" in page.content()
    shot(page, "english-under-csp")
    assert violations == []
