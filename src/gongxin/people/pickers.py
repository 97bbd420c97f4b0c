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
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from gongxin.accounts.scope import cadre_q

from .models import Cadre, OrgUnit, Post
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


# ---- posts ------------------------------------------------------------------------------------
# A post is found by typing its name, its unit's name or their pinyin initials ("lzzzz" for
# 李庄镇镇长), narrowed to a unit (and the units below it) and to posts with a place free.
# With htmx the results open under the box; without JavaScript the box takes post numbers or
# "unit + post name" (several separated by commas) and the search-then-choose page shows the
# numbers.

_POST_SPLIT = re.compile(r"[,，、;；\s]+")
_ASCII = re.compile(r"^[a-z]+$")
_post_index: dict[str, list[tuple[int, str]]] = {}


def _post_pinyin_index() -> list[tuple[int, str]]:
    """(post id, its pinyin keys) for every active post, built once per change of posts or units:
    full pinyin and initials of the post name and of unit name + post name."""
    from gongxin.core.lists.versions import versions, watch

    from .names import search_keys

    watch("people.Post", "people.OrgUnit")
    key = versions(("people.Post", "people.OrgUnit"))
    found = _post_index.get(key)
    if found is None:
        found = []
        unit_keys: dict[int, tuple[str, str]] = {}
        for pk, title, unit_id, unit_name in Post.objects.filter(is_active=True).values_list(
                "pk", "title", "org_unit_id", "org_unit__name"):
            if unit_id not in unit_keys:
                unit_keys[unit_id] = search_keys(unit_name)
            full, initials = search_keys(title)
            u_full, u_initials = unit_keys[unit_id]
            found.append((pk, f"{initials} {full} {u_initials}{initials} {u_full}{full}"))
        _post_index.clear()
        _post_index[key] = found
    return found


def _post_text_q(text: str) -> Q:
    """Every word of ``text`` in the post's name or its unit's name (or, in Latin letters, in
    their pinyin)."""
    q = Q()
    for word in _POST_SPLIT.split(text.strip()):
        if not word:
            continue
        lowered = word.lower()
        if word.isdigit():
            q &= Q(pk=int(word)) | Q(title__contains=word)
        elif _ASCII.match(lowered):
            ids = [pk for pk, keys in _post_pinyin_index() if lowered in keys]
            q &= Q(pk__in=ids[:5000])
        else:
            q &= Q(title__contains=word) | Q(org_unit__name__contains=word)
    return q


def find_posts(user, text: str = "", *, unit=None, vacant: bool = False, limit: int = LIMIT, within=None):
    """Posts in the user's scope (and in ``within``, a queryset, when given) matching ``text``,
    in ``unit`` and below, with ``filled``, ``in_case`` and ``vacancies``."""
    from .queries import posts_for_user

    qs = posts_for_user(user, unit=unit, vacant_only=vacant)
    if within is not None:
        qs = qs.filter(pk__in=within.values("pk"))
    text = (text or "").strip()
    if text:
        qs = qs.filter(_post_text_q(text))
    return list(qs[:limit])


class PostPickForm(forms.Form):
    q = forms.CharField(label=_("职位名称、单位或拼音首字母"), required=False, max_length=60,
                        widget=forms.TextInput(attrs={"type": "search"}))
    unit = forms.ModelChoiceField(label=_("单位（含下级）"), queryset=OrgUnit.objects.none(), required=False,
                                  empty_label=_("全部"),
                                  widget=UnitTreePicker())
    vacant = forms.BooleanField(label=_("只看有空缺的"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .permissions import units_for_user

        self.fields["unit"].queryset = units_for_user(user)


@login_required
def post_pick(request):
    """The post finder: under a post picker as the user types (htmx), or a page of its own."""
    get = request.GET
    field = re.sub(r"[^\w-]", "", get.get("field", "post"))[:40] or "post"
    if request.headers.get("HX-Request"):
        text = get.get(f"{field}_q") or get.get("q", "")
        unit_name = re.sub(r"[^\w-]", "", get.get("unit_field", ""))[:40]
        unit = get.get("unit") or (get.get(unit_name) if unit_name else None)
        vacant = bool(get.get(f"{field}_vacant") or get.get("vacant"))
        unit_id = int(unit) if unit and str(unit).isdigit() else None
        results = find_posts(request.user, text, unit=unit_id, vacant=vacant) if (text or unit_id or vacant) else []
        return render(request, "people/_post_pick_results.html", {
            "results": results, "searched": bool(text or unit_id or vacant), "field": field, "limit": LIMIT})
    form = PostPickForm(get or None, user=request.user)
    results, searched = [], False
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        searched = bool(d["q"] or d["unit"] or d["vacant"])
        if searched:
            results = find_posts(request.user, d["q"], unit=d["unit"].pk if d["unit"] else None, vacant=d["vacant"],
                                 limit=100)
    return render(request, "people/post_pick.html", {
        "form": form, "results": results, "searched": searched, "field": field, "limit": 100,
        "breadcrumbs": [(_("查找职位"), None)]})


def post_label(post) -> str:
    return f"{post.org_unit.name} {post.title}"


class PostPicker(forms.Widget):
    """A type-ahead search box for posts, with "only vacant" beside it; the chosen posts travel
    as checked boxes (``multiple``) or a hidden input. ``unit_field``: the name of a unit field
    of the same form whose choice narrows the search (the case's unit)."""

    def __init__(self, attrs=None, multiple=False, unit_field=""):
        super().__init__(attrs)
        self.multiple, self.unit_field = multiple, unit_field
        self.choices = []

    def _scope(self):
        qs = getattr(self.choices, "queryset", None)
        return qs if qs is not None else Post.objects.filter(is_active=True)

    def _resolve(self, typed: str) -> list[str]:
        """Typed post numbers or "unit + post name" (no JavaScript): each that names exactly one
        post in scope is that post; any other stays "?text", for the field to name it."""
        out = []
        scope = self._scope()
        for token in _POST_SPLIT.split(typed.strip()) if self.multiple else [typed.strip()]:
            if not token:
                continue
            if token.isdigit():
                matches = list(scope.filter(pk=int(token)).values_list("pk", flat=True)[:1])
            else:
                from django.db.models.functions import Concat

                matches = list(scope.annotate(_full=Concat("org_unit__name", "title")).filter(
                    Q(_full=token.replace(" ", "")) | Q(title=token)).values_list("pk", flat=True)[:2])
            out.append(str(matches[0]) if len(matches) == 1 else f"?{token}")
        return out

    def value_from_datadict(self, data, files, name):
        typed = (data.get(f"{name}_q") or "").strip()
        if self.multiple:
            chosen = data.getlist(name) if hasattr(data, "getlist") else list(data.get(name) or [])
            if isinstance(chosen, str):
                chosen = [chosen]
            return [*chosen, *(v for v in self._resolve(typed) if v not in chosen)] if typed else chosen
        chosen = data.get(name)
        if chosen:
            return chosen
        if not typed:
            return None
        return self._resolve(typed)[0]

    def value_omitted_from_data(self, data, files, name):
        return False if self.multiple else (name not in data and f"{name}_q" not in data)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        values = value if isinstance(value, (list, tuple)) else [value]
        ids = [int(v) for v in values if v not in (None, "") and str(v).isdigit()]
        typed = [str(v)[1:] for v in values if isinstance(v, str) and v.startswith("?")]
        by_pk = {p.pk: p for p in Post.objects.filter(pk__in=ids).select_related("org_unit", "rank")}
        chosen = [by_pk[i] for i in ids if i in by_pk]
        return render_to_string("people/_post_picker.html", {
            "name": name, "id": attrs.get("id", f"id_{name}"), "chosen": chosen, "multiple": self.multiple,
            "typed": "，".join(typed), "unit_field": self.unit_field,
            "pick_url": reverse("people:post_pick"), "required": self.is_required,
        })


def _unknown_posts(values) -> list[str]:
    return [str(v)[1:] for v in values if isinstance(v, str) and v.startswith("?")]


def _unknown_message(unknown: list[str]) -> str:
    return _("没有找到职位“%(names)s”，或有多个职位与之同名。请在查找结果中点选，或填写职位编号（在“查找职位”页可查）。") % {
        "names": "、".join(unknown)}


class PostChoiceField(forms.ModelChoiceField):
    """One post, chosen with :class:`PostPicker`."""

    def __init__(self, *args, unit_field="", **kwargs):
        kwargs.setdefault("widget", PostPicker(unit_field=unit_field))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        unknown = _unknown_posts([value])
        if unknown:
            raise forms.ValidationError(_unknown_message(unknown), code="invalid_choice")
        return super().to_python(value)


class PostMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several posts, chosen with :class:`PostPicker` (multiple)."""

    def __init__(self, *args, unit_field="", **kwargs):
        kwargs.setdefault("widget", PostPicker(multiple=True, unit_field=unit_field))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        unknown = _unknown_posts(value or [])
        if unknown:
            raise forms.ValidationError(_unknown_message(unknown), code="invalid_choice")
        return super().clean(value)
