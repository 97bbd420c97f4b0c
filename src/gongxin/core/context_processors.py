"""The left menu: each app's AppConfig may declare ``menu`` as a list of
(label, url name, capability or None); items the user may not use are left out."""

from django.apps import apps
from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils.translation import get_language

_URLS: dict[tuple, str | None] = {}


def _url(url_name: str) -> str | None:
    """Menu addresses reversed once per URL configuration and language, not on every page."""
    key = (url_name, get_urlconf(), get_language())
    if key not in _URLS:
        try:
            _URLS[key] = reverse(url_name)
        except NoReverseMatch:
            _URLS[key] = None
    return _URLS[key]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    items = []
    current = request.path
    for config in apps.get_app_configs():
        for label, url_name, capability in getattr(config, "menu", []):
            if capability and not user.has_capability(capability):
                continue
            url = _url(url_name)
            if url is None:
                continue
            items.append({"label": label, "url": url, "active": False})
    # The one entry whose address is the longest prefix of this page ("/cases/rules/" marks
    # 规则管理, not 选任案件 too).
    matching = [item for item in items if item["url"] != "/" and current.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {"menu": items}
