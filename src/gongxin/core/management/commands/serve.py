"""``gongxin serve``: the production server (gunicorn; static files by whitenoise)."""

import os

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "运行生产服务器（gunicorn）。Run the production server."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("GONGXIN_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args, host, port, workers, threads, **options):
        serve(host=host, port=port, workers=workers, threads=threads, stdout=self.stdout)


def serve(*, host: str, port: int, workers: int = 2, threads: int = 4, stdout=None) -> None:
    from gunicorn.app.base import BaseApplication

    from gongxin.wsgi import application

    class _App(BaseApplication):
        def load_config(self):
            for key, value in {
                "bind": f"{host}:{port}", "workers": workers, "threads": threads,
                "worker_class": "gthread", "accesslog": "-", "timeout": 120, "graceful_timeout": 10,
                # the voting pages write no access-log line (no address or time per vote)
                "logger_class": "gongxin.meetings.access_log.AccessLogWithoutVotes",
            }.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    if stdout is not None:
        stdout.write(f"公信 serving on http://{host}:{port}/  (Ctrl-C to stop)")
    _App().run()
