"""Issue 19's small things: titles keep their separator, date inputs show their default,
one required mark per field, the menu grouped by domain."""

import datetime as dt
import re

import pytest
from django import forms
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_a_page_title_keeps_its_separator(cast, client_for):
    page = client_for(cast["users"]["org_admin"]).get("/cases/rules/").content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    assert title == "规则管理 · 公信 · 干部选拔任用", title


def test_a_page_without_a_title_has_no_dangling_separator(client):
    from django.template import engines

    html = engines["django"].from_string('{% extends "base.html" %}').render({})
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title == "公信 · 干部选拔任用"


def test_a_date_input_renders_its_default_as_yyyy_mm_dd():
    class F(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), initial=dt.date(2026, 12, 6))

    with translation.override("zh-hans"):
        assert 'value="2026-12-06"' in str(F()["day"])
        # what the old first format printed, still accepted when typed
        assert F({"day": "2026/12/06"}).is_valid()


def test_the_required_mark_follows_the_field_label_only():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "src/gongxin/core/static/gongxin/app.css").read_text()
    assert ".field.required > label::after" in css
    assert ".field.required label::after" not in css  # that one marked every checkbox too


def test_the_menu_is_grouped_by_domain_and_shows_only_what_the_role_may_use(cast, client_for):
    page = client_for(cast["users"]["clerk"]).get("/cases/rules/")
    groups = page.context["menu_groups"]
    keys = [g["key"] for g in groups]
    assert keys[:4] == ["workbench", "people", "cases", "meetings"] and "ledger" in keys
    assert "settings" not in keys or all(str(i["label"]) != "规则管理" for g in groups for i in g["items"])
    reviewer = client_for(cast["users"]["reviewer"]).get("/inspection/review/queue/")
    assert [g["key"] for g in reviewer.context["menu_groups"]] in (["workbench", "inspection"],
                                                                    ["workbench", "inspection", "settings"])
    html = page.content.decode()
    assert html.count('<details class="menu-group"') == len(groups)


def test_the_header_names_the_role_once(cast, client_for):
    user = cast["users"]["clerk"]
    html = client_for(user).get("/cases/").content.decode()
    header = html.split('<header class="topbar">', 1)[1].split("</header>", 1)[0]
    assert header.count(user.get_role_display()) == 1
