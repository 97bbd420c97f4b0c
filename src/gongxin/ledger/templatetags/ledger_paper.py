"""``{% ledger_stamp seq leaf_hex %}``: the QR code and proof line of a ledger record (paper.py)."""

from django import template

from gongxin.ledger import paper

register = template.Library()


@register.inclusion_tag("ledger/_stamp.html", takes_context=True)
def ledger_stamp(context, seq, leaf_hex=""):
    return {"stamp": paper.stamp(seq, leaf_hex or "", request=context.get("request"))}
