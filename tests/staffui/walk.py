"""Walk every staff page a user can reach: every URL pattern of the staff apps, its ids filled
in from the links the pages themselves show (so from the data), breadth first from the home
page and the menu. At most ``per_pattern`` pages of one pattern are opened.

Used by the plain-words test and the no-big-select test."""

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, get_resolver, resolve
from django.urls.resolvers import URLPattern, URLResolver

SKIP_PREFIXES = ("/public/", "/api/", "/i18n/", "/static/", "/media/", "/accounts/logout", "/admin/", "/healthz",
                 "/favicon.ico", "/v/")
# Pages that are files, not screens (the walk checks HTML only)
SKIP_NAMES = {"attachment_download", "feedback_attachment"}


def all_patterns() -> list[str]:
    """Every route of the URL map as 'namespace:name' (those with a name)."""
    out = []

    def walk(patterns, ns):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name:
                out.append(f"{ns}{p.name}")

    walk(get_resolver().url_patterns, "")
    return out


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


@dataclass
class Page:
    url: str
    name: str
    html: str


@dataclass
class Walk:
    pages: list[Page] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def names(self) -> set[str]:
        return {p.name for p in self.pages}


def route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def pages_without_arguments() -> list[str]:
    """Every named staff route that takes no argument, as an address."""
    from django.urls import NoReverseMatch, reverse

    out = []
    for name in all_patterns():
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        if not url.startswith(SKIP_PREFIXES) and name.split(":")[-1] not in SKIP_NAMES:
            out.append(url)
    return out


def walk(client, *, per_pattern=2, limit=400, start=None) -> Walk:
    """From the home page and every route without arguments; pages with ids are reached
    through the links the pages show."""
    seen_urls: set[str] = set()
    opened: dict[str, int] = {}
    queue = deque(start or ["/", *pages_without_arguments()])
    result = Walk()
    while queue and len(result.pages) < limit:
        url = queue.popleft()
        if url in seen_urls:
            continue
        seen_urls.add(url)
        name = route_name(urlsplit(url).path)
        if name is None or name.split(":")[-1] in SKIP_NAMES or opened.get(name, 0) >= per_pattern:
            continue
        opened[name] = opened.get(name, 0) + 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            if response.status_code in (403, 404):
                result.refused.append(url)
            continue
        html = response.content.decode()
        result.pages.append(Page(url, name, html))
        parser = _Links()
        parser.feed(html)
        for href in parser.links:
            href, _frag = urldefrag(href)
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIP_PREFIXES) or "export" in parts.path or parts.path.endswith((".pdf", ".xlsx", ".docx", ".lrmx", ".csv", ".zip", ".json")):
                continue
            # keep one page of each list (paging and sorting are the same screen)
            target = parts.path + (f"?{parts.query}" if parts.query and "page=" not in parts.query and "sort=" not in parts.query else "")
            if target not in seen_urls:
                queue.append(target)
    return result


class _Visible(HTMLParser):
    """The text a person sees: no tags, no <script>/<style>, no attribute values."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


class _Selects(HTMLParser):
    def __init__(self):
        super().__init__()
        self.current: str | None = None
        self.counts: list[list] = []

    def handle_starttag(self, tag, attrs):
        if tag == "select":
            self.current = dict(attrs).get("name") or dict(attrs).get("id") or "?"
            self.counts.append([self.current, 0])
        elif tag == "option" and self.current is not None:
            self.counts[-1][1] += 1

    def handle_endtag(self, tag):
        if tag == "select":
            self.current = None


def big_selects(html: str, limit: int = 100) -> list[tuple[str, int]]:
    """Each <select> of more than ``limit`` options: (its name, how many)."""
    parser = _Selects()
    parser.feed(html)
    return [(name, n) for name, n in parser.counts if n > limit]
