"""What a teller types for one post of a paper ballot → cadre ids.

Tokens are separated by spaces, commas or 、. In a candidate-list meeting a token is the
candidate's number on the ballot (1, 2, ...) or the name; in an open meeting it is a name
(unique in the meeting's scope) or ``#id`` for namesakes."""

import re

from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError
from gongxin.people.models import Cadre

from . import integration
from .models import MeetingMode

SPLIT = re.compile(r"[\s,，、;；]+")


def rating_tokens(meeting_post, tokens: list[str]) -> list[str]:
    """A rating item keyed as marked: each token an option's number (1, 2…) or its label."""
    options = meeting_post.options
    keys = []
    for tok in tokens:
        if tok.isdigit() and 1 <= int(tok) <= len(options):
            keys.append(options[int(tok) - 1]["key"])
            continue
        match = [o["key"] for o in options if tok in (o["label"], o["key"])]
        if not match:
            raise DomainError("paper.unknown_token", _("“%(post)s”：没有“%(tok)s”这个评价等次，请填写等次的序号或名称。") % {
                "post": meeting_post.title, "tok": tok}, {"fields": {"__all__": [tok]}})
        keys.append(match[0])
    return keys


def parse_paper_tokens(meeting, meeting_post, text: str) -> list[int]:
    tokens = [t for t in SPLIT.split(text or "") if t]
    if meeting.mode == MeetingMode.RATING:
        return rating_tokens(meeting_post, tokens)
    ids = []
    if meeting.mode == MeetingMode.LIST:
        listed = list(meeting_post.candidates.select_related("cadre").order_by("cadre__name_pinyin", "id"))
        for tok in tokens:
            if tok.isdigit() and 1 <= int(tok) <= len(listed):
                ids.append(listed[int(tok) - 1].cadre_id)
                continue
            match = [c.cadre_id for c in listed if c.cadre.name == tok]
            if len(match) != 1:
                raise DomainError("paper.unknown_token", _("“%(post)s”：候选人名单中没有“%(tok)s”。") % {
                    "post": meeting_post.title, "tok": tok}, {"fields": {"__all__": [tok]}})
            ids.append(match[0])
        return ids
    scope = integration.scope_q(meeting)
    for tok in tokens:
        if tok.startswith("#") and tok[1:].isdigit():
            match = list(Cadre.objects.filter(scope, pk=int(tok[1:])).values_list("pk", flat=True))
        else:
            match = list(Cadre.objects.filter(scope, name=tok).values_list("pk", flat=True)[:2])
        if not match:
            raise DomainError("paper.unknown_token", _("“%(post)s”：推荐范围内没有名叫“%(tok)s”的在职干部。") % {
                "post": meeting_post.title, "tok": tok})
        if len(match) > 1:
            raise DomainError("paper.ambiguous_token", _("“%(post)s”：有多名干部叫“%(tok)s”，请用 #编号 区分。") % {
                "post": meeting_post.title, "tok": tok})
        ids.append(match[0])
    return ids
