"""The demo county's builder: a context shared by each app's ``gongxin.<app>.demo.build(ctx)``,
run in demo_order(). Everything is derived from one seed and the day it is built, so two builds
on the same day are identical.

The demo never rots: its "today" is the real date in the configured time zone, and every dated
step is placed on the demo's calendar with ``ctx.on(month, day)``: the source's year as it was
first written (ending on 20 November, :data:`REFERENCE_TODAY`) slid so that it ends today. Every
gap between two steps, every open period and deadline, is the same whatever the day."""

import datetime as dt
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any


def demo_order() -> list[str]:
    """Every app's demo step in settings.GONGXIN_APPS order, the ledger's last (it signs)."""
    from django.conf import settings

    return [app for app in settings.GONGXIN_APPS if app not in ("core", "ledger")] + ["ledger"]


DEMO_PASSWORD = "gongxin-demo"

# The day the demo's calendar was first written for: ``ctx.on(m, d)`` keeps each step's distance
# from it, so a step written for 3 March lies 262 days before the build day.
REFERENCE_TODAY = dt.date(2026, 11, 20)

# Sizes of the county. "full" is the source's county (DOMAIN §7); "small" keeps every unit,
# post and demo step with fewer staff, for tests that build the demo many times.
SIZES = {"full": 2000, "small": 1200}


def local_today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


@dataclass
class DemoContext:
    seed: int = 2022
    # "today": the day the demo is built (the real date in settings.TIME_ZONE unless given).
    today: dt.date | None = None
    size: str = "full"
    rng: random.Random = field(default=None)
    admin: Any = None          # the org_admin user, once accounts has run
    data: dict = field(default_factory=dict)  # what one app leaves for the next (units, cadres by role...)
    verbose: bool = True
    # What each app built, one line each in words (printed by the demo command).
    summary: list[tuple[str, str]] = field(default_factory=list)
    # Steps that could not be done ("stopped"): app, what, why. Empty in a good build.
    stopped: list[tuple[str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per app
    out: Any = None  # where log lines go (a file-like object; standard output by default)

    def __post_init__(self):
        if self.today is None:
            self.today = local_today()
        if self.size not in SIZES:
            raise ValueError(f"demo size must be one of {sorted(SIZES)}")
        if self.rng is None:
            self.rng = random.Random(self.seed)

    @property
    def cadres_wanted(self) -> int:
        return SIZES[self.size]

    @property
    def shift(self) -> dt.timedelta:
        return self.today - REFERENCE_TODAY

    def on(self, month: int, day: int, year: int = REFERENCE_TODAY.year) -> dt.date:
        """The day of the demo's calendar written as ``day``/``month`` of the reference year,
        moved so that the reference day is today (``ctx.on(11, 20) == ctx.today``)."""
        return dt.date(year, month, day) + self.shift

    @property
    def year(self) -> int:
        """The demo year: the year most of its events fall in (motions from February on)."""
        return self.on(6, 1).year

    def rng_for(self, name: str) -> random.Random:
        """A separate stream per app, so one app's changes do not reshuffle another's data."""
        return random.Random(f"{self.seed}:{name}")

    def log(self, message: str) -> None:
        if self.verbose:
            if self.out is None:
                print(f"  {message}", flush=True)
            else:
                self.out.write(f"  {message}\n")
                self.out.flush()

    def built(self, app: str, words: str) -> None:
        """One line, in words, of what ``app`` built."""
        self.summary.append((app, words))
        self.log(f"{app}: {words}")

    def stop(self, app: str, what: str, why: str) -> None:
        """A demo step that could not be done: printed as such and kept for the command's exit."""
        self.stopped.append((app, f"{what}: {why}"))
        self.log(f"{app}: STOPPED {what}: {why}")


@contextmanager
def as_on(day: dt.date):
    """Run a demo step as on ``day``: the clock of the actions (``django.utils.timezone.now``,
    and so ``localdate``) is moved to that day for the duration, as the ledger demo already signs
    its milestone checkpoints at past times. Used where an action takes "today" from the clock and
    refuses a past date (a notice is published on the day its period starts); demo only, one
    thread."""
    from django.utils import timezone

    real_now = timezone.now
    shift = dt.datetime.combine(day, dt.time()) - dt.datetime.combine(timezone.localdate(), dt.time())
    timezone.now = lambda: real_now() + shift
    try:
        yield
    finally:
        timezone.now = real_now


def build_demo(ctx: DemoContext) -> None:
    order = demo_order()
    modules = {app: import_module(f"gongxin.{app}.demo") for app in order if find_spec(f"gongxin.{app}.demo")}
    for app in order:
        if app == "ledger":
            catch_up(ctx, modules)
        if app not in modules:
            continue
        started = time.perf_counter()
        modules[app].build(ctx)
        ctx.timings[app] = time.perf_counter() - started


def catch_up(ctx: DemoContext, modules) -> None:
    """What the worker's periodic jobs would have done by the build day (a notice ends the day
    after its period, ...): each app's ``demo.catch_up(ctx)``, once every app has built, before
    the ledger signs."""
    for module in modules.values():
        if hasattr(module, "catch_up"):
            module.catch_up(ctx)
