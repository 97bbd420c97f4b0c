"""The ledger's event list under the list convention. Events are append-only and numbered from
0, so the unfiltered count is the ledger's size: nothing is counted."""

from functools import cache

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to

from . import labels


def _leaf(row):
    return bytes(row.leaf_hash).hex()[:16] + "…"


def _actor(row):
    return getattr(row, "actor_label", None) or row.actor_name or _("系统")


def _kind(row) -> str:
    return getattr(row, "kind_label", None) or labels.kind_label(row.kind)


def _subject(row):
    s = getattr(row, "subject", None)
    if s is None:  # (an export row: the type in words and the number)
        return f"{labels.subject_type_label(row.subject_type)} {row.subject_id}"
    if s["url"]:
        return format_html('{} <a href="{}">{}</a>', s["type"], s["url"], s["name"] or s["id"])
    return format_html("{} {}", s["type"], s["name"] or s["id"])


def _label_events(rows) -> list:
    """The page's events with their kind, subject and actor in words (one query per subject type)."""
    from types import SimpleNamespace

    subjects = labels.describe_subjects((r.subject_type, r.subject_id) for r in rows)
    people = labels.people_by_username(r.actor_name for r in rows)
    return [SimpleNamespace(**r._asdict(), kind_label=labels.kind_label(r.kind),
                            subject=subjects[(r.subject_type, str(r.subject_id))],
                            actor_label=people.get(r.actor_name, "") if r.actor_name else "") for r in rows]


@cache
def event_list_spec() -> ListSpec:
    return ListSpec(
        name="ledger.events", table_id="event-table", default_sort="-seq", models=("ledger.Event",),
        export_name="ledger-events", empty=_("没有符合条件的记录。可以放宽类型、对象或日期条件。"),
        values=("seq", "recorded_at", "kind", "subject_type", "subject_id", "actor_name", "public", "leaf_hash"),
        prepare=_label_events,
        columns=[
            Column("seq", _("序号"), lambda r: r.seq, link=link_to("ledger:event_detail", "seq"), sort=("seq",),
                   css="num"),
            Column("recorded_at", _("时间"), lambda r: r.recorded_at, sort=("seq",)),
            Column("kind", _("类型"), _kind),
            Column("subject", _("对象"), _subject, html=True),
            Column("actor", _("操作人"), _actor),
            Column("public", _("公开"), lambda r: r.public),
            Column("leaf", _("叶哈希"), _leaf, css="mono", export=lambda r: bytes(r.leaf_hash).hex()),
        ],
    )


class CheckpointFilterForm(forms.Form):
    reason = forms.CharField(label=_("原因"), required=False, max_length=100,
                             widget=forms.TextInput(attrs={"type": "search"}))
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def apply(self, qs):
        if self.is_bound and self.is_valid():
            d = self.cleaned_data
            if d["reason"]:
                qs = qs.filter(reason__contains=d["reason"].strip())
            if d["date_from"]:
                qs = qs.filter(signed_at__date__gte=d["date_from"])
            if d["date_to"]:
                qs = qs.filter(signed_at__date__lte=d["date_to"])
        return qs


def _note(cp):
    return format_html('<pre class="mono wrap">{}</pre>', cp.note)


def _witnesses(cp):
    """Who cosigned the checkpoint and who refused (rows come with both prefetched)."""
    from django.utils.html import format_html_join

    signed = format_html_join(" ", '<span class="badge ok">{}</span>', ((c.witness_name,) for c in cp.cosignatures.all()))
    refused = format_html_join(" ", '<span class="badge bad" title="{}">{}：{}</span>',
                               ((r.message, r.witness_name, _("拒绝联署")) for r in cp.witness_refusals.all()))
    return format_html("{} {}", signed, refused)


def _witnesses_text(cp) -> str:
    return "、".join([c.witness_name for c in cp.cosignatures.all()]
                    + [f"{r.witness_name}（{_('拒绝联署')}）" for r in cp.witness_refusals.all()])


@cache
def checkpoint_list_spec() -> ListSpec:
    return ListSpec(
        name="ledger.checkpoints", default_sort="-size", models=("ledger.Checkpoint",), export_name="checkpoints",
        empty=_("还没有签署检查点。"),
        columns=[
            Column("size", _("大小"), lambda cp: cp.size, css="num", sort=("size",)),
            Column("signed_at", _("签名时间"), lambda cp: cp.signed_at, sort=("signed_at",)),
            Column("reason", _("原因"), lambda cp: labels.checkpoint_reason(cp.reason)),
            Column("witnesses", _("见证方联署"), _witnesses, html=True, export=_witnesses_text),
            Column("note", _("签名文本"), _note, html=True, export=lambda cp: cp.note),
        ])
