"""The search and filter panel, rendered in Python: Django renders each widget and each of a
select's options through a template (158 units were 3–5 ms a page); choices of a model field
(units in scope, ranks) are read once and kept until that model changes. A widget that draws a
tree of units (``render_units``, people/pickers.py) is given the units kept the same way, so the
page reads none."""

from collections import namedtuple

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .versions import versions

_CHOICES: dict[str, list] = {}


_PANELS: dict[tuple, str] = {}
PANEL_CHARS = 16_000_000  # at most this much kept markup in a process
_panel_chars = [0]


def render_fields(form, user=None) -> str:
    """The panel's fields as markup. For a signed-in user, kept per form, user, language, the
    values asked for and the versions of the models its choices read (the panel is the same on
    every page of a list: 2-3 ms a page at 200,000 cadres, most of it the unit tree); a panel
    showing errors is rendered each time."""
    key = _panel_key(form, user)
    if key is not None:
        found = _PANELS.get(key)
        if found is not None:
            return found
    html = _render_fields(form, user)
    if key is not None:
        # bounded by size, not only by count: a province's unit tree is a large panel
        if len(_PANELS) >= 1024 or _panel_chars[0] + len(html) > PANEL_CHARS:
            _PANELS.clear()
            _panel_chars[0] = 0
        _PANELS[key] = html
        _panel_chars[0] += len(html)
    return html


def _panel_key(form, user) -> tuple | None:
    if user is None or getattr(user, "pk", None) is None or (form.is_bound and form.errors):
        return None
    models, parts = set(), []
    data = form.data
    for name, field in form.fields.items():
        if form.is_bound:
            html_name = form.add_prefix(name)
            value = tuple(data.getlist(html_name)) if hasattr(data, "getlist") else data.get(html_name)
        else:
            initial = form.initial.get(name, field.initial)
            if callable(initial):
                return None
            value = repr(initial)
        choices = ()
        if isinstance(field, forms.ModelChoiceField):
            models.add(field.queryset.model._meta.label)
        elif isinstance(field, forms.ChoiceField):
            choices = tuple(k for k, _v in field.choices)
        parts.append((name, type(field).__name__, type(field.widget).__name__, value, choices, field.disabled,
                      field.required, repr(field.widget.attrs), str(field.label)))
    return (type(form).__module__, type(form).__qualname__, form.prefix, form.is_bound, user.pk,
            getattr(user, "data_scope", ""), _lang(), versions((*sorted(models), "accounts.User")), tuple(parts))


def _render_fields(form, user=None) -> str:
    out = []
    for bf in form:
        widget = bf.field.widget
        if isinstance(widget, forms.HiddenInput):
            value = bf.value()
            out.append(f'<input type="hidden" name="{bf.html_name}" value="{escape(_fmt(widget, value))}">')
            continue
        control = _control(bf, form, user)
        errors = "".join(f'<p class="error">{escape(e)}</p>' for e in bf.errors)
        out.append(f'<div><label for="{bf.id_for_label}">{escape(bf.label)}</label>{control}{errors}</div>')
    return mark_safe("".join(out))


def _fmt(widget, value) -> str:
    value = widget.format_value(value)
    return "" if value is None else str(value)


def _attrs(attrs: dict) -> str:
    out = []
    for name, value in attrs.items():
        if value is True:
            out.append(f" {name}")
        elif value is not False and value is not None:
            out.append(f' {name}="{escape(value)}"')
    return "".join(out)


def _control(bf, form, user) -> str:
    widget = bf.field.widget
    attrs = bf.build_widget_attrs(dict(widget.attrs))
    attrs["id"] = bf.auto_id
    if hasattr(widget, "render_units") and isinstance(bf.field, forms.ModelChoiceField):
        units = _units(bf.field, form, bf.name, user)
        return widget.render_units(bf.html_name, bf.value(), attrs, units, bf.field.empty_label)
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
        value = bf.value()
        current = "" if value is None else str(value)
        options = []
        for key, label in _choices(bf.field, form, bf.name, user):
            selected = " selected" if key == current else ""
            options.append(f'<option value="{escape(key)}"{selected}>{escape(label)}</option>')
        return f'<select name="{bf.html_name}"{_attrs(attrs)}>{"".join(options)}</select>'
    if isinstance(widget, forms.CheckboxInput):
        checked = " checked" if widget.check_test(bf.value()) else ""
        return f'<input type="checkbox" name="{bf.html_name}"{_attrs(attrs)}{checked}>'
    if isinstance(widget, forms.widgets.Input) and not isinstance(widget, forms.FileInput):
        value = _fmt(widget, bf.value())
        return f'<input type="{widget.input_type}" name="{bf.html_name}" value="{escape(value)}"{_attrs(attrs)}>'
    return str(bf)


def _scope_key(field, form, name, user) -> str:
    qs = field.queryset
    label = qs.model._meta.label
    if user is not None:
        # the form's queryset is the user's scope of that model: keyed by the user and
        # the versions of the model and of users (a scope change saves the user or its units)
        return f"{label}|{type(form).__qualname__}.{name}|u{user.pk}:{getattr(user, 'data_scope', '')}|" \
               f"{versions((label, 'accounts.User'))}|{_lang()}"
    sql, params = qs.query.sql_with_params()
    return f"{label}|{sql}|{params!r}|{versions((label,))}|{_lang()}"


Unit = namedtuple("Unit", "pk parent_id path depth name")


def _units(field, form, name, user) -> list:
    """The units of a tree widget's field (the user's scope), in tree order, kept like choices."""
    key = f"tree|{_scope_key(field, form, name, user)}"
    found = _CHOICES.get(key)
    if found is None:
        from .versions import watch

        watch(field.queryset.model._meta.label)
        found = [Unit(*row) for row in field.queryset.values_list("pk", "parent_id", "path", "depth", "name")]
        if len(_CHOICES) > 512:
            _CHOICES.clear()
        _CHOICES[key] = found
    return found


def _choices(field, form, name, user) -> list[tuple[str, str]]:
    if isinstance(field, forms.ModelChoiceField):
        qs = field.queryset
        label = qs.model._meta.label
        key = f"{_scope_key(field, form, name, user)}|{field.empty_label}|{field.to_field_name}"
        found = _CHOICES.get(key)
        if found is None:
            from .versions import watch

            watch(label)
            found = [("", str(field.empty_label))] if field.empty_label is not None else []
            attr = field.to_field_name or "pk"
            for obj in qs:
                text = field.label_from_instance(obj)
                depth = getattr(obj, "depth", None) if label == "people.OrgUnit" else None
                found.append((str(getattr(obj, attr)), ("　" * depth + str(text)) if depth else str(text)))
            if len(_CHOICES) > 512:
                _CHOICES.clear()
            _CHOICES[key] = found
        return found
    choices = field.choices
    # keyed by the option values too: a form that sets its choices per request gets its own entry
    key = f"{type(form).__module__}.{type(form).__qualname__}.{name}|{_lang()}|{hash(tuple(k for k, _v in choices))}"
    found = _CHOICES.get(key)
    if found is None:  # fixed choices: their labels translated once per language
        if len(_CHOICES) > 512:
            _CHOICES.clear()
        found = _CHOICES[key] = _flat(choices)
    return found


def _flat(choices) -> list[tuple[str, str]]:
    out = []
    for k, v in choices:
        if isinstance(v, list | tuple):  # a group: its options, flat
            out.extend((str(k2), str(v2)) for k2, v2 in v)
        else:
            out.append((str(k), str(v)))
    return out


def _lang() -> str:
    from django.utils import translation

    return translation.get_language() or ""
