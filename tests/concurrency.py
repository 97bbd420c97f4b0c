"""Run one function in several threads released at the same moment: double submits and
concurrent clicks (PostgreSQL tests; SQLite serialises writers anyway)."""

import threading

from django.db import connections

from gongxin.core.errors import DomainError


def at_once(fn, n: int) -> list[tuple[str, object]]:
    """fn(i) in n threads that start together. Each outcome is ("ok", what fn returned),
    ("refused", the DomainError's code) or ("error", repr of anything else); every thread
    closes its database connections."""
    barrier, lock, outcomes = threading.Barrier(n), threading.Lock(), []

    def run(i):
        try:
            barrier.wait()
            outcome = ("ok", fn(i))
        except DomainError as exc:
            outcome = ("refused", exc.code)
        except Exception as exc:  # the test asserts there are none
            outcome = ("error", repr(exc))
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes
