"""A candidate's nomination basis (``Candidate.evidence``, a dict each channel fills) in words,
with links to the records it cites (issue 19: it was shown as ``recommended_on=…；note=…``)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LABELS = {
    "recommended_on": gettext_lazy("推荐日期"), "note": gettext_lazy("说明"), "lobbying": gettext_lazy("拉票行为"),
    "application": gettext_lazy("自荐报名"), "statement": gettext_lazy("自荐理由"),
    "meeting": gettext_lazy("推荐会议"), "post": gettext_lazy("推荐职位"), "votes": gettext_lazy("得票"),
    "valid_ballots": gettext_lazy("有效票"), "share": gettext_lazy("得票率"), "competitive": gettext_lazy("差额推荐"),
    "training_class": gettext_lazy("中青班"), "performance_records": gettext_lazy("实绩备案"),
    "key_projects": gettext_lazy("重点工程"),
}
SKIP = {"meeting_title"}  # shown as the meeting link's words


def _url(name, pk) -> str:
    try:
        return reverse(name, args=[int(pk)])
    except (NoReverseMatch, TypeError, ValueError):
        return ""


def _yes_no(value) -> str:
    return _("是") if value else _("否")


def lines(evidence: dict) -> list[dict]:
    """[{"label", "text", "url"}] in a stable order: the known keys first, then any other."""
    evidence = evidence or {}
    out = []
    for key in [*LABELS, *sorted(k for k in evidence if k not in LABELS)]:
        if key not in evidence or key in SKIP or evidence[key] in (None, "", [], {}):
            continue
        value, url = evidence[key], ""
        if key == "meeting":
            text, url = evidence.get("meeting_title") or _("第 %(n)s 次会议") % {"n": value}, _url("meetings:detail", value)
        elif key == "training_class":
            text, url = evidence.get("note") or _("查看"), _url("reserve:class_detail", value)
        elif key in ("lobbying", "competitive"):
            text = _yes_no(value)
        elif key == "share":
            try:
                text = f"{float(value):.1%}" if float(value) <= 1 else f"{float(value):.1f}%"
            except (TypeError, ValueError):
                text = str(value)
        elif key == "performance_records":
            text = "；".join(f"{r.get('date', '')} {r.get('project', '')}·{r.get('title', '')}".strip() for r in value
                            if isinstance(r, dict))
        elif key == "application":
            text = _("已提交（编号 %(n)s）") % {"n": value}
        elif isinstance(value, list):
            text = "、".join(str(v) for v in value)
        elif isinstance(value, dict):
            text = "；".join(str(v) for v in value.values())
        else:
            text = str(value)
        if key == "note" and "training_class" in evidence:
            continue  # the class's name, shown as its link
        label = LABELS.get(key, _("其他依据"))
        out.append({"label": str(label), "text": text, "url": url})
    return out
