"""Pausing the cyclic garbage collector around bulk work that allocates hundreds of
thousands of short-lived tuples and strings and no reference cycles (a 100,000-row import
or export): the collector's repeated passes over them only cost time. Reference counting
still frees everything, and the collector is switched back on (if it was on) however the
block ends."""

import contextlib
import gc


@contextlib.contextmanager
def gc_paused():
    if not gc.isenabled():  # (already paused by a caller: leave it to them)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
