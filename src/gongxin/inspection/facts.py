"""Eligibility facts from problem files: a substantiated problem makes a cadre ineligible,
and the eligibility result names the problem."""

from .queries import substantiated_problems


def problem_file_facts(cadre) -> dict:
    problems = substantiated_problems(cadre)
    return {
        "substantiated_problems": [
            {"id": p.pk, "found_on": p.found_on.isoformat() if p.found_on else None,
             "channel": p.channel, "text": p.headline}
            for p in problems
        ],
    }
