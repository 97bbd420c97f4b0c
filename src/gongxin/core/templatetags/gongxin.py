from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label: str):
    """A column header that sorts by ``key``, toggling direction, keeping the filters."""
    request = context["request"]
    params = request.GET.copy()
    current = params.get("sort", "")
    new = f"-{key}" if current == key else key
    arrow = " ▲" if current == key else (" ▼" if current == f"-{key}" else "")
    params["sort"] = new
    params.pop("page", None)
    return format_html('<a href="?{}">{}{}</a>', params.urlencode(), label, arrow)


@register.simple_tag(takes_context=True)
def query_without(context, *names: str) -> str:
    params = context["request"].GET.copy()
    for name in names:
        params.pop(name, None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


@register.filter
def yyyymm(value) -> str:
    return f"{value:%Y.%m}" if value else ""


class _TitleNode(template.Node):
    def __init__(self, nodelist, separator):
        self.nodelist = nodelist  # the {% block title %} inside stays overridable
        self.separator = separator

    def render(self, context):
        own = self.nodelist.render(context).strip()
        return f"{own}{self.separator}" if own else ""


@register.tag
def page_title(parser, token):
    """``{% page_title %}{% block title %}{% endblock %}{% endpage_title %}`` → the page's own
    title followed by " · ", or nothing when the page names none (Django has no way to ask
    whether a block is empty in an ``{% if %}``)."""
    nodelist = parser.parse(("endpage_title",))
    parser.delete_first_token()
    return _TitleNode(nodelist, " · ")


@register.filter
def may_open(url, user) -> bool:
    """``{% if b.url|may_open:request.user %}``: a link only to a page the user may open."""
    from gongxin.core.links import may_open as _may_open

    return _may_open(user, url)
