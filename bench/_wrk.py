"""What the HTTP benchmarks share (bench_http, bench_province): wrk's result line, waiting for a
server to answer, an opener that shows a redirect instead of following it, and one wrk run."""

import subprocess
import time
import urllib.request

# wrk's done() hook: one tab-separated line, RESULT rps p95-ms failed total
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT\\t%f\\t%f\\t%d\\t%d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(95) / 1000, summary.errors.status + summary.errors.timeout + summary.errors.connect
    + summary.errors.read + summary.errors.write, summary.requests))
end
"""


def wait_until_serving(url: str, tries: int) -> None:
    """Ask ``url`` every half second until it answers (at most ``tries`` times)."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.5)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def no_redirect_opener():
    """An opener whose redirects raise HTTPError (a page that sends to the login is not measured)."""
    return urllib.request.build_opener(_NoRedirect)


def header_dict(headers: list[str]) -> dict:
    """wrk's ``-H "Name: value"`` arguments as a dict."""
    return dict(h.split(": ", 1) for h in headers[1::2])


def run(url: str, headers: list[str], lua_path: str, *, threads: int, connections: int,
        seconds: int) -> tuple[float, float, int, int]:
    """One wrk run: requests/s, p95 in ms, failed requests, all requests."""
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
                          "-s", lua_path, *headers, url], capture_output=True, text=True, check=True)
    _r, rps, p95, bad, total = next(x for x in out.stdout.splitlines() if x.startswith("RESULT")).split("\t")
    return float(rps), float(p95), int(bad), int(total)
