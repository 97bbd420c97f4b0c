"""The login lockout: a user name and an address are counted independently.

django-axes counts failures per lockout parameter and compares the largest count with one
limit. Here the user name keeps that limit (AXES_FAILURE_LIMIT, default 5) and the address
gets its own, higher one (GONGXIN_LOGIN_ADDRESS_FAILURE_LIMIT, default 30: an office behind
one NAT address shares it). Spraying many user names from one address locks the address; a
locked user name stays locked from every address."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


class IndependentLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        limit = get_failure_limit(request, credentials)
        address_limit = settings.GONGXIN_LOGIN_ADDRESS_FAILURE_LIMIT
        parameters = settings.AXES_LOCKOUT_PARAMETERS
        worst = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == "ip_address":
                # Scaled to the user-name limit, which is the one axes compares against.
                count = limit if count >= address_limit else count * limit // address_limit
            worst = max(worst, count)
        return worst

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears that user name's failures only: one valid account must
        not wipe the address's count of failures against everyone else."""
        count = 0
        for parameter, attempts in zip(settings.AXES_LOCKOUT_PARAMETERS,
                                       self.filter_user_attempts(request, credentials), strict=True):
            if parameter != "ip_address":
                count += attempts.delete()[0]
        return count
