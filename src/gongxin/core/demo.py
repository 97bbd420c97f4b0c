"""The demo county's builder: a context shared by each app's ``gongxin.<app>.demo.build(ctx)``,
run in demo_order(). Everything is derived from one seed, so two builds are identical."""

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any


def demo_order() -> list[str]:
    """Every app's demo step in settings.GONGXIN_APPS order, the ledger's last (it signs)."""
    from django.conf import settings

    return [app for app in settings.GONGXIN_APPS if app not in ("core", "ledger")] + ["ledger"]


DEMO_PASSWORD = "gongxin-demo"


@dataclass
class DemoContext:
    seed: int = 2022
    # The demo year: the source's events happen in it; "today" is near its end.
    year: int = 2026
    today: dt.date = dt.date(2026, 11, 20)
    rng: random.Random = field(default=None)
    admin: Any = None          # the org_admin user, once accounts has run
    data: dict = field(default_factory=dict)  # what one app leaves for the next (units, cadres by role...)
    verbose: bool = True

    def __post_init__(self):
        if self.rng is None:
            self.rng = random.Random(self.seed)

    def rng_for(self, name: str) -> random.Random:
        """A separate stream per app, so one app's changes do not reshuffle another's data."""
        return random.Random(f"{self.seed}:{name}")

    def log(self, message: str) -> None:
        if self.verbose:
            print(f"  {message}", flush=True)


def build_demo(ctx: DemoContext) -> None:
    for app in demo_order():
        module_name = f"gongxin.{app}.demo"
        if find_spec(module_name) is None:
            continue
        started = time.perf_counter()
        import_module(module_name).build(ctx)
        ctx.log(f"{app}: {time.perf_counter() - started:.1f} s")
