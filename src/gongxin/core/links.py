"""A link only to a page the user may open (issue 19): a voter reading a case must not be
offered the joint review or the cadre's file, which answer 403.

Each app says, on its AppConfig, which capability its pages require::

    link_capabilities = {"inspection:": ("inspection.work", "inspection.manage"),
                         "inspection:review_": "review.manage"}

keys are URL names or their beginnings (the longest that fits wins); a value is a capability
or several (any one suffices). :func:`may_open` resolves an address to its URL name and checks
the user's capabilities; a page no app describes stays a link (the view still checks)."""

from urllib.parse import urlsplit

from django.apps import apps
from django.urls import Resolver404, resolve

_rules: list[tuple[str, tuple[str, ...]]] | None = None
_names: dict[str, str | None] = {}


def rules() -> list[tuple[str, tuple[str, ...]]]:
    global _rules
    if _rules is None:
        found: dict[str, tuple[str, ...]] = {}
        for config in apps.get_app_configs():
            for prefix, caps in (getattr(config, "link_capabilities", None) or {}).items():
                found[prefix] = (caps,) if isinstance(caps, str) else tuple(caps)
        _rules = sorted(found.items(), key=lambda item: -len(item[0]))
    return _rules


def required(view_name: str) -> tuple[str, ...] | None:
    """The capabilities (any one) a page requires, or None when no app says."""
    for prefix, caps in rules():
        if view_name.startswith(prefix):
            return caps
    return None


def _view_name(path: str) -> str | None:
    if path not in _names:
        try:
            _names[path] = resolve(path).view_name
        except Resolver404:
            _names[path] = None
        if len(_names) > 4096:
            _names.clear()
    return _names.get(path)


def may_open(user, url: str) -> bool:
    if not url:
        return False
    parts = urlsplit(str(url))
    if parts.scheme or parts.netloc:  # another site: not ours to judge
        return True
    name = _view_name(parts.path)
    caps = required(name) if name else None
    if caps is None:
        return True
    if user is None or not user.is_authenticated:
        return False
    return any(user.has_capability(c) for c in caps)
