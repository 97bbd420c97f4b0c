"""Reads: an evaluation's result rows, the year-on-year trend per jurisdiction and per channel,
and the public list."""

from collections import defaultdict

from django.utils.translation import gettext as _

from gongxin.meetings.models import MeetingStatus
from gongxin.meetings.rating import percent

from . import ballot, chart
from .figures import channel_label
from .models import Evaluation


def cadre_rows(evaluation: Evaluation) -> list[dict]:
    """Each evaluated cadre with their counts and rates (once the meeting is closed)."""
    items = (evaluation.results or {}).get("cadres", {})
    rows = []
    for ev in evaluation.cadres.select_related("cadre", "cadre__org_unit", "follow_up"):
        item = items.get(ev.item_key)
        fu = getattr(ev, "follow_up", None)
        rows.append({"ev": ev, "cadre": ev.cadre, "channel": channel_label(ev.channel), "item": item,
                     "follow_up": fu,
                     "rate": percent(item["rate"]) if item else "", "not_endorse": percent(item["unfavourable_share"]) if item else "",
                     "unknown": percent(item["unknown_share"]) if item else "",
                     "counts": [(o["label"], item["counts"][o["key"]]) for o in ballot.CADRE_OPTIONS] if item else []})
    return rows


def _closed(qs):
    return qs.filter(meeting__status__in=[MeetingStatus.CLOSED, MeetingStatus.PUBLISHED]).exclude(results={})


def trend(evaluations) -> dict:
    """Year on year: the satisfaction rate per jurisdiction, and per channel the endorsement rate
    of the cadres it produced (favourable over valid ballots, pooled over the channel's cadres).
    Returns the years, both series, a table and the two SVG charts."""
    evaluations = list(_closed(evaluations).select_related("org_unit").prefetch_related("cadres"))
    years = sorted({e.year for e in evaluations})
    by_unit: dict[str, dict[int, float | None]] = defaultdict(dict)
    by_channel_items: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    table = []
    for e in sorted(evaluations, key=lambda e: (e.org_unit.path, e.year)):
        res = e.results
        by_unit[e.org_unit.name][e.year] = ballot.as_float(res.get("satisfaction_rate"))
        for ev in e.cadres.all():
            item = res.get("cadres", {}).get(ev.item_key)
            if item:
                by_channel_items[channel_label(ev.channel)][e.year].append(item)
        table.append({"year": e.year, "unit": e.org_unit.name, "rate": percent(res.get("satisfaction_rate")),
                      "unknown": percent(res.get("unknown_share")), "ballots": res.get("ballots", 0),
                      "flagged": len(res.get("flagged", [])), "cadres": len(res.get("cadres", {})),
                      "evaluation": e})
    by_channel = {ch: {y: ballot.as_float(ballot.pooled_rate(items)) for y, items in per_year.items()}
                  for ch, per_year in sorted(by_channel_items.items())}
    channel_table = [{"channel": ch, "cells": [percent(ballot.pooled_rate(by_channel_items[ch].get(y, [])))
                                               if by_channel_items[ch].get(y) else "—" for y in years]}
                     for ch in sorted(by_channel_items)]
    return {
        "years": years, "table": table, "channel_table": channel_table,
        "unit_chart": chart.line_chart(years, by_unit, title=_("选人用人工作满意度（逐年）"), chart_id="chart-units")
        if years else "",
        "channel_chart": chart.line_chart(years, by_channel, title=_("新提拔干部认同度（按提名渠道，逐年）"),
                                          chart_id="chart-channels") if years and by_channel else "",
    }


def published_evaluations():
    return (Evaluation.objects.filter(meeting__status=MeetingStatus.PUBLISHED).exclude(results={})
            .select_related("org_unit", "meeting").order_by("-year", "org_unit__path"))
