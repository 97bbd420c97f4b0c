"""Pickers (issue 19): a cadre is found by typing, never chosen from a list of thousands.

``cadre_pick`` searches the cadres the user may see by name, pinyin, initials (``wxy``), ID
number or unit. With htmx it answers the results under the input as the user types; without
JavaScript it is a page of its own (search, then choose), and the form's text box accepts a
typed name or ID number when it names exactly one cadre.

``CadrePicker`` is the widget: a search box, the chosen cadre's id in a hidden input."""

import re

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.urls import reverse
from django.utils.translation import gettext as _

from gongxin.accounts.scope import cadre_q

from .models import Cadre
from .queries import search_q

LIMIT = 20
_ID = re.compile(r"^[0-9]{6,17}[0-9Xx]?$")


def find_cadres(user, text: str, limit: int = LIMIT):
    text = (text or "").strip()
    if not text:
        return []
    qs = Cadre.objects.filter(cadre_q(user)).select_related("org_unit")
    if _ID.match(text):
        q = Q(id_number__startswith=text.upper())
    else:
        q = search_q(text) | Q(org_unit__name__contains=text)
    return list(qs.filter(q).order_by("name_pinyin", "id")[:limit])


@login_required
def cadre_pick(request):
    field = re.sub(r"[^\w-]", "", request.GET.get("field", "cadre"))[:40] or "cadre"
    text = request.GET.get("q") or request.GET.get(f"{field}_q", "")  # the picker's box sends <field>_q
    back = request.GET.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = ""
    results = find_cadres(request.user, text)
    context = {"results": results, "q": text, "field": field, "next": back, "limit": LIMIT,
               "breadcrumbs": [(_("选择干部"), None)]}
    if request.headers.get("HX-Request"):
        return render(request, "people/_cadre_pick_results.html", context)
    return render(request, "people/cadre_pick.html", context)


class CadrePicker(forms.Widget):
    """A type-ahead search box; the chosen cadre's id travels in a hidden input."""

    def __init__(self, attrs=None):
        super().__init__(attrs)

    def value_from_datadict(self, data, files, name):
        chosen = data.get(name)
        if chosen:
            return chosen
        typed = (data.get(f"{name}_q") or "").strip()
        if not typed:
            return None
        # No JavaScript: a typed ID number or name that names exactly one cadre is that cadre.
        matches = list(Cadre.objects.filter(Q(id_number=typed.upper()) | Q(name=typed)).values_list("pk", flat=True)[:2])
        return str(matches[0]) if len(matches) == 1 else f"?{typed}"

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = None
        if value not in (None, "") and str(value).isdigit():
            chosen = Cadre.objects.select_related("org_unit").filter(pk=int(value)).first()
        return render_to_string("people/_cadre_picker.html", {
            "name": name, "id": attrs.get("id", f"id_{name}"), "chosen": chosen,
            "typed": str(value)[1:] if isinstance(value, str) and value.startswith("?") else "",
            "pick_url": reverse("people:cadre_pick"), "required": self.is_required,
        })


class UnitTreePicker(forms.Widget):
    """The units as a tree of radio buttons (check boxes when several may be chosen): each
    branch folds (<details>), the chosen unit's branch open. Works without JavaScript; the
    ``ModelChoiceField`` gives the units the user may choose as ``choices``."""

    template = "people/_unit_tree_picker.html"  # the markup render_units builds (kept for reference and tests)

    def __init__(self, attrs=None, multiple=False):
        super().__init__(attrs)
        self.multiple = multiple
        self.choices = []

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False if self.multiple else name not in data

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        units, empty_label = [], None
        for option_value, label in self.choices:
            instance = getattr(option_value, "instance", None)
            if instance is None:
                empty_label = label if str(option_value) == "" else empty_label
                continue
            units.append(instance)
        return self.render_units(name, value, attrs, units, empty_label)

    def render_units(self, name, value, attrs, units, empty_label=None) -> str:
        """The tree of ``units`` (anything with pk, parent_id, path, depth and name, in tree
        order): the markup of people/_unit_tree_picker.html, built in Python (the template
        includes itself once per unit: 158 units took longer than the rest of a list page).
        The list component passes units it keeps per scope, so the page reads none."""
        chosen = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v not in (None, "")}
        ids = {u.pk for u in units}
        children: dict = {}
        for u in units:
            children.setdefault(u.parent_id if u.parent_id in ids else None, []).append(u)
        open_paths = [u.path for u in units if str(u.pk) in chosen]
        kind = "checkbox" if self.multiple else "radio"
        field = escape(name)
        out = [f'<fieldset class="unit-tree" id="{escape(attrs.get("id", f"id_{name}"))}" '
               f'aria-label="{escape(_("单位"))}">\n']
        if not self.multiple and empty_label:
            out.append(f'<label class="unit-option"><input type="radio" name="{field}" value=""'
                       f'{"" if chosen else " checked"}> {escape(empty_label)}</label>')
        out.append("\n<ul>")
        append = out.append

        def node(u):
            value = str(u.pk)
            label = (f'<label class="unit-option"><input type="{kind}" name="{field}" value="{value}"'
                     f'{" checked" if value in chosen else ""}> {escape(u.name)}</label>')
            kids = children.get(u.pk)
            if not kids:
                append(f"<li>{label}</li>\n")
                return
            is_open = u.depth < 1 or any(p.startswith(u.path) for p in open_paths)
            append(f'<li><details{" open" if is_open else ""}><summary>{label}</summary>\n<ul>')
            for kid in kids:
                node(kid)
            append("</ul></details></li>\n")

        for root in children.get(None, []):
            node(root)
        out.append("</ul>\n</fieldset>\n")
        return mark_safe("".join(out))
