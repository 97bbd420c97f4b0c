"""A per-address limit on public posts, kept in the cache (shared by all workers when the
cache is; the file cache of the default settings is)."""

import time

from django.core.cache import cache

LIMIT = 10
WINDOW_SECONDS = 600


def client_address(request) -> str:
    # REMOTE_ADDR only: a forwarded header is set by the client and cannot be trusted here.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, address: str, limit: int = LIMIT, window: int = WINDOW_SECONDS) -> bool:
    """Count one attempt; False when the address is over its limit in this window."""
    bucket = int(time.time() // window)
    key = f"publicity:rl:{scope}:{address}:{bucket}"
    if cache.add(key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 5)
            count = 1
    return count <= limit
