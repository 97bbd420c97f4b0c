"""Reads of two-way selection, shaped for pages and the API: names instead of ids, why-not
lines in the reader's language."""

from django.utils.translation import gettext as _

from . import core
from .models import MatchingRound, Outcome, RoundSection, RoundStaff


def section_names(round_: MatchingRound) -> dict[str, str]:
    return {str(pk): name for pk, name in round_.sections.values_list("pk", "section__name")}


def why_not_lines(round_: MatchingRound, entry: RoundStaff, names: dict[str, str] | None = None) -> list[str]:
    """The why-not lines of one person: for each section they ranked above their result."""
    if not round_.outputs:
        return []
    names = names or section_names(round_)
    out = []
    for section, kind, rank, cutoff in round_.outputs.get("why_not", {}).get(str(entry.pk), []):
        msgid, params = core.why_not_text(names.get(section, section), kind, rank, cutoff)
        out.append(_(msgid) % params)
    return out


def staff_rows(round_: MatchingRound) -> list[RoundStaff]:
    return list(round_.staff.select_related("cadre", "section__section").order_by("cadre__name_pinyin", "pk"))


def progress(round_: MatchingRound) -> dict:
    """How many on each side have submitted (never what they submitted: sealed until close)."""
    staff = round_.staff.all()
    sections = round_.sections.all()
    return {"staff": staff.count(), "staff_ranked": staff.filter(ranked_at__isnull=False).count(),
            "sections": sections.count(), "sections_ranked": sections.filter(ranked_at__isnull=False).count()}


def differences(round_: MatchingRound) -> list[dict]:
    """People the two stable matchings place differently, with names, in the rule's order."""
    if not round_.alternative:
        return []
    names = section_names(round_)
    people = dict(round_.staff.values_list("pk", "cadre__name"))
    none = _("未匹配")
    return [{"name": people.get(int(p), p), "chosen": names.get(a, none) if a else none,
             "other": names.get(b, none) if b else none}
            for p, a, b in round_.alternative.get("differences", [])]


def sections_with_spare(round_: MatchingRound) -> list[tuple[RoundSection, int]]:
    out = []
    for s in round_.sections.select_related("section").prefetch_related("members"):
        taken = sum(1 for m in s.members.all() if m.outcome in (Outcome.MATCHED, Outcome.ASSIGNED))
        out.append((s, s.headcount - taken))
    return out


def my_rounds(user):
    """(staff entries, sections) the user takes part in, newest round first."""
    from .permissions import my_sections, my_staff_entries

    return (list(my_staff_entries(user).select_related("round", "round__org_unit", "section__section")
                 .order_by("-round__created_at")),
            list(my_sections(user).select_related("round", "round__org_unit", "section").order_by("-round__created_at")))
