"""A per-address limit on what the public may do without logging in (feedback posts, code
lookups, ledger bundle downloads), kept in the cache (shared by all workers when the cache
is: the file cache of the default settings is, for the workers of one server; with REDIS_URL
set the cache is Redis, shared by every server)."""

import time

from django.core.cache import cache

from gongxin.core.clientip import client_ip

LIMIT = 10
WINDOW_SECONDS = 600


def client_address(request) -> str:
    # X-Forwarded-For only from a trusted proxy: the visitor can set it too (core/clientip.py)
    return client_ip(request) or "unknown"


def hit(scope: str, address: str, limit: int = LIMIT, window: int = WINDOW_SECONDS) -> bool:
    """Count one attempt; False when the address is over its limit in this window."""
    bucket = int(time.time() // window)
    key = f"rl:{scope}:{address}:{bucket}"
    if cache.add(key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 5)
            count = 1
    return count <= limit
