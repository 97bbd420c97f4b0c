"""Small parts most list pages share: the search box, a choice with "全部", the narrowing of a
queryset by a filter form, and a status shown as a coloured badge."""

from collections.abc import Callable
from functools import reduce
from operator import or_

from django import forms
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .columns import choice_labels


def search_field(label, max_length: int = 50) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length,
                           widget=forms.TextInput(attrs={"type": "search"}))


def choice_field(label, choices) -> forms.ChoiceField:
    """A filter by one of ``choices``, or all."""
    return forms.ChoiceField(label=label, required=False, choices=[("", _("全部")), *choices])


def narrow(qs, form, rules: dict[str, str | tuple[str, ...] | Callable]):
    """``qs`` narrowed by each filled field of ``form`` (when it is bound and valid). A rule is a
    lookup ("status"), several lookups any of which may match (a search: ("title__contains",
    "org_unit__name__contains")), or a function (qs, value) → qs. Text is stripped first."""
    if not (form.is_bound and form.is_valid()):
        return qs
    for name, rule in rules.items():
        value = form.cleaned_data.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", [], ()):
            continue
        if callable(rule):
            qs = rule(qs, value)
        elif isinstance(rule, str):
            qs = qs.filter(**{rule: value})
        else:
            qs = qs.filter(reduce(or_, (Q(**{lookup: value}) for lookup in rule)))
    return qs


class Badge:
    """A getter: the label of ``row.<field_name>`` in a badge, its class from ``css`` (value →
    "ok", "warn", "bad"); give ``export=label_of(...)`` to the column for the file."""

    def __init__(self, model, field_name: str, css: dict[str, str] | Callable):
        self.model, self.field_name, self.css = model, field_name, css

    def __call__(self, row):
        return self.bind()(row)

    def bind(self):
        labels, name, css = choice_labels(self.model, self.field_name), self.field_name, self.css
        pick = css if callable(css) else (lambda row: css.get(getattr(row, name), ""))

        def get(row):
            value = getattr(row, name)
            cls = pick(row)
            return format_html('<span class="badge{}">{}</span>', f" {cls}" if cls else "", labels.get(value, value))

        return get
