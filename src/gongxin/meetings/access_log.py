"""The logs without the voting pages (issue 13): gunicorn's access logger, except that a request
to a voting address writes no line, so the log keeps no address or time per vote (``gongxin
serve`` installs it as ``logger_class``); and Django's request warnings ("Bad Request: /path",
for a mistyped or reused code) are dropped for those addresses too (the app installs
``drop_voting_requests`` on its loggers)."""

from gunicorn.glogging import Logger

VOTING_PATHS = ("/public/meetings/vote/", "/public/meetings/receipt/", "/api/v1/meetings/public/ballots",
                "/api/v1/meetings/public/write-ins", "/api/v1/meetings/public/receipts/")


def is_voting_path(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in VOTING_PATHS)


def drop_voting_requests(record) -> bool:
    """A logging filter: False (drop) for a record about a request to a voting address."""
    request = getattr(record, "request", None)
    path = getattr(request, "path", None) or getattr(request, "path_info", None)
    if path is None and isinstance(getattr(record, "args", None), tuple) and record.args:
        path = str(record.args[0])   # django.server: the request line
        path = path.split(" ")[1] if " " in path else path
    return not (isinstance(path, str) and is_voting_path(path))


class AccessLogWithoutVotes(Logger):
    def access(self, resp, req, environ, request_time):
        if is_voting_path(environ.get("PATH_INFO") or ""):
            return
        super().access(resp, req, environ, request_time)
