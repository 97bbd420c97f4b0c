"""Turn a stored result into rows a page shows (names, percentages, slate marks)."""

from django.utils.translation import gettext as _

from gongxin.people.models import Cadre

from . import rating, tally


def reason_label(reason: str) -> str:
    return {
        "consensus": _("推荐意见集中，等额提名"),
        "dispersed": _("推荐票分散，差额提名"),
        "close": _("多名人选得票接近，差额提名"),
        "no_valid_ballots": _("没有有效推荐票"),
    }.get(reason, reason)


def result_rows(result_tally: dict, names: dict[str, str] | None = None) -> list[dict]:
    if not result_tally:
        return []
    ids = set()
    for post in result_tally["posts"]:
        ids.update(post["votes"])
    if names is None:
        names = {str(pk): name for pk, name in Cadre.objects.filter(pk__in=[int(i) for i in ids]).values_list("pk", "name")}
    rows = []
    for post in result_tally["posts"]:
        slate = post.get("slate") or {}
        nominees = slate.get("nominees", [])
        tied = {c for group in slate.get("ties_broken", []) for c in group}
        candidates = [{
            "id": cid, "name": names.get(cid, cid), "votes": votes, "share": tally.percent(post["shares"][cid]),
            "share_exact": post["shares"][cid], "nominated": cid in nominees, "tied": cid in tied,
        } for cid, votes in post["votes"].items()]
        rank = {c: i for i, c in enumerate(nominees)}
        candidates.sort(key=lambda c: (-c["votes"], rank.get(c["id"], len(rank)), c["id"]))
        rows.append({
            "key": post["key"], "title": post.get("title", ""), "k": post["k"], "valid": post["valid"],
            "invalid": post["invalid"], "blank": post["blank"], "candidates": candidates,
            "has_slate": "slate" in post, "slate": slate,
            "nominee_names": [names.get(c, c) for c in nominees],
            "reason": reason_label(slate.get("reason", "")) if slate else "",
        })
    return rows


def rating_rows(meeting, result_tally: dict, posts) -> list[dict]:
    """A rating meeting's items: each option's count and share, the rate, 不了解 apart, the flag."""
    if not result_tally:
        return []
    items = [{"key": p.key, "title": p.title, "options": p.options} for p in posts]
    rules = rating.RatingRules.from_dict(rating.split_rules(meeting.rules)[1])
    rows = []
    for item, rated in zip(items, rating.rate_result(result_tally, items, rules), strict=True):
        rows.append({**rated, "rating": True, "rate_percent": rating.percent(rated["rate"]),
                     "unknown_percent": rating.percent(rated["unknown_share"]),
                     "unfavourable_percent": rating.percent(rated["unfavourable_share"]),
                     "options": [{"label": o["label"], "kind": o["kind"], "count": rated["counts"][o["key"]],
                                  "share": rating.percent(rated["shares"][o["key"]])} for o in item["options"]]})
    return rows
