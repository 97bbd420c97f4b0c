"""Reads that matter in assessment."""

import datetime as dt

from django.db.models import Q

from gongxin.people.models import Cadre, OrgUnit


def unit_leaders(unit: OrgUnit, *, on: dt.date) -> list[Cadre]:
    """Cadres holding a post in ``unit`` on ``on`` (the people graded with the unit)."""
    return list(Cadre.objects.filter(
        Q(post_holdings__end__isnull=True) | Q(post_holdings__end__gte=on),
        post_holdings__post__org_unit=unit, post_holdings__start__lte=on).distinct().order_by("id"))
