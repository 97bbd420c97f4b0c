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
        parser.add_argument("--no-worker", action="store_true",
                            help="不在旁边启动后台任务进程 / do not start a job worker beside the server")

    def handle(self, *args, host, port, workers, threads, no_worker, **options):
        serve(host=host, port=port, workers=workers, threads=threads, stdout=self.stdout, worker=not no_worker)


def start_worker(stdout=None):
    """``gongxin worker`` in a child process, stopped when the server stops."""
    import atexit
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-m", "gongxin", "worker"])
    if stdout is not None:
        stdout.write(f"后台任务进程已启动 Job worker started (pid {process.pid})")

    def stop():
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    atexit.register(stop)
    return process


def serve(*, host: str, port: int, workers: int = 2, threads: int = 4, stdout=None, worker: bool = True) -> None:
    from gunicorn.app.base import BaseApplication

    from gongxin.settings import ensure_data_dir
    from gongxin.wsgi import application

    ensure_data_dir()

    class _App(BaseApplication):
        def load_config(self):
            for key, value in {
                "bind": f"{host}:{port}", "workers": workers, "threads": threads,
                "worker_class": "gthread", "accesslog": "-", "timeout": 120, "graceful_timeout": 10,
                # the voting pages write no access-log line (no address or time per vote)
                "logger_class": "gongxin.meetings.access_log.AccessLogWithoutVotes",
            }.items():
                self.cfg.set(key, value)
            # No control socket: gunicorn ≥ 25 puts one per user in the home directory, so two
            # servers on one host would clash; nothing here uses gunicornc.
            if "control_socket_disable" in self.cfg.settings:
                self.cfg.set("control_socket_disable", True)

        def load(self):
            return application

    if worker:
        start_worker(stdout)
    if stdout is not None:
        stdout.write(f"公信 serving on http://{host}:{port}/  (Ctrl-C to stop)")
    _App().run()
