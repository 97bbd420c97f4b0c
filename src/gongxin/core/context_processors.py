"""The left menu: each app's AppConfig may declare ``menu`` as a list of
(label, url name, capability or None[, group]); items the user may not use are left out.

Entries are shown grouped by domain (``MENU_GROUPS``, in this order); an entry that names no
group, or one not listed, goes under 其他. A group the user can use nothing in is not shown."""

from django.apps import apps
from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

_URLS: dict[tuple, str | None] = {}


def _url(url_name: str, urlconf=None, language=None) -> str | None:
    """Menu addresses reversed once per URL configuration and language, not on every page."""
    key = (url_name, urlconf or get_urlconf(), language or get_language())
    if key not in _URLS:
        try:
            _URLS[key] = reverse(url_name)
        except NoReverseMatch:
            _URLS[key] = None
    return _URLS[key]


MENU_GROUPS = [
    ("workbench", _("工作台")),
    ("people", _("干部与单位")),
    ("cases", _("选任")),
    ("meetings", _("会议")),
    ("inspection", _("考察与联审")),
    ("publicity", _("公示与任职")),
    ("assessment", _("考核")),
    ("settings", _("设置")),
    ("ledger", _("账本")),
]
OTHER = ("other", _("其他"))


def menu_entries(config):
    """An app's menu as (label, url name, capability, group) whatever its tuples' length."""
    for entry in getattr(config, "menu", []):
        label, url_name, capability, *rest = entry
        yield label, url_name, capability, (rest[0] if rest else OTHER[0])


_MENU_HTML: dict[tuple, str] = {}
_ENTRIES: dict[tuple, tuple] = {}


def _entries(user, urlconf, language) -> tuple:
    """(label, url, group) of every entry the user may use, worked out once per process for
    each role (``has_capability`` reads the role, the superuser and active flags alone), URL
    configuration and language: walking every app's menu and asking each capability was a
    fifth of a millisecond on every page."""
    key = (type(user), user.is_active, user.is_superuser, getattr(user, "role", None), urlconf, language)
    found = _ENTRIES.get(key)
    if found is None:
        found = []
        for config in apps.get_app_configs():
            for label, url_name, capability, group in menu_entries(config):
                if capability and not user.has_capability(capability):
                    continue
                url = _url(url_name, urlconf, language)
                if url is not None:
                    found.append((label, url, group))
        if len(_ENTRIES) > 1024:
            _ENTRIES.clear()
        found = _ENTRIES[key] = tuple(found)
    return found


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "menu_groups": [], "menu_html": ""}
    current = request.path
    urlconf, language = get_urlconf(), get_language()
    items = [{"label": label, "url": url, "active": False, "group": group}
             for label, url, group in _entries(user, urlconf, language)]
    # The one entry whose address is the longest prefix of this page ("/cases/rules/" marks
    # 规则管理, not 选任案件 too).
    matching = [item for item in items if item["url"] != "/" and current.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    known = dict(MENU_GROUPS)
    groups = []
    for key, label in [*MENU_GROUPS, OTHER]:
        members = [item for item in items if item["group"] == key or (key == OTHER[0] and item["group"] not in known)]
        if members:
            groups.append({"key": key, "label": label, "items": members,
                           "active": any(item["active"] for item in members)})
    return {"menu": items, "menu_groups": groups, "menu_html": _menu_html(groups, language)}


def _menu_html(groups, language) -> str:
    """The sidebar's groups as markup, built once per set of entries, current entry and
    language (as a template loop it was a third of a list page's rendering)."""
    key = (language, tuple((g["key"], tuple((i["url"], i["active"]) for i in g["items"])) for g in groups))
    found = _MENU_HTML.get(key)
    if found is None:
        out = []
        for g in groups:
            is_open = " open" if g["active"] or len(groups) <= 3 else ""
            out.append(f'<details class="menu-group" data-group="{escape(g["key"])}"{is_open}>\n'
                       f'      <summary>{escape(g["label"])}</summary>\n      <ul>')
            for i in g["items"]:
                current = ' class="active" aria-current="page"' if i["active"] else ""
                out.append(f'<li><a href="{escape(i["url"])}"{current}>{escape(i["label"])}</a></li>')
            out.append("</ul>\n    </details>")
        if len(_MENU_HTML) > 1024:
            _MENU_HTML.clear()
        found = _MENU_HTML[key] = mark_safe("".join(out))
    return found
