from django import template

from ..queries import rank_note_label
from ..queries import score as score_text

register = template.Library()


@register.filter
def score(value) -> str:
    """8550 → "85.50"; -1 → 缺考; -2 → 取消资格; None → ""."""
    return score_text(value)


@register.filter
def rank_note(value) -> str:
    """"tied" → 并列; a note stored as text before the codes → the same words."""
    return rank_note_label(value)
