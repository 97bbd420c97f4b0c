"""The public page (no login): per year and jurisdiction, the satisfaction rate of the year's
selection work and how many newly promoted cadres were flagged for a look (names are not
published), with the ballot file anyone can recount."""

from django.shortcuts import render

from gongxin.meetings.rating import percent

from . import queries


def evaluation_list(request):
    rows = [{"evaluation": e, "rate": percent(e.results.get("satisfaction_rate")),
             "unknown": percent(e.results.get("unknown_share")),
             "flagged": len(e.results.get("flagged", [])) if e.results.get("valid") else 0,
             "cadres": len(e.results.get("cadres", {})), "ballots": e.results.get("ballots", 0)}
            for e in queries.published_evaluations()]
    trend = queries.trend(queries.published_evaluations())
    return render(request, "evaluation/public/list.html", {"rows": rows, "trend": trend})
