"""What assessment plugs into the case workflow (registered in AppConfig.ready()):
eligibility facts for R25 (decided accountability with the bar it carries, and open cases,
which block promotion until decided)."""

from gongxin.cases.facts import register_facts_provider

from .facts import accountability_facts


def register() -> None:
    register_facts_provider(accountability_facts)
