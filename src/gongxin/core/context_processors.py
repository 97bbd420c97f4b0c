"""The left menu: each app's AppConfig may declare ``menu`` as a list of
(label, url name, capability or None); items the user may not use are left out."""

from django.apps import apps
from django.urls import NoReverseMatch, reverse


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
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append({"label": label, "url": url, "active": current.startswith(url) and url != "/"})
    return {"menu": items}
