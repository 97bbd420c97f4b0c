"""What the reserve plugs into the cases workflow (registered in AppConfig.ready()):

- the ``reserve_direct`` nomination check (tier 1, graduated from the cited class, in validity);
- exit on promotion: a reserve cadre appointed through a case leaves the pool."""

from gongxin.cases import guards


def register() -> None:
    from .actions import exit_on_appointment
    from .checks import direct_nomination_check

    guards.register_nomination_check(direct_nomination_check)
    guards.register_on_candidate_appointed(exit_on_appointment)
