"""Who may see and do what in two-way selection. Fetch functions check the capability and the
data scope together: no capability is 403, out of scope is 404.

- Clerks and admins (``two_way.manage``) run rounds in units within their data scope and
  record the committee's decisions.
- Staff (``self.service`` with a cadre record) rank sections only in rounds they are in.
- Section heads (``two_way.rank``) rank staff only for the sections they are attached to."""

from django.utils.translation import gettext as _

from gongxin.accounts.scope import unit_q
from gongxin.core.errors import NotFound
from gongxin.people.permissions import require  # noqa: F401  (403 for a missing capability, as people does)

from .models import MatchingRound, RoundSection, RoundStaff


def can_manage_matching(user) -> bool:
    return user.is_authenticated and user.has_capability("two_way.manage")


def can_rank_as_section(user) -> bool:
    return user.is_authenticated and user.has_capability("two_way.rank")


def can_rank_as_staff(user) -> bool:
    return user.is_authenticated and user.has_capability("self.service") and bool(user.cadre_id)


def rounds_managed_by(user):
    if not can_manage_matching(user):
        return MatchingRound.objects.none()
    return MatchingRound.objects.filter(unit_q(user, "org_unit"))


def get_round_for_manager(user, pk, *, for_update: bool = False) -> MatchingRound:
    require(user, can_manage_matching(user))
    qs = rounds_managed_by(user).select_related("org_unit")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=pk)
    except (MatchingRound.DoesNotExist, ValueError, TypeError):
        raise NotFound("matching.round.not_found", _("找不到该双向选择轮次，或不在您的数据范围内。")) from None


def my_staff_entries(user):
    if not can_rank_as_staff(user):
        return RoundStaff.objects.none()
    return RoundStaff.objects.filter(cadre_id=user.cadre_id)


def my_sections(user):
    if not can_rank_as_section(user):
        return RoundSection.objects.none()
    return RoundSection.objects.filter(section__in=user.org_units.all())


def get_staff_entry_for_user(user, round_pk) -> RoundStaff:
    """The user's own place in a round: only staff of that round."""
    require(user, can_rank_as_staff(user))
    entry = my_staff_entries(user).select_related("round", "round__org_unit", "cadre", "section__section").filter(
        round_id=round_pk).first() if str(round_pk).isdigit() else None
    if entry is None:
        raise NotFound("matching.round.not_found", _("您不是该轮双向选择的参与人员。"))
    return entry


def get_section_for_user(user, round_pk, section_pk) -> RoundSection:
    """A section a section head ranks for: only the sections they are attached to."""
    require(user, can_rank_as_section(user))
    entry = None
    if str(round_pk).isdigit() and str(section_pk).isdigit():
        entry = my_sections(user).select_related("round", "round__org_unit", "section").filter(
            round_id=round_pk, pk=section_pk).first()
    if entry is None:
        raise NotFound("matching.section.not_found", _("您不是该科室的负责人，不能为其排序。"))
    return entry


def can_see_round_list(user, round_) -> bool:
    """The unit sees the published list: its managers, and everyone taking part."""
    if round_.pk in rounds_managed_by(user).values_list("pk", flat=True):
        return True
    return (my_staff_entries(user).filter(round=round_).exists()
            or my_sections(user).filter(round=round_).exists())
