"""Every list page follows the one list convention (core/lists, issue 19): found by walking every
staff address that takes no argument, as a superuser (who may open every page), and checking each
page that shows a data table: a search and filter panel, sortable headers, a page size, jump to
page, export of what is filtered (CSV and Excel, whose header is the table's), and a choice of
columns that the table obeys. A table page that is not a list says why below."""

import csv
import io
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Pages with a data table that are not lists of records, and why.
NOT_LISTS = {
    "/inspection/dashboard/": "a dashboard: figures per team and kind, not records",
}
# Lists not yet moved onto the convention (issue 19 stays open for them): named here so that
# the walk fails on any other table page, and on these once they are converted and forgotten.
NOT_YET: set[str] = set()
# Any table of records, whatever its class ("table" was the jobs list's before the convention).
DATA_TABLE = re.compile(r'<table class="(?:data|table)"')
SKIP_PREFIXES = ("/api/", "/public/", "/admin/", "/accounts/login", "/accounts/logout", "/accounts/otp",
                 "/static/", "/i18n/", "/health", "/metrics", "/vote", "/v/")


def _addresses(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(?P" in route or route.startswith("^"):
            continue
        if isinstance(entry, URLResolver):
            yield from _addresses(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route


@pytest.fixture
def superuser(cast):
    from gongxin.accounts.models import User

    return User.objects.create_superuser("root_walker", password="pass-1234-word", full_name="巡检员")


def _headers(html: str) -> list[str]:
    listed = html[html.index("data-list="):]
    thead = re.search(r"<thead><tr>(.*?)</tr></thead>", listed, re.S).group(1)
    return [re.sub(r"<[^>]+>|[▲▼]", "", th).strip() for th in re.findall(r"<th[^>]*>(.*?)</th>", thead, re.S)]


def _check(client, address: str, html: str, problems: list, offer_export: bool = True) -> None:
    """One list page against the convention: each missing part is a line in ``problems``. A role
    that may not export a list (a cadre, the cadre list) is offered no export (``offer_export``)."""
    filters = re.search(r"<form[^>]*data-list-filters.*?</form>", html, re.S)
    if not filters or not re.search(r'<(input|select)(?![^>]*type="hidden")[^>]*name="', filters.group(0)):
        problems.append(f"{address}: no search or filter fields")
    if not re.search(r'<th[^>]*><a href="\?[^"]*sort=', html):
        problems.append(f"{address}: no sortable column")
    if 'name="size"' not in html or not re.search(r'data-list-jump.*?name="page"', html, re.S):
        problems.append(f"{address}: no page size or jump to page")
    if 'name="cols"' not in html:
        problems.append(f"{address}: no choice of columns")
    shown = _headers(html)
    if "data-list-export" not in html:
        if offer_export:
            problems.append(f"{address}: no export")
        return _check_columns(client, address, html, problems)
    exported = client.get(address, {"export": "csv"})
    if exported.status_code != 200 or not exported["Content-Type"].startswith("text/csv"):
        problems.append(f"{address}: CSV export answered {exported.status_code}")
    else:
        text = b"".join(exported.streaming_content).decode("utf-8-sig")
        header = next(csv.reader(io.StringIO(text)))
        if header != shown:
            problems.append(f"{address}: the CSV header {header} is not the table's {shown}")
    xlsx = client.get(address, {"export": "xlsx"})
    if xlsx.status_code != 200 or "spreadsheetml" not in xlsx["Content-Type"]:
        problems.append(f"{address}: Excel export answered {xlsx.status_code}")
    _check_columns(client, address, html, problems)


def _check_columns(client, address: str, html: str, problems: list) -> None:
    first = re.search(r'name="cols" value="([^"]+)"', html)
    if first:
        narrowed = client.get(address, {"cols": first.group(1), "size": 20})
        if narrowed.status_code != 200 or len(_headers(narrowed.content.decode())) != 1:
            problems.append(f"{address}: choosing one column does not show one column")


def _walk(client, addresses, problems: list, offer_export: bool = True) -> list[str]:
    """Open each address; check every page with a table of records. Returns the list pages."""
    lists = []
    for address in addresses:
        response = client.get(address)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if not DATA_TABLE.search(html) or address in NOT_LISTS:
            continue
        if address in NOT_YET:
            if "data-list=" in html:
                problems.append(f"{address}: now on the convention; take it out of NOT_YET")
            continue
        if "data-list=" not in html:
            problems.append(f"{address}: a data table outside the list convention")
            continue
        lists.append(address)
        _check(client, address, html, problems, offer_export)
    return lists


def test_every_list_page_follows_the_list_convention(client_for, superuser):
    from gongxin.jobs.models import Job

    # a job of the walker's own, so that its jobs list has a row to show
    Job.objects.create(kind="test", title="巡检任务", func="gongxin.jobs.tasks.count", started_by=superuser)
    problems: list[str] = []
    addresses = sorted(a for a in set(_addresses()) if not a.startswith(SKIP_PREFIXES))
    lists = _walk(client_for(superuser), addresses, problems)
    assert not problems, "\n".join(problems)
    # the walk found the lists (and so would notice one that stopped being a list)
    for expected in ("/people/cadres/", "/reserve/", "/cases/", "/ledger/", "/accounts/users/", "/jobs/",
                     "/assessment/", "/meetings/", "/exams/"):
        assert expected in lists, (expected, lists)


ROLE_ONLY = ("inspector", "reviewer", "voter", "cadre", "section_head")


def test_role_only_queues_follow_the_list_convention(client_for, cast):
    """The queues a role reaches from its own menu (考察, 联审待办, 我的报名, 职位空缺公告...)
    render for that role as they do not for the superuser: walked as each role."""
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse

    from gongxin.core.context_processors import menu_entries

    problems: list[str] = []
    walked = 0
    for role in ROLE_ONLY:
        user = cast["users"][role]
        addresses = set()
        for config in apps.get_app_configs():
            for _label, url_name, capability, _group in menu_entries(config):
                if capability and not user.has_capability(capability):
                    continue
                try:
                    addresses.add(reverse(url_name))
                except NoReverseMatch:
                    continue
        walked += len(addresses)
        _walk(client_for(user), sorted(addresses), problems, offer_export=False)
    assert walked >= len(ROLE_ONLY), walked
    assert not problems, "\n".join(problems)
